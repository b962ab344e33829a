import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { PubSub } from './kernel/pubsub.js';
import type { JobQueue } from './kernel/job-queue.js';
import { DatasetRepository } from './datasets/dataset.repository.js';
import { DatasetService, type DatasetFiles } from './datasets/dataset.service.js';
import { RunRepository } from './runs/run.repository.js';
import { RunService } from './runs/run.service.js';
import { MetricRepository } from './metrics/metric.repository.js';
import { MetricService } from './metrics/metric.service.js';
import { EvaluationRepository } from './evaluations/evaluation.repository.js';
import { EvaluationService } from './evaluations/evaluation.service.js';
import { ArtifactRepository } from './artifacts/artifact.repository.js';
import { RunEventsService } from './events/run-events.service.js';
import { TrainingService } from './training/training.service.js';
import { ApiKeyRepository } from './auth/api-key.repository.js';
import { ApiKeyService } from './auth/api-key.service.js';

export interface Infrastructure {
  dataSource: DataSource;
  pubsub: PubSub;
  queue: JobQueue;
  log: Logger;
  files: DatasetFiles;
}

/** The domain services, shared by the API and the workers so both follow the same rules. */
export function createServices(infra: Infrastructure) {
  const { dataSource, pubsub, queue } = infra;
  const metricRepository = new MetricRepository(dataSource);
  const datasets = new DatasetService(dataSource, new DatasetRepository(dataSource), infra.files, infra.log);
  const runs = new RunService(dataSource, new RunRepository(dataSource), datasets, pubsub);
  const metrics = new MetricService(dataSource, metricRepository, runs, pubsub);
  const evaluations = new EvaluationService(new EvaluationRepository(dataSource), runs);
  const artifacts = new ArtifactRepository(dataSource);
  const events = new RunEventsService(dataSource, pubsub, runs, metricRepository);
  const training = new TrainingService(runs, datasets, queue);
  const apiKeys = new ApiKeyService(new ApiKeyRepository(dataSource));
  return { datasets, runs, metrics, evaluations, artifacts, events, training, apiKeys };
}

export type Services = ReturnType<typeof createServices>;
