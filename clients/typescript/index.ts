/**
 * Epochal's TypeScript client: the Python client's logger API (startRun,
 * logMetrics, logEpoch, recordEvaluation, finishRun, an offline outbox) and
 * watchRun over graphql-ws. Types come from the server's schema/ through
 * graphql-codegen (generated/graphql.ts; `npm run codegen:client`).
 */
export { EpochalError, Transport, type TransportOptions } from './transport.js';
export { finishRun, Logger, Run, startRun, type RunOptions } from './run-logger.js';
export { watchRun, type RunEvent, type WatchRunOptions } from './watch-run.js';
export type * from './generated/graphql.js';
