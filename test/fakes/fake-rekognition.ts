import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { AwsError, epochSeconds, paginate, required, serveAwsJson, type JsonInput } from './aws-json-wire.js';
import { describeVersion, type Dataset, type Fault, type FakeVersion, type Project } from './fake-rekognition-state.js';
import { checkManifestLine, evaluationSummary, labelsOf, predictTestSet, type ManifestEntry, type Predict } from './fake-custom-labels-model.js';

export { defaultPredict, type TestEntry } from './fake-custom-labels-model.js';
export type { FakeVersion } from './fake-rekognition-state.js';

/**
 * A local Amazon Rekognition Custom Labels for tests: AWS JSON 1.1 on
 * 127.0.0.1 (POST /, X-Amz-Target: RekognitionService.<Operation>), the status
 * sequences and messages of ../shared/rekognition-notes.md, epoch-second
 * timestamps, errors as {"__type","Message"} with HTTP 400 (500 for
 * ThrottlingException and InternalServerError). It reads manifests and images
 * from the fake S3 and writes the evaluation summary there, as the service does.
 *
 * Time does not pass here: each status advances after a number of describe
 * calls, so tests are deterministic whatever the poll interval.
 *
 * Not documented by AWS, chosen here: the exact error names/messages for a
 * second TRAIN dataset, a version on unfinished datasets, and what stopping a
 * training does (STOPPING, then TRAINING_FAILED "The model training was stopped.").
 */

export const ACCOUNT = '123456789012';

export interface FakeRekognitionOptions {
  s3: S3Client;
  region?: string;
  /** DescribeDataset calls answered CREATE_IN_PROGRESS before the dataset completes. */
  datasetPolls?: number;
  /** DescribeProjectVersions calls answered TRAINING_IN_PROGRESS before training ends. */
  trainingPolls?: number;
  startingPolls?: number;
  stoppingPolls?: number;
  /** 'flat' as in AWS's example files, 'nested' as on the reference page (AggregatedEvaluationResults.Metrics). */
  summaryShape?: 'flat' | 'nested';
  billableTrainingSeconds?: number;
  maxRunningModels?: number;
  predict?: Predict;
}

export class FakeRekognition {
  readonly calls: { operation: string; input: JsonInput }[] = [];
  private readonly projects = new Map<string, Project>();
  private readonly datasets = new Map<string, Dataset>();
  private readonly faults: Fault[] = [];
  private readonly datasetFailures = new Map<'TRAIN' | 'TEST', { message: string; code: string }>();
  private trainingFailure: string | null = null;
  private server: { url: string; close(): Promise<void> } | null = null;
  readonly region: string;
  url = '';

  constructor(private readonly options: FakeRekognitionOptions) {
    this.region = options.region ?? 'us-east-1';
  }

  async start(): Promise<this> {
    this.server = await serveAwsJson('RekognitionService', async (operation, input) => {
      this.calls.push({ operation, input });
      const fault = this.faults.find((f) => f.remaining > 0 && (f.operation === null || f.operation === operation));
      if (fault) {
        fault.remaining--;
        throw new AwsError(fault.name, fault.message, fault.status);
      }
      return this.dispatch(operation, input);
    });
    this.url = this.server.url;
    return this;
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }

  // ---- fault injection -------------------------------------------------------

  /** The next `n` calls (of `operation`, or any) answer ThrottlingException, HTTP 500. */
  throttleNext(n: number, operation: string | null = null): void {
    this.failNext(operation, 'ThrottlingException', 'Rate exceeded', n);
  }

  /** The next `times` calls of `operation` fail with AWS error `name`. */
  failNext(operation: string | null, name: string, message: string, times = 1): void {
    this.faults.push({ operation, name, message, status: new AwsError(name, '').status, remaining: times });
  }

  /** Trainings that end from now on end TRAINING_FAILED with this StatusMessage. */
  failTraining(message = 'The manifest file contains too many invalid rows.'): void {
    this.trainingFailure = message;
  }

  /** Datasets of this type created from now on end CREATE_FAILED. */
  failDataset(type: 'TRAIN' | 'TEST', message: string, code = 'CLIENT_ERROR'): void {
    this.datasetFailures.set(type, { message, code });
  }

  /** Back to a healthy service: no pending errors, no failing trainings or datasets. */
  clearFaults(): void {
    this.faults.length = 0;
    this.datasetFailures.clear();
    this.trainingFailure = null;
  }

