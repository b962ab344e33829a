import type { Logger } from 'pino';
import type { RunService } from './run.service.js';

/** How often each process looks for silent EXTERNAL runs. */
export const SILENT_RUN_SWEEP_MS = 30_000;

/**
 * Runs RunService.failSilentRuns every `intervalMs` in every process, API and
 * worker alike: a deployment without workers still fails the EXTERNAL runs
 * whose scripts died, and several processes sweeping at once fail each run
 * once (see failSilentRuns). A failed sweep (database away) is retried at the
 * next tick.
 */
export function startSilentRunSweeper(deps: { runs: RunService; log: Logger; intervalMs?: number }): { stop(): Promise<void> } {
  let sweeping: Promise<void> | null = null;
  const sweep = () => {
    sweeping ??= deps.runs.failSilentRuns()
      .then((failed) => {
        for (const run of failed) deps.log.warn({ runId: run.id }, `run ${run.id} failed: ${run.error}`);
      })
      .catch((error) => deps.log.warn({ err: error }, 'could not sweep silent EXTERNAL runs; trying again later'))
      .finally(() => (sweeping = null));
  };
  const timer = setInterval(sweep, deps.intervalMs ?? SILENT_RUN_SWEEP_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await sweeping;
    },
  };
}
