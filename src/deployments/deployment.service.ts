import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { ArtifactService } from '../artifacts/artifact.service.js';
import type { DatasetService } from '../datasets/dataset.service.js';
import type { EvaluationService } from '../evaluations/evaluation.service.js';
import type { TrainerDescription } from '../kernel/domain-module.js';
import { conflict, isUuid, notFound } from '../kernel/errors.js';
import type { LoadedModel, ModelServing, ServedRun } from '../kernel/model-serving.js';
import type { PubSub } from '../kernel/pubsub.js';
import { inTransaction, type SqlRunner } from '../kernel/sql.js';
import { deploymentTopic } from '../kernel/topics.js';
import { parseInput } from '../kernel/validation.js';
import type { RunRecord } from '../runs/run.record.js';
import type { RunService } from '../runs/run.service.js';
import { LIVE_STATUSES, MONITOR_METRICS, type DeploymentMessage, type DeploymentRecord, type MonitorReference } from './deployment.record.js';
import type { DeploymentRepository } from './deployment.repository.js';
import { imageStatistics } from './image-input.js';
import { ModelHost } from './model-host.js';
import { deploymentEvents, type DeploymentEvent } from './deployment-events.js';
import { argMax, mean, predictedShare } from './monitor-statistics.js';

export const MAX_WINDOW_SIZE = 10_000;
/** TEST images classified per model call while the reference is built. */
const REFERENCE_BATCH = 64;

const deploySchema = z.object({
  runId: z.string(),
  name: z.string().trim().min(1, 'name must not be empty').max(200, 'name must be at most 200 characters').nullish(),
  windowSize: z.number().int('windowSize must be an integer').min(1, 'windowSize must be at least 1').max(MAX_WINDOW_SIZE, `windowSize must be at most ${MAX_WINDOW_SIZE}`).nullish(),
  alerts: z
    .array(
      z.object({ metric: z.enum(MONITOR_METRICS), above: z.number().finite().nullish(), below: z.number().finite().nullish() })
        .refine((r) => (r.above == null) !== (r.below == null), 'give exactly one of above and below'),
    )
    .max(20, 'at most 20 alert rules')
    .nullish(),
});

export interface DeploymentDeps {
  dataSource: DataSource;
  repository: DeploymentRepository;
  runs: RunService;
  datasets: DatasetService;
  artifacts: ArtifactService;
  evaluations: EvaluationService;
  pubsub: PubSub;
  trainers: readonly TrainerDescription[];
  log: Logger;
  env?: NodeJS.ProcessEnv;
}

/**
 * A deployment's life: deploy (STARTING, then ACTIVE once the model answers
 * and the reference is built, or FAILED), undeploy (STOPPED), and the models
 * this process holds for the ACTIVE ones.
 */
export class DeploymentService {
  readonly host: ModelHost;
  private readonly activations = new Set<Promise<void>>();

  constructor(private readonly deps: DeploymentDeps) {
    this.host = new ModelHost(deps.log);
  }

  async find(id: string): Promise<DeploymentRecord | null> {
    if (!isUuid(id)) return null;
    return (await this.deps.repository.findByIds([id]))[0] ?? null;
  }

  async require(id: string, runner?: SqlRunner): Promise<DeploymentRecord> {
    const [row] = isUuid(id) ? await this.deps.repository.findByIds([id], runner) : [];
    if (!row) throw notFound('deployment', id);
    return row;
  }

  list(): Promise<DeploymentRecord[]> {
    return this.deps.repository.list();
  }

  async deploy(input: unknown): Promise<DeploymentRecord> {
    const parsed = parseInput(deploySchema, input, 'input');
    const run = await this.deps.runs.find(parsed.runId);
    if (!run) throw notFound('run', parsed.runId);
    if (run.status !== 'SUCCEEDED') throw conflict(`run ${run.id} is ${run.status}; only a SUCCEEDED run can be deployed`, { status: run.status });
    this.servingFor(run);
    const labels = await this.labelsOf(run);
    const testImages = await this.testImagesOf(run);
    if (testImages.length === 0) throw conflict(`run ${run.id}'s dataset has no TEST images: the monitor's reference is the model's predictions on them`);
    const deployment = await inTransaction(this.deps.dataSource, async (tx) => {
      const row = await this.deps.repository.insert(tx, {
        name: parsed.name ?? `${run.name} (deployed)`, runId: run.id, trainer: run.trainer, labels,
        windowSize: parsed.windowSize ?? 100,
        alertRules: (parsed.alerts ?? []).map((r) => ({ metric: r.metric, above: r.above ?? null, below: r.below ?? null })),
      });
      await this.publish(tx, { type: 'status', deploymentId: row.id, status: row.status, error: null });
      return row;
    });
    this.startActivation(deployment, run);
    return deployment;
  }