  // ---- inspection ------------------------------------------------------------

  versions(): FakeVersion[] {
    return [...this.projects.values()].flatMap((p) => [...p.versions.values()]);
  }

  operations(): string[] {
    return this.calls.map((c) => c.operation);
  }

  /** A version that is RUNNING now, as if started in the console or left by a crash. */
  async seedRunningModel(projectName: string, versionName: string, tags: Record<string, string>): Promise<FakeVersion> {
    const project = this.project(projectName) ?? this.createProject(projectName);
    const version = this.newVersion(project, versionName, { S3Bucket: 'unused', S3KeyPrefix: '' }, tags, [], []);
    version.status = 'RUNNING';
    version.statusMessage = 'The model is running.';
    version.minInferenceUnits = 1;
    return version;
  }

  // ---- the wire --------------------------------------------------------------

  private dispatch(operation: string, input: JsonInput): Promise<unknown> | unknown {
    switch (operation) {
      case 'CreateProject':
        return this.opCreateProject(input);
      case 'DescribeProjects':
        return this.opDescribeProjects(input);
      case 'CreateDataset':
        return this.opCreateDataset(input);
      case 'DescribeDataset':
        return this.opDescribeDataset(input);
      case 'DeleteDataset':
        return this.opDeleteDataset(input);
      case 'CreateProjectVersion':
        return this.opCreateProjectVersion(input);
      case 'DescribeProjectVersions':
        return this.opDescribeProjectVersions(input);
      case 'StartProjectVersion':
        return this.opStartProjectVersion(input);
      case 'StopProjectVersion':
        return this.opStopProjectVersion(input);
      case 'DetectCustomLabels':
        return this.opDetectCustomLabels(input);
      case 'ListTagsForResource':
        return { Tags: this.versionByArn(required(input, 'ResourceArn')).tags };
      default:
        throw new AwsError('UnknownOperationException', `Unknown operation ${operation || '(no X-Amz-Target)'}`);
    }
  }

  // ---- projects --------------------------------------------------------------

  private project(name: string): Project | undefined {
    return this.projects.get(name);
  }

  private createProject(name: string): Project {
    const project: Project = { arn: `arn:aws:rekognition:${this.region}:${ACCOUNT}:project/${name}/${Date.now()}`, name, created: epochSeconds(), datasets: new Map(), versions: new Map() };
    this.projects.set(name, project);
    return project;
  }

  private projectByArn(arn: string): Project {
    const project = [...this.projects.values()].find((p) => p.arn === arn);
    if (!project) throw new AwsError('ResourceNotFoundException', `The project ${arn} does not exist.`);
    return project;
  }

  private opCreateProject(input: JsonInput) {
    const name = required(input, 'ProjectName');
    if (!/^[a-zA-Z0-9_.-]{1,255}$/.test(name)) throw new AwsError('InvalidParameterException', `1 validation error detected: Value '${name}' at 'projectName' failed to satisfy constraint`);
    if (this.projects.has(name)) throw new AwsError('ResourceInUseException', `The project ${name} already exists.`);
    return { ProjectArn: this.createProject(name).arn };
  }

  private opDescribeProjects(input: JsonInput) {
    const names: string[] | undefined = input.ProjectNames;
    const all = [...this.projects.values()].filter((p) => !names || names.includes(p.name));
    const { page, next } = paginate(all, input);
    return {
      ProjectDescriptions: page.map((p) => ({
        ProjectArn: p.arn,
        CreationTimestamp: p.created,
        Status: 'CREATED',
        Feature: 'CUSTOM_LABELS',
        Datasets: [...p.datasets.values()].map((d) => ({
          CreationTimestamp: d.created,
          DatasetType: d.type,
          DatasetArn: d.arn,
          Status: d.status,
          ...(d.statusMessage ? { StatusMessage: d.statusMessage } : {}),
          ...(d.statusMessageCode ? { StatusMessageCode: d.statusMessageCode } : {}),
        })),
      })),
      ...(next ? { NextToken: next } : {}),
    };
  }

  // ---- datasets --------------------------------------------------------------

