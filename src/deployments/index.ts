import { realpath } from 'node:fs/promises';
import type { ArtifactService } from '../artifacts/artifact.service.js';
import type { DatasetService } from '../datasets/dataset.service.js';
import type { EvaluationService } from '../evaluations/evaluation.service.js';
import { conflict } from '../kernel/errors.js';
import { defineDomain } from '../kernel/domain-module.js';
import type { RunService } from '../runs/run.service.js';
import { DeploymentRepository } from './deployment.repository.js';
import { DeploymentService } from './deployment.service.js';
import { deploymentResolvers } from './deployment.resolvers.js';
import { MonitorService } from './monitor.service.js';

interface Needs {
  runs: RunService;
  datasets: DatasetService;
  artifacts: ArtifactService;
  evaluations: EvaluationService;
}

/** Models in use: deployments, their predictions, monitor windows and alerts (docs/deployments.md). */
export const deploymentsDomain = defineDomain({
  name: 'deployments',
  services: (infra, { runs, datasets, artifacts, evaluations }: Needs) => {
    const repository = new DeploymentRepository(infra.dataSource);
    const deployments = new DeploymentService({
      dataSource: infra.dataSource, repository, runs, datasets, artifacts, evaluations, pubsub: infra.pubsub, trainers: infra.trainers, log: infra.log,
    });
    // The data folder and import roots, resolved once (links followed) as the file routes do.
    let roots: Promise<string[]> | null = null;
    const readableRoots = () => (roots ??= Promise.all([...infra.files.importRoots, infra.files.dataDir].map((r) => realpath(r).catch(() => r))));
    runs.onDelete(async (tx, run) => {
      const live = await deployments.liveDeploymentsOfRun(tx, run.id);
      if (live.length) throw conflict(`run ${run.id} is deployed (deployment ${live.map((d) => `${d.id} ${d.status}`).join(', ')}); undeploy it first`);
    });
    return { deployments, monitor: new MonitorService(infra.dataSource, repository, deployments, readableRoots) };
  },
  resolvers: deploymentResolvers,
  mappers: {
    Deployment: 'deployments/deployment.record.js#DeploymentRecord',
    Prediction: 'deployments/deployment.record.js#PredictionRecord',
    PredictionConnection: 'deployments/monitor.service.js#PredictionPage',
    MonitorWindow: 'deployments/deployment.record.js#WindowRecord',
    Alert: 'deployments/deployment.record.js#AlertRecord',
    AlertRule: 'deployments/deployment.record.js#AlertRule',
    DeploymentStatusChanged: 'deployments/deployment-events.js#DeploymentEvent',
    WindowClosed: 'deployments/deployment-events.js#DeploymentEvent',
    AlertRaised: 'deployments/deployment-events.js#DeploymentEvent',
  },
});