  async undeploy(id: string): Promise<DeploymentRecord> {
    const existing = await this.require(id);
    const stopped = await inTransaction(this.deps.dataSource, async (tx) => {
      const row = await this.deps.repository.transition(tx, id, LIVE_STATUSES, 'STOPPED');
      if (row) await this.publish(tx, { type: 'status', deploymentId: id, status: 'STOPPED', error: null });
      return row;
    });
    // In every case, a retried undeploy too: nothing may keep running (and billing) for a stopped deployment.
    await this.stopModel(existing);
    return stopped ?? (await this.require(existing.id));
  }

  /** The model of an ACTIVE deployment, loaded in this process if it was not yet (a restart, another API process). */
  model(deployment: DeploymentRecord): Promise<LoadedModel> {
    return this.host.get(deployment.id, async () => this.load(deployment, await this.deps.runs.require(deployment.runId)));
  }

  /**
   * At start: ACTIVE deployments are loaded again, STARTING ones (a crash
   * mid-activation) are activated again, and service-hosted models a crash
   * left running for no deployment and no training are stopped.
   */
  async resume(): Promise<void> {
    for (const deployment of await this.deps.repository.withStatus(LIVE_STATUSES)) {
      const run = await this.deps.runs.find(deployment.runId);
      if (!run) continue;
      if (deployment.status === 'STARTING') this.startActivation(deployment, run);
      else void this.model(deployment).catch((error) => this.deps.log.warn({ err: error, deploymentId: deployment.id }, 'could not load a deployed model again'));
    }
    for (const trainer of this.deps.trainers) {
      const serving = trainer.serving?.({ env: this.deps.env ?? process.env, log: this.deps.log });
      if (!serving || 'unavailable' in serving || !serving.sweep) continue;
      await serving.sweep((runId) => (runId ? this.isInUse(runId) : Promise.resolve(false)));
    }
  }

  /** Whether a run's service-hosted model must keep running: it is training, or deployed. */
  async isInUse(runId: string): Promise<boolean> {
    const run = await this.deps.runs.find(runId);
    if (!run) return false;
    if (run.status === 'RUNNING') return true;
    return (await this.deps.repository.ofRun(this.deps.dataSource, runId, LIVE_STATUSES)).length > 0;
  }

  /** Waits for activations in flight, then frees every model (the process stops). */
  async stop(): Promise<void> {
    await Promise.allSettled([...this.activations]);
    await this.host.unloadAll();
  }

  /** Whether the run has a deployment that holds its model (deleteRun refuses then). */
  async liveDeploymentsOfRun(tx: SqlRunner, runId: string): Promise<DeploymentRecord[]> {
    return this.deps.repository.ofRun(tx, runId, LIVE_STATUSES);
  }

  /** Live events of one deployment (deploymentEvents). */
  events(deploymentId: string): AsyncGenerator<DeploymentEvent> {
    return deploymentEvents(this.deps.pubsub, this, deploymentId);
  }

  publish(tx: SqlRunner, message: DeploymentMessage): Promise<void> {
    return this.deps.pubsub.publish(tx, deploymentTopic(message.deploymentId), message);
  }

  private startActivation(deployment: DeploymentRecord, run: RunRecord): void {
    const activation = this.activate(deployment, run).finally(() => this.activations.delete(activation));
    this.activations.add(activation);
  }

  /** Loads the model, builds the reference on the run's TEST split, and goes ACTIVE; FAILED with the reason otherwise. */
  private async activate(deployment: DeploymentRecord, run: RunRecord): Promise<void> {
    try {
      const model = await this.host.get(deployment.id, () => this.load(deployment, run));
      const reference = await this.buildReference(model, run);
      const active = await inTransaction(this.deps.dataSource, async (tx) => {
        const row = await this.deps.repository.transition(tx, deployment.id, ['STARTING'], 'ACTIVE', { reference, costPerHourUsd: model.costPerHourUsd ?? null });
        if (row) await this.publish(tx, { type: 'status', deploymentId: row.id, status: 'ACTIVE', error: null });
        return row;
      });
      // Undeployed meanwhile: nothing may stay loaded.
      if (!active) await this.stopModel(deployment);
    } catch (error) {
      const message = `the model could not be deployed: ${(error as Error).message}`;
      this.deps.log.warn({ err: error, deploymentId: deployment.id }, 'deployment failed');
      await this.stopModel(deployment);
      await inTransaction(this.deps.dataSource, async (tx) => {
        const row = await this.deps.repository.transition(tx, deployment.id, ['STARTING'], 'FAILED', { error: message });
        if (row) await this.publish(tx, { type: 'status', deploymentId: row.id, status: 'FAILED', error: message });
      }).catch((e) => this.deps.log.error({ err: e }, 'could not record a failed deployment'));
    }
  }

