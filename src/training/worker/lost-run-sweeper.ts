import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { inTransaction } from '../../kernel/sql.js';
import type { RunRecord } from '../../runs/run.record.js';
import type { Services } from '../../domains.js';
import type { RunHeartbeatRepository } from './run-heartbeat.repository.js';

export function lostWorkerError(workerId: string | null, lastSeenAt: Date): string {
  return `worker lost: ${workerId ?? 'an unknown worker'} stopped sending heartbeats at ${lastSeenAt.toISOString()}; start the run again`;
}

/**
 * Fails every RUNNING run whose worker stopped stamping it for `lostAfterMs`
 * (killed, out of memory, machine gone). It goes through RunService.transition,
 * so subscribers get StatusChanged FAILED like for any other failure. The job is
 * not retried (the training queue has retryLimit 0): the user starts a new run.
 */
export async function sweepLostRuns(deps: {
  dataSource: DataSource;
  services: Pick<Services, 'runs'>;
  heartbeats: RunHeartbeatRepository;
  lostAfterMs: number;
  log: Logger;
}): Promise<RunRecord[]> {
  const failed = await inTransaction(deps.dataSource, async (tx) => {
    const stale = await deps.heartbeats.lockStale(tx, deps.lostAfterMs);
    const runs: RunRecord[] = [];
    for (const run of stale) {
      const updated = await deps.services.runs.transition(tx, run.id, ['RUNNING'], 'FAILED', { error: lostWorkerError(run.workerId, run.lastSeenAt) });
      if (updated) runs.push(updated);
    }
    return runs;
  });
  for (const run of failed) deps.log.warn({ runId: run.id, workerId: run.workerId }, `run ${run.id} failed: ${run.error}`);
  return failed;
}
