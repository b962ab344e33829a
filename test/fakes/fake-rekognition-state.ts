import type { ManifestEntry } from './fake-custom-labels-model.js';

/** What the fake Rekognition remembers: projects, their datasets and model versions. */
export interface Dataset {
  arn: string;
  type: 'TRAIN' | 'TEST';
  projectName: string;
  manifest: { Bucket: string; Name: string };
  created: number;
  status: string;
  statusMessage?: string;
  statusMessageCode?: string;
  pollsLeft: number;
  entries: ManifestEntry[];
  errorEntries: number;
}

export interface FakeVersion {
  arn: string;
  projectArn: string;
  projectName: string;
  name: string;
  created: number;
  status: string;
  statusMessage?: string;
  pollsLeft: number;
  output: { S3Bucket: string; S3KeyPrefix: string };
  tags: Record<string, string>;
  train: ManifestEntry[];
  test: ManifestEntry[];
  minInferenceUnits?: number;
  billable?: number;
  trainingEnd?: number;
  evaluation?: { F1Score: number; Summary: { S3Object: { Bucket: string; Name: string } } };
  /** Set when a stop interrupted training. */
  stoppedDuringTraining?: boolean;
}

export interface Project {
  arn: string;
  name: string;
  created: number;
  datasets: Map<'TRAIN' | 'TEST', Dataset>;
  versions: Map<string, FakeVersion>;
}

export interface Fault {
  operation: string | null;
  name: string;
  message: string;
  status: number;
  remaining: number;
}

/** A ProjectVersionDescription as DescribeProjectVersions answers it: absent members omitted, timestamps in epoch seconds. */
export function describeVersion(v: FakeVersion) {
  return {
    ProjectVersionArn: v.arn,
    CreationTimestamp: v.created,
    Status: v.status,
    ...(v.statusMessage ? { StatusMessage: v.statusMessage } : {}),
    ...(v.minInferenceUnits ? { MinInferenceUnits: v.minInferenceUnits } : {}),
    OutputConfig: v.output,
    ...(v.billable !== undefined ? { BillableTrainingTimeInSeconds: v.billable } : {}),
    ...(v.trainingEnd !== undefined ? { TrainingEndTimestamp: v.trainingEnd } : {}),
    ...(v.evaluation ? { EvaluationResult: v.evaluation } : {}),
  };
}
