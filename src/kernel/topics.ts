/** Everything that happens to one run. */
export const runTopic = (runId: string) => `run:${runId}`;
/** Status changes of all runs. */
export const RUN_STATUS_TOPIC = 'runs:status';
/** API keys revoked (body: { keyId }): every API process closes that key's sockets and forgets its cached look-up. */
export const API_KEY_REVOKED_TOPIC = 'auth:revoked';
/** Status changes of evaluations of models on other data (evaluateRun, robustness arms). */
export const MODEL_EVALUATION_STATUS_TOPIC = 'model-evaluations:status';
/** A study's own changes (cancelStudy), besides those of its runs. */
export const studyTopic = (studyId: string) => `study:${studyId}`;
/** Everything that happens to one deployment (status, windows, alerts). */
export const deploymentTopic = (deploymentId: string) => `deployment:${deploymentId}`;