  private async load(deployment: DeploymentRecord, run: RunRecord): Promise<LoadedModel> {
    return this.servingFor(run).load(await this.servedRun(deployment, run), { localCopy: (uri) => this.deps.artifacts.localCopy(uri) });
  }

  private async servedRun(deployment: DeploymentRecord, run: RunRecord): Promise<ServedRun> {
    const artifacts = await this.deps.artifacts.ofRuns([run.id]);
    return { id: run.id, config: run.config, outputs: run.outputs, artifacts, labels: deployment.labels };
  }

  /** Frees this process's copy and stops a service-hosted model, whichever process started it; failures are logged (the next start's sweep retries). */
  private async stopModel(deployment: DeploymentRecord): Promise<void> {
    try {
      const held = await this.host.unload(deployment.id, { final: true });
      if (held) return;
      const run = await this.deps.runs.find(deployment.runId);
      if (!run) return;
      const serving = this.servingFor(run);
      await serving.stop?.(await this.servedRun(deployment, run));
    } catch (error) {
      this.deps.log.error({ err: error, deploymentId: deployment.id }, 'could not stop a deployed model; the next API start retries (a service-hosted model bills while it runs)');
    }
  }

  /** The model's predictions and the input statistics on the run's TEST split. */
  private async buildReference(model: LoadedModel, run: RunRecord): Promise<MonitorReference> {
    const images = await this.testImagesOf(run);
    const predicted: number[] = [];
    const confidences: number[] = [];
    const stats = { meanIntensity: [] as number[], contrast: [] as number[], sharpness: [] as number[] };
    for (let start = 0; start < images.length; start += REFERENCE_BATCH) {
      const batch = images.slice(start, start + REFERENCE_BATCH);
      const bytes = await Promise.all(batch.map((image) => readFile(image.uri.startsWith('file://') ? new URL(image.uri) : image.uri)));
      for (const s of await Promise.all(bytes.map((b) => imageStatistics(b)))) {
        stats.meanIntensity.push(s.meanIntensity);
        stats.contrast.push(s.contrast);
        stats.sharpness.push(s.sharpness);
      }
      for (const scores of await model.predict(bytes)) {
        const top = argMax(scores);
        predicted.push(top);
        confidences.push(scores[top]);
      }
    }
    return { images: images.length, predictedShare: predictedShare(predicted, model.labels.length), meanConfidence: mean(confidences), confidences, ...stats };
  }

  private servingFor(run: RunRecord): ModelServing {
    const trainer = this.deps.trainers.find((t) => t.kind === run.trainer);
    if (!trainer?.serving) throw conflict(`run ${run.id} was trained by ${run.trainer}, whose models this server cannot load; only TFJS and REKOGNITION runs can be deployed`);
    const serving = trainer.serving({ env: this.deps.env ?? process.env, log: this.deps.log });
    if ('unavailable' in serving) throw conflict(`${run.trainer} models cannot be deployed on this server: ${serving.unavailable}`);
    return serving;
  }

  /** The model's outputs, in order: its evaluation's labels, else the dataset's sorted labels (as TFJS trains). */
  private async labelsOf(run: RunRecord): Promise<string[]> {
    const [evaluation] = await this.deps.evaluations.ofRuns([run.id]);
    if (evaluation) return evaluation.labels;
    if (!run.datasetId) throw conflict(`run ${run.id} has neither an evaluation nor a dataset to tell its labels`);
    return [...new Set((await this.deps.datasets.allImages(run.datasetId)).map((i) => i.label))].sort();
  }

  private async testImagesOf(run: RunRecord) {
    if (!run.datasetId) return [];
    return (await this.deps.datasets.allImages(run.datasetId)).filter((image) => image.split === 'TEST');
  }
}