  private async opCreateDataset(input: JsonInput) {
    const project = this.projectByArn(required(input, 'ProjectArn'));
    const type = required(input, 'DatasetType') as 'TRAIN' | 'TEST';
    if (type !== 'TRAIN' && type !== 'TEST') throw new AwsError('InvalidParameterException', `DatasetType must be TRAIN or TEST, got ${type}`);
    if (project.datasets.has(type)) throw new AwsError('ResourceAlreadyExistsException', `The project already has a ${type} dataset.`);
    const manifest = input.DatasetSource?.GroundTruthManifest?.S3Object;
    if (!manifest?.Bucket || !manifest?.Name) throw new AwsError('InvalidParameterException', 'DatasetSource.GroundTruthManifest.S3Object is required.');
    try {
      await this.options.s3.send(new HeadObjectCommand({ Bucket: manifest.Bucket, Key: manifest.Name }));
    } catch {
      throw new AwsError('InvalidS3ObjectException', `Unable to get object metadata from S3. Check object key, region and/or access permissions. (s3://${manifest.Bucket}/${manifest.Name})`);
    }
    const dataset: Dataset = {
      arn: `${project.arn.replace(/\/\d+$/, '')}/dataset/${type.toLowerCase()}/${Date.now()}`,
      type,
      projectName: project.name,
      manifest,
      created: epochSeconds(),
      status: 'CREATE_IN_PROGRESS',
      pollsLeft: this.options.datasetPolls ?? 1,
      entries: [],
      errorEntries: 0,
    };
    project.datasets.set(type, dataset);
    this.datasets.set(dataset.arn, dataset);
    return { DatasetArn: dataset.arn };
  }

  private dataset(arn: string): Dataset {
    const dataset = this.datasets.get(arn);
    if (!dataset) throw new AwsError('ResourceNotFoundException', `The dataset ${arn} does not exist.`);
    return dataset;
  }

  private async opDescribeDataset(input: JsonInput) {
    const dataset = this.dataset(required(input, 'DatasetArn'));
    if (dataset.status === 'CREATE_IN_PROGRESS' && dataset.pollsLeft-- <= 0) await this.finishDataset(dataset);
    const labels = new Set(dataset.entries.map((e) => e.label));
    return {
      DatasetDescription: {
        CreationTimestamp: dataset.created,
        LastUpdatedTimestamp: epochSeconds(),
        Status: dataset.status,
        ...(dataset.statusMessage ? { StatusMessage: dataset.statusMessage } : {}),
        ...(dataset.statusMessageCode ? { StatusMessageCode: dataset.statusMessageCode } : {}),
        DatasetStats: { LabeledEntries: dataset.entries.length, TotalEntries: dataset.entries.length + dataset.errorEntries, TotalLabels: labels.size, ErrorEntries: dataset.errorEntries },
      },
    };
  }

  private opDeleteDataset(input: JsonInput) {
    const dataset = this.dataset(required(input, 'DatasetArn'));
    this.datasets.delete(dataset.arn);
    this.projects.get(dataset.projectName)?.datasets.delete(dataset.type);
    return {};
  }

