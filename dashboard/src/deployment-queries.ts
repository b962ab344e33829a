import type { Operation } from './api';
import type {
  DashboardDeployMutation, DashboardDeployMutationVariables, DashboardDeploymentEventsSubscription, DashboardDeploymentEventsSubscriptionVariables,
  DashboardDeploymentQuery, DashboardDeploymentQueryVariables, DashboardUndeployMutation, DashboardUndeployMutationVariables,
} from './generated/graphql';

/** The deployment page's documents (typed by `npm run codegen:dashboard`, like queries.ts). */

export const DEPLOYMENT_QUERY: Operation<DashboardDeploymentQuery, DashboardDeploymentQueryVariables> = /* GraphQL */ `query DashboardDeployment($id: ID!, $windows: Int, $predictions: Int) {
  deployment(id: $id) {
    id name status error labels windowSize createdAt activeSince stoppedAt costPerHourUsd runningCostUsd
    run { id name dataset { id name } }
    alertRules { metric above below }
    windows(last: $windows) { index end predictions meanConfidence predictedClassPsi inputDrift evaluation { macroF1 testImages } }
    alerts { id metric window value threshold createdAt }
    predictions(first: $predictions) { totalCount edges { node { id uri label confidence truth createdAt scores { label score } } } }
  }
}`;

export type DeploymentDetail = NonNullable<DashboardDeploymentQuery['deployment']>;
export type MonitorWindowRow = DeploymentDetail['windows'][number];
export type AlertRow = DeploymentDetail['alerts'][number];

export const DEPLOYMENT_EVENTS: Operation<DashboardDeploymentEventsSubscription, DashboardDeploymentEventsSubscriptionVariables> = /* GraphQL */ `subscription DashboardDeploymentEvents($id: ID!) {
  deploymentEvents(deploymentId: $id) {
    __typename
    ... on DeploymentStatusChanged { status error }
    ... on WindowClosed { window { index end predictions meanConfidence predictedClassPsi inputDrift evaluation { macroF1 testImages } } }
    ... on AlertRaised { alert { id metric window value threshold createdAt } }
  }
}`;

export const DEPLOY: Operation<DashboardDeployMutation, DashboardDeployMutationVariables> =
  /* GraphQL */ `mutation DashboardDeploy($input: DeployInput!) { deploy(input: $input) { id status } }`;

export const UNDEPLOY: Operation<DashboardUndeployMutation, DashboardUndeployMutationVariables> =
  /* GraphQL */ `mutation DashboardUndeploy($id: ID!) { undeploy(id: $id) { id status } }`;
