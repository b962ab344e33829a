import { defineDomain } from '../kernel/domain-module.js';
import type { ArtifactService } from '../artifacts/artifact.service.js';
import type { MetricService } from '../metrics/metric.service.js';
import type { ProjectService } from '../projects/project.service.js';
import type { RunService } from '../runs/run.service.js';
import { MlflowArtifacts } from './mlflow-artifacts.js';
import { mlflowRouter } from './mlflow.routes.js';
import { MlflowService } from './mlflow.service.js';

type Needs = { projects: ProjectService; runs: RunService; metrics: MetricService; artifacts: ArtifactService };

/** MLflow's tracking REST API over the other domains' services: no tables, no GraphQL of its own. */
export const mlflowDomain = defineDomain({
  name: 'mlflow',
  services: (infra, { projects, runs, metrics, artifacts }: Needs) => {
    const mlflow = new MlflowService(projects, runs, metrics);
    return { mlflow, mlflowArtifacts: new MlflowArtifacts(mlflow, artifacts, infra.files.dataDir) };
  },
  routes: ({ mlflow, mlflowArtifacts }, deps) => [mlflowRouter({ mlflow, artifacts: mlflowArtifacts, ...deps })],
});