  /** Reads the manifest and every image like the service: bad lines and bad images are entries in error. */
  private async finishDataset(dataset: Dataset): Promise<void> {
    const failure = this.datasetFailures.get(dataset.type);
    if (failure) {
      Object.assign(dataset, { status: 'CREATE_FAILED', statusMessage: failure.message, statusMessageCode: failure.code });
      return;
    }
    const text = await this.readText(dataset.manifest.Bucket, dataset.manifest.Name);
    const seen = new Set<string>();
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const entry = await checkManifestLine(line, seen, this.options.s3);
      if (entry) dataset.entries.push(entry);
      else dataset.errorEntries++;
    }
    const total = dataset.entries.length + dataset.errorEntries;
    if (total === 0) Object.assign(dataset, { status: 'CREATE_FAILED', statusMessage: 'The manifest file is empty.', statusMessageCode: 'CLIENT_ERROR' });
    else if (dataset.errorEntries > total / 5) {
      Object.assign(dataset, { status: 'CREATE_FAILED', statusMessage: `ERROR_TOO_MANY_RECORDS_IN_ERROR: ${dataset.errorEntries} of ${total} entries have errors.`, statusMessageCode: 'CLIENT_ERROR' });
    } else Object.assign(dataset, { status: 'CREATE_COMPLETE', statusMessage: 'The dataset was created successfully.', statusMessageCode: 'SUCCESS' });
  }

  // ---- model versions --------------------------------------------------------

  private newVersion(project: Project, name: string, output: FakeVersion['output'], tags: Record<string, string>, train: ManifestEntry[], test: ManifestEntry[]): FakeVersion {
    const version: FakeVersion = {
      arn: `${project.arn.replace(/\/\d+$/, '')}/version/${name}/${Date.now()}`,
      projectArn: project.arn,
      projectName: project.name,
      name,
      created: epochSeconds(),
      status: 'TRAINING_IN_PROGRESS',
      statusMessage: 'The model is being trained.',
      pollsLeft: this.options.trainingPolls ?? 2,
      output,
      tags,
      train,
      test,
    };
    project.versions.set(name, version);
    return version;
  }

  private versionByArn(arn: string): FakeVersion {
    const version = this.versions().find((v) => v.arn === arn);
    if (!version) throw new AwsError('ResourceNotFoundException', `The resource ${arn} does not exist.`);
    return version;
  }

  private opCreateProjectVersion(input: JsonInput) {
    const project = this.projectByArn(required(input, 'ProjectArn'));
    const name = required(input, 'VersionName');
    if (input.TrainingData || input.TestingData) {
      throw new AwsError('InvalidParameterException', 'TrainingData and TestingData cannot be used with a project that has datasets.');
    }
    if (project.versions.has(name)) throw new AwsError('ResourceAlreadyExistsException', `The version ${name} already exists.`);
    const output = input.OutputConfig;
    if (!output?.S3Bucket) throw new AwsError('InvalidParameterException', 'OutputConfig.S3Bucket is required.');
    const train = project.datasets.get('TRAIN');
    const test = project.datasets.get('TEST');
    if (train?.status !== 'CREATE_COMPLETE' || test?.status !== 'CREATE_COMPLETE') {
      throw new AwsError('InvalidParameterException', 'The project needs a TRAIN and a TEST dataset in CREATE_COMPLETE status to train a model.');
    }
    const version = this.newVersion(project, name, { S3Bucket: output.S3Bucket, S3KeyPrefix: output.S3KeyPrefix ?? '' }, input.Tags ?? {}, [...train.entries], [...test.entries]);
    return { ProjectVersionArn: version.arn };
  }

  private async opDescribeProjectVersions(input: JsonInput) {
    const project = this.projectByArn(required(input, 'ProjectArn'));
    const names: string[] | undefined = input.VersionNames;
    const all = [...project.versions.values()].filter((v) => !names || names.includes(v.name));
    for (const version of all) await this.advance(version);
    const { page, next } = paginate(all, input);
    return { ProjectVersionDescriptions: page.map((v) => describeVersion(v)), ...(next ? { NextToken: next } : {}) };
  }

  /** One describe call's worth of time for a version in a transitional status. */
  private async advance(version: FakeVersion): Promise<void> {
    if (!['TRAINING_IN_PROGRESS', 'STARTING', 'STOPPING'].includes(version.status)) return;
    if (version.pollsLeft-- > 0) return;
    if (version.status === 'STARTING') Object.assign(version, { status: 'RUNNING', statusMessage: 'The model is running.' });
    else if (version.status === 'STOPPING' && version.stoppedDuringTraining) {
      Object.assign(version, { status: 'TRAINING_FAILED', statusMessage: 'The model training was stopped.' });
    } else if (version.status === 'STOPPING') Object.assign(version, { status: 'STOPPED', statusMessage: 'The model is stopped.' });
    else await this.finishTraining(version);
  }

  private async finishTraining(version: FakeVersion): Promise<void> {
    const fail = (message: string) => Object.assign(version, { status: 'TRAINING_FAILED', statusMessage: message });
    if (this.trainingFailure) return void fail(this.trainingFailure);
    if (new Set(version.train.map((e) => e.label)).size < 2) return void fail('The manifest file has too few labels.');
    const summary = evaluationSummary(version, this.predictions(version), this.options.summaryShape);
    const key = `${version.output.S3KeyPrefix}EvaluationResultSummary-${version.projectName}-${version.name}.json`;
    try {
      await this.options.s3.send(new PutObjectCommand({ Bucket: version.output.S3Bucket, Key: key, Body: JSON.stringify(summary.file, null, 2), ContentType: 'application/json' }));
    } catch {
      return void fail('Unable to write to output S3 bucket.');
    }
    Object.assign(version, {
      status: 'TRAINING_COMPLETED',
      statusMessage: 'The model is ready to run.',
      billable: this.options.billableTrainingSeconds ?? 4_500,
      trainingEnd: epochSeconds(),
      evaluation: { F1Score: summary.f1, Summary: { S3Object: { Bucket: version.output.S3Bucket, Name: key } } },
    });
  }

  /** The model's TEST predictions, in manifest order. */
  private opStartProjectVersion(input: JsonInput) {
    const version = this.versionByArn(required(input, 'ProjectVersionArn'));
    const units = input.MinInferenceUnits;
    if (!Number.isInteger(units) || units < 1) throw new AwsError('InvalidParameterException', 'MinInferenceUnits must be at least 1.');
    if (version.status !== 'TRAINING_COMPLETED' && version.status !== 'STOPPED') {
      throw new AwsError('ResourceInUseException', `The model is ${version.status} and cannot be started.`);
    }
    const running = this.versions().filter((v) => v.status === 'RUNNING' || v.status === 'STARTING').length;
    if (running >= (this.options.maxRunningModels ?? 2)) throw new AwsError('LimitExceededException', 'You have reached the maximum number of running models.');
    Object.assign(version, { status: 'STARTING', statusMessage: 'The model is starting.', pollsLeft: this.options.startingPolls ?? 1, minInferenceUnits: units });
    return { Status: 'STARTING' };
  }

  private opStopProjectVersion(input: JsonInput) {
    const version = this.versionByArn(required(input, 'ProjectVersionArn'));
    if (!['RUNNING', 'STARTING', 'TRAINING_IN_PROGRESS'].includes(version.status)) {
      throw new AwsError('ResourceInUseException', `The model is ${version.status} and cannot be stopped.`);
    }
    version.stoppedDuringTraining = version.status === 'TRAINING_IN_PROGRESS';
    Object.assign(version, { status: 'STOPPING', statusMessage: 'The model is stopping.', pollsLeft: this.options.stoppingPolls ?? 1 });
    return { Status: 'STOPPING' };
  }

  /** The model's TEST predictions, in manifest order (the summary and DetectCustomLabels agree). */
  predictions(version: FakeVersion) {
    return predictTestSet(version.train, version.test, this.options.predict);
  }

  private async opDetectCustomLabels(input: JsonInput) {
    const version = this.versionByArn(required(input, 'ProjectVersionArn'));
    if (version.status !== 'RUNNING') throw new AwsError('ResourceNotReadyException', 'The requested resource is not ready. Check the status of the model.');
    let bytes: Buffer;
    const image = input.Image ?? {};
    if (image.Bytes) bytes = Buffer.from(image.Bytes, 'base64');
    else if (image.S3Object?.Bucket && image.S3Object?.Name) {
      try {
        const object = await this.options.s3.send(new GetObjectCommand({ Bucket: image.S3Object.Bucket, Key: image.S3Object.Name }));
        bytes = Buffer.from(await object.Body!.transformToByteArray());
      } catch {
        throw new AwsError('InvalidS3ObjectException', 'Unable to get object metadata from S3. Check object key, region and/or access permissions.');
      }
    } else throw new AwsError('InvalidParameterException', 'Image must have Bytes or S3Object.');
    if (image.Bytes && bytes.length > 4 * 1024 * 1024) throw new AwsError('ImageTooLargeException', 'Image size is too large.');
    const sha = createHash('sha256').update(bytes).digest('hex');
    const labels = labelsOf(version.train, version.test);
    const known = this.predictions(version).find((p) => p.entry.sha256 === sha);
    const predicted = known?.predicted ?? labels[0];
    const minConfidence = typeof input.MinConfidence === 'number' ? input.MinConfidence : 50;
    const others = labels.filter((l) => l !== predicted);
    const scores = [{ Name: predicted, Confidence: 91.5 }, ...others.map((Name, i) => ({ Name, Confidence: (8.5 / others.length) * (1 - i * 0.1) }))];
    const max = typeof input.MaxResults === 'number' ? input.MaxResults : scores.length;
    return { CustomLabels: scores.filter((s) => s.Confidence >= minConfidence).slice(0, max) };
  }

  private async readText(bucket: string, key: string): Promise<string> {
    const object = await this.options.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return object.Body!.transformToString();
  }
}

