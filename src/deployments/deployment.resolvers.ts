import type { Resolvers } from '../graphql/generated/resolvers-types.js';
import type { DeploymentEvent } from './deployment-events.js';

const scoresOf = (labels: string[], scores: number[]) => labels.map((label, i) => ({ label, score: scores[i] ?? 0 }));

export const deploymentResolvers: Resolvers = {
  Query: {
    deployments: (_, __, { services }) => services.deployments.list(),
    deployment: (_, { id }, { services }) => services.deployments.find(id),
  },
  Mutation: {
    deploy: (_, { input }, { services }) => services.deployments.deploy(input),
    predict: (_, { deploymentId, images }, { services }) => services.monitor.predict(deploymentId, images),
    recordTruth: (_, { deploymentId, truths }, { services }) => services.monitor.recordTruth(deploymentId, truths),
    undeploy: (_, { id }, { services }) => services.deployments.undeploy(id),
  },
  Subscription: {
    deploymentEvents: {
      subscribe: (_, { deploymentId }, { services }) => services.deployments.events(deploymentId),
      resolve: (event: DeploymentEvent) => event,
    },
  },
  DeploymentEvent: { __resolveType: (event) => event.__typename },
  Deployment: {
    run: (d, _, { services }) => services.runs.require(d.runId),
    predictions: (d, { first, after }, { services }) => services.monitor.predictions(d.id, first ?? 50, after, d.predictionCount),
    windows: (d, { last }, { services }) => services.monitor.windows(d, last),
    alerts: (d, _, { services }) => services.monitor.alerts(d.id),
    metric: (d, { key, maxPoints }, { services }) => services.monitor.series(d, key, maxPoints),
    runningCostUsd: (d) => {
      if (d.costPerHourUsd == null || !d.activeSince) return null;
      const until = d.stoppedAt ?? new Date();
      return (d.costPerHourUsd * Math.max(0, until.getTime() - d.activeSince.getTime())) / 3_600_000;
    },
    reference: (d) => (d.reference ? { ...d.reference, predictedShare: scoresOf(d.labels, d.reference.predictedShare) } : null),
  },
  Prediction: {
    scores: (p) => scoresOf(p.labels, p.scores),
    window: (p) => Math.floor(p.seq / p.windowSize),
  },
  MonitorWindow: {
    predictedShare: (w) => scoresOf(w.labels, w.predictedShare),
    evaluation: (w) => w.evaluation ?? null,
  },
};
