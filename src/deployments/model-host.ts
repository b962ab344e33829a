import type { Logger } from 'pino';
import type { LoadedModel } from '../kernel/model-serving.js';

/**
 * The models this process holds, one per deployment, loaded once (concurrent
 * callers share the load) and unloaded once. Each API process keeps its own:
 * one that did not deploy a model loads it on its first prediction, which is
 * also how a restarted process picks its ACTIVE deployments back up.
 */
export class ModelHost {
  private readonly models = new Map<string, Promise<LoadedModel>>();

  constructor(private readonly log: Pick<Logger, 'warn'>) {}

  get(deploymentId: string, load: () => Promise<LoadedModel>): Promise<LoadedModel> {
    let model = this.models.get(deploymentId);
    if (!model) {
      model = load();
      this.models.set(deploymentId, model);
      // A failed load is not kept: the next call tries again.
      model.catch(() => this.models.get(deploymentId) === model && this.models.delete(deploymentId));
    }
    return model;
  }

  has(deploymentId: string): boolean {
    return this.models.has(deploymentId);
  }

  async unload(deploymentId: string): Promise<void> {
    const model = this.models.get(deploymentId);
    if (!model) return;
    this.models.delete(deploymentId);
    const loaded = await model.catch(() => null);
    await loaded?.unload().catch((error) => this.log.warn({ err: error, deploymentId }, 'could not unload a model'));
  }

  async unloadAll(): Promise<void> {
    await Promise.all([...this.models.keys()].map((id) => this.unload(id)));
  }
}
