import type { TrainerDescription } from '../kernel/domain-module.js';
import type { TrainerKind } from '../kernel/run-event.js';
import type { RunService } from '../runs/run.service.js';
import { estimateTrainingSpeed, type TrainingSpeed } from './training-speed.js';

export interface TrainerAvailability {
  kind: TrainerKind;
  available: boolean;
  reason: string | null;
}

/**
 * What this server can train and how fast (Query.serverInfo): the dashboard's
 * Start form defaults to what the engine can do, estimates the time, and
 * disables trainers this deployment lacks, saying why.
 */
export class ServerInfoService {
  constructor(
    private readonly runs: RunService,
    private readonly trainers: readonly TrainerDescription[],
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  trainerAvailability(): TrainerAvailability[] {
    return this.trainers.map((trainer) => {
      const reason = trainer.unavailableReason?.(this.env) ?? null;
      return { kind: trainer.kind, available: reason === null, reason };
    });
  }

  /** The engine TFJS runs train on: the newest TFJS run's (measured), else what the installed packages give. */
  async tfjsEngine(): Promise<string | null> {
    const tfjs = this.trainers.find((t) => t.kind === 'TFJS');
    if (!tfjs) return null;
    return (await this.runs.latestEngine('TFJS')) ?? tfjs.probeEngine?.(this.env) ?? null;
  }

  async trainingSpeed(architecture: string, imageSize: number): Promise<TrainingSpeed | null> {
    const engine = await this.tfjsEngine();
    if (!engine) return null;
    return estimateTrainingSpeed(engine, architecture, imageSize, await this.runs.recentTfjsThroughput(engine));
  }
}

/** Query.serverInfo's object as src/graphql/schema.ts makes it; the fields above are resolved from the service. */
export interface ServerInfoRoot {
  version: string;
  inProcessWorker: boolean;
}
