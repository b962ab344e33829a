/** Everything that happens to one run. */
export const runTopic = (runId: string) => `run:${runId}`;
/** Status changes of all runs. */
export const RUN_STATUS_TOPIC = 'runs:status';
/** Status changes of evaluations of models on other data (evaluateRun, robustness arms). */
export const MODEL_EVALUATION_STATUS_TOPIC = 'model-evaluations:status';
/** A study's own changes (cancelStudy), besides those of its runs. */
export const studyTopic = (studyId: string) => `study:${studyId}`;
