import {
  CreateDatasetCommand,
  CreateProjectCommand,
  DeleteDatasetCommand,
  DescribeDatasetCommand,
  DescribeProjectsCommand,
  type DatasetDescription,
  type ProjectDescription,
  type RekognitionClient,
} from '@aws-sdk/client-rekognition';
import type { Logger } from 'pino';
import { awsErrorName, RekognitionTrainerError } from './aws-errors.js';
import { callAws, pollUntilFinal, type CallPolicy } from './aws-call.js';

export interface RekognitionSession {
  client: RekognitionClient;
  policy: CallPolicy;
  log: Logger;
  pollMs: number;
  maxPollMs: number;
}

export type DatasetType = 'TRAIN' | 'TEST';

async function describeProject(session: RekognitionSession, projectName: string): Promise<ProjectDescription | null> {
  const answer = await callAws(session.policy, 'DescribeProjects', `looking up the project ${projectName}`, () =>
    session.client.send(new DescribeProjectsCommand({ ProjectNames: [projectName] })),
  );
  return answer.ProjectDescriptions?.find((p) => p.ProjectArn?.split('/')[1] === projectName) ?? answer.ProjectDescriptions?.[0] ?? null;
}

/** The project's ARN and its current datasets; created when it does not exist. */
export async function ensureProject(session: RekognitionSession, projectName: string): Promise<{ arn: string; created: boolean; datasets: ProjectDescription['Datasets'] }> {
  const existing = await describeProject(session, projectName);
  if (existing?.ProjectArn) return { arn: existing.ProjectArn, created: false, datasets: existing.Datasets ?? [] };
  try {
    const created = await callAws(session.policy, 'CreateProject', `creating the project ${projectName}`, () =>
      session.client.send(new CreateProjectCommand({ ProjectName: projectName })),
    );
    if (!created.ProjectArn) throw new RekognitionTrainerError(`CreateProject answered without a ProjectArn for ${projectName}`);
    session.log.info({ projectName, projectArn: created.ProjectArn }, 'Rekognition project created');
    return { arn: created.ProjectArn, created: true, datasets: [] };
  } catch (error) {
    // Another run created it between our look-up and our create: use theirs.
    const code = (error as RekognitionTrainerError).code ?? awsErrorName(error);
    if (code === 'ResourceInUseException' || code === 'ResourceAlreadyExistsException') {
      const raced = await describeProject(session, projectName);
      if (raced?.ProjectArn) return { arn: raced.ProjectArn, created: false, datasets: raced.Datasets ?? [] };
    }
    throw error;
  }
}

/**
 * A project holds one TRAIN and one TEST dataset. A reused project's old one
 * is deleted first (model versions keep their own copy, so trained versions
 * are unaffected) and the new one created from our manifest.
 */
export async function createDataset(
  session: RekognitionSession,
  project: { arn: string; name: string; datasets: ProjectDescription['Datasets'] },
  type: DatasetType,
  manifest: { bucket: string; key: string },
  isCancelled: () => boolean | Promise<boolean>,
): Promise<string> {
  const old = project.datasets?.find((d) => d.DatasetType === type && d.DatasetArn);
  if (old?.DatasetArn) {
    session.log.info({ datasetArn: old.DatasetArn, type }, 'replacing the project\'s existing dataset');
    await callAws(session.policy, 'DeleteDataset', `deleting the old ${type} dataset of ${project.name}`, () =>
      session.client.send(new DeleteDatasetCommand({ DatasetArn: old.DatasetArn })),
    );
    await waitUntilDeleted(session, old.DatasetArn, type, isCancelled);
  }
  const created = await callAws(session.policy, 'CreateDataset', `creating the ${type} dataset of ${project.name} from s3://${manifest.bucket}/${manifest.key}`, () =>
    session.client.send(
      new CreateDatasetCommand({
        ProjectArn: project.arn,
        DatasetType: type,
        DatasetSource: { GroundTruthManifest: { S3Object: { Bucket: manifest.bucket, Name: manifest.key } } },
      }),
    ),
  );
  if (!created.DatasetArn) throw new RekognitionTrainerError(`CreateDataset answered without a DatasetArn for the ${type} dataset`);
  return created.DatasetArn;
}

async function waitUntilDeleted(session: RekognitionSession, datasetArn: string, type: DatasetType, isCancelled: () => boolean | Promise<boolean>) {
  await pollUntilFinal({
    what: `deleting the old ${type} dataset`,
    describe: async () => {
      try {
        const answer = await session.client.send(new DescribeDatasetCommand({ DatasetArn: datasetArn }));
        return answer.DatasetDescription?.Status ?? 'DELETED';
      } catch (error) {
        if (awsErrorName(error) === 'ResourceNotFoundException') return 'DELETED';
        throw error;
      }
    },
    status: (s) => s,
    isFinal: (s) => s === 'DELETED',
    isCancelled,
    intervalMs: session.pollMs,
    maxIntervalMs: session.maxPollMs,
    sleep: session.policy.sleep,
  });
}

/** Waits for CREATE_COMPLETE; CREATE_FAILED becomes an error with the service's StatusMessage. */
export async function waitForDataset(
  session: RekognitionSession,
  datasetArn: string,
  type: DatasetType,
  options: { isCancelled: () => boolean | Promise<boolean>; onStatus?: (status: string, description: DatasetDescription) => void | Promise<void> },
): Promise<DatasetDescription> {
  const description = await pollUntilFinal({
    what: `the ${type} dataset`,
    describe: async () => {
      const answer = await callAws(session.policy, 'DescribeDataset', `waiting for the ${type} dataset`, () =>
        session.client.send(new DescribeDatasetCommand({ DatasetArn: datasetArn })),
      );
      return answer.DatasetDescription ?? {};
    },
    status: (d) => d.Status ?? 'UNKNOWN',
    isFinal: (s) => s.endsWith('_COMPLETE') || s.endsWith('_FAILED'),
    onStatus: (status, d) => options.onStatus?.(status, d),
    isCancelled: options.isCancelled,
    intervalMs: session.pollMs,
    maxIntervalMs: session.maxPollMs,
    sleep: session.policy.sleep,
  });
  if (description.Status !== 'CREATE_COMPLETE' && description.Status !== 'UPDATE_COMPLETE') {
    const said = description.StatusMessage?.trim() || 'Amazon Rekognition gave no reason';
    const code = description.StatusMessageCode ? ` (${description.StatusMessageCode})` : '';
    const hint =
      description.StatusMessageCode === 'SERVICE_ERROR'
        ? 'this is an error on AWS\'s side: start the run again'
        : `check the ${type} images (PNG or JPEG, 64-4096 px per side) and that the caller may read them and the manifest in the bucket`;
    throw new RekognitionTrainerError(
      `Amazon Rekognition could not create the ${type} dataset: ${said.replace(/\.?$/, '.')}${code} What to check: ${hint}.`,
      description.StatusMessageCode ?? 'CREATE_FAILED',
    );
  }
  return description;
}
