import {
  CreateProjectVersionCommand,
  DescribeProjectsCommand,
  DescribeProjectVersionsCommand,
  ListTagsForResourceCommand,
  StartProjectVersionCommand,
  StopProjectVersionCommand,
  type ProjectVersionDescription,
} from '@aws-sdk/client-rekognition';
import { awsErrorName, RekognitionTrainerError } from './aws-errors.js';
import { callAws } from './aws-call.js';
import type { RekognitionSession } from './project-datasets.js';

/** Tags on every model version Epochal creates: how the sweep finds models a crash left running. */
export const MANAGED_TAG = 'epochal:managed';
export const RUN_TAG = 'epochal:run-id';

/** Statuses in which a model bills by the hour (or is about to) and can be stopped. */
export const STOPPABLE = new Set(['STARTING', 'RUNNING']);

export async function describeVersion(session: RekognitionSession, projectArn: string, versionName: string): Promise<ProjectVersionDescription | null> {
  const answer = await callAws(session.policy, 'DescribeProjectVersions', `reading the status of model version ${versionName}`, () =>
    session.client.send(new DescribeProjectVersionsCommand({ ProjectArn: projectArn, VersionNames: [versionName] })),
  );
  return answer.ProjectVersionDescriptions?.[0] ?? null;
}

/**
 * Starts training. A version of that name already there is this run's own
 * (its name comes from the run, or the worker retried): it is reused, not
 * trained twice.
 */
export async function createVersion(
  session: RekognitionSession,
  input: { projectArn: string; versionName: string; bucket: string; outputPrefix: string; runId: string },
): Promise<{ arn: string; reused: boolean }> {
  try {
    const created = await callAws(session.policy, 'CreateProjectVersion', `starting the training of model version ${input.versionName}`, () =>
      session.client.send(
        new CreateProjectVersionCommand({
          ProjectArn: input.projectArn,
          VersionName: input.versionName,
          OutputConfig: { S3Bucket: input.bucket, S3KeyPrefix: input.outputPrefix },
          Tags: { [MANAGED_TAG]: 'true', [RUN_TAG]: input.runId },
        }),
      ),
    );
    if (!created.ProjectVersionArn) throw new RekognitionTrainerError('CreateProjectVersion answered without a ProjectVersionArn');
    return { arn: created.ProjectVersionArn, reused: false };
  } catch (error) {
    const code = (error as RekognitionTrainerError).code ?? awsErrorName(error);
    if (code === 'ResourceAlreadyExistsException' || code === 'ResourceInUseException') {
      const existing = await describeVersion(session, input.projectArn, input.versionName);
      if (existing?.ProjectVersionArn && (await isOwnVersion(session, existing.ProjectVersionArn, input.runId))) {
        session.log.warn({ versionArn: existing.ProjectVersionArn }, 'model version already exists for this run: following it instead of training again');
        return { arn: existing.ProjectVersionArn, reused: true };
      }
      if (existing?.ProjectVersionArn) {
        throw new RekognitionTrainerError(
          `model version ${input.versionName} already exists in this project and belongs to another run. What to check: choose another versionName (or leave it empty to derive one from the run).`,
          code,
        );
      }
    }
    throw error;
  }
}

async function isOwnVersion(session: RekognitionSession, arn: string, runId: string): Promise<boolean> {
  const tags = await callAws(session.policy, 'ListTagsForResource', `reading the tags of ${arn}`, () =>
    session.client.send(new ListTagsForResourceCommand({ ResourceArn: arn })),
  );
  return tags.Tags?.[RUN_TAG] === runId;
}

export async function startVersion(session: RekognitionSession, arn: string, minInferenceUnits: number): Promise<void> {
  await callAws(session.policy, 'StartProjectVersion', `starting the model ${arn} with ${minInferenceUnits} inference unit(s)`, () =>
    session.client.send(new StartProjectVersionCommand({ ProjectVersionArn: arn, MinInferenceUnits: minInferenceUnits })),
  );
}

/** Asks AWS to stop the model (or its training); answers the status AWS gave. */
export async function stopVersion(session: RekognitionSession, arn: string, why: string): Promise<string | undefined> {
  const answer = await callAws(session.policy, 'StopProjectVersion', `stopping the model ${arn} (${why})`, () =>
    session.client.send(new StopProjectVersionCommand({ ProjectVersionArn: arn })),
  );
  session.log.info({ versionArn: arn, status: answer.Status, why }, 'asked Rekognition to stop the model');
  return answer.Status;
}

export interface SweptModel {
  arn: string;
  runId: string | null;
  status: string;
  stopped: boolean;
  error?: string;
}

/**
 * Every model version Epochal created (tagged epochal:managed) that is STARTING
 * or RUNNING, across all projects of the account and region, and stops those
 * `shouldStop` agrees to. A running model bills every hour, used or not.
 */
export async function sweepManagedModels(
  session: RekognitionSession,
  shouldStop: (runId: string | null) => boolean | Promise<boolean>,
): Promise<SweptModel[]> {
  const swept: SweptModel[] = [];
  let projectsToken: string | undefined;
  do {
    const projects = await callAws(session.policy, 'DescribeProjects', 'listing projects to find running models', () =>
      session.client.send(new DescribeProjectsCommand({ NextToken: projectsToken, MaxResults: 100 })),
    );
    for (const project of projects.ProjectDescriptions ?? []) {
      if (!project.ProjectArn) continue;
      let versionsToken: string | undefined;
      do {
        const versions = await callAws(session.policy, 'DescribeProjectVersions', `listing the models of ${project.ProjectArn}`, () =>
          session.client.send(new DescribeProjectVersionsCommand({ ProjectArn: project.ProjectArn, NextToken: versionsToken, MaxResults: 100 })),
        );
        for (const version of versions.ProjectVersionDescriptions ?? []) {
          if (!version.ProjectVersionArn || !STOPPABLE.has(version.Status ?? '')) continue;
          const arn = version.ProjectVersionArn;
          const tags = await callAws(session.policy, 'ListTagsForResource', `reading the tags of ${arn}`, () =>
            session.client.send(new ListTagsForResourceCommand({ ResourceArn: arn })),
          );
          if (tags.Tags?.[MANAGED_TAG] !== 'true') continue;
          const runId = tags.Tags?.[RUN_TAG] ?? null;
          const entry: SweptModel = { arn, runId, status: version.Status!, stopped: false };
          if (await shouldStop(runId)) {
            try {
              await stopVersion(session, arn, `left running by run ${runId ?? '(unknown)'}`);
              entry.stopped = true;
            } catch (error) {
              entry.error = (error as Error).message;
              session.log.error({ versionArn: arn, err: error }, 'could not stop a model left running: stop it in the AWS console, it bills every hour');
            }
          }
          swept.push(entry);
        }
        versionsToken = versions.NextToken;
      } while (versionsToken);
    }
    projectsToken = projects.NextToken;
  } while (projectsToken);
  return swept;
}
