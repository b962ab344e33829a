/** A group of runs; MLflow's experiments are projects. */
export interface ProjectRecord {
  id: string;
  name: string;
  createdAt: Date;
}

/** The project a run belongs to unless told otherwise (named "default"; MLflow's experiment "0"). */
export const DEFAULT_PROJECT_ID = '00000000-0000-4000-8000-000000000000';
export const DEFAULT_PROJECT_NAME = 'default';
