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

  /** Lets go of the model; `final` also stops a service-hosted one (see LoadedModel.unload). False when this process held none. */
  async unload(deploymentId: string, options: { final: boolean }): Promise<boolean> {
    const model = this.models.get(deploymentId);
    if (!model) return false;
    this.models.delete(deploymentId);
    const loaded = await model.catch(() => null);
    if (!loaded) return false;
    await loaded.unload(options);
    return true;
  }

  /** The process stops: every model let go, none stopped (their deployments stay ACTIVE). */
  async unloadAll(): Promise<void> {
    await Promise.all([...this.models.keys()].map((id) =>
      this.unload(id, { final: false }).catch((error) => this.log.warn({ err: error, deploymentId: id }, 'could not unload a model'))));
  }
}
