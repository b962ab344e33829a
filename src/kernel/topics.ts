/** Everything that happens to one run. */
export const runTopic = (runId: string) => `run:${runId}`;
/** Status changes of all runs. */
export const RUN_STATUS_TOPIC = 'runs:status';
/** Everything that happens to one deployment (status, windows, alerts). */
export const deploymentTopic = (deploymentId: string) => `deployment:${deploymentId}`;
