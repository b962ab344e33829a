/** Everything that happens to one run. */
export const runTopic = (runId: string) => `run:${runId}`;
/** Status changes of all runs. */
export const RUN_STATUS_TOPIC = 'runs:status';
/** API keys revoked (body: { keyId }): every API process closes that key's sockets and forgets its cached look-up. */
export const API_KEY_REVOKED_TOPIC = 'auth:revoked';
