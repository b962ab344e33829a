import { AsyncQueue } from '../kernel/async-queue.js';
import type { Envelope, PubSub } from '../kernel/pubsub.js';
import { deploymentTopic } from '../kernel/topics.js';
import type { AlertRecord, DeploymentMessage, DeploymentStatus, WindowRecord } from './deployment.record.js';
import type { DeploymentService } from './deployment.service.js';

const SUBSCRIBER_BUFFER = 10_000;

export type DeploymentEvent =
  | { __typename: 'DeploymentStatusChanged'; deploymentId: string; status: DeploymentStatus; error: string | null }
  | { __typename: 'WindowClosed'; deploymentId: string; window: WindowRecord }
  | { __typename: 'AlertRaised'; deploymentId: string; alert: AlertRecord };

/** Messages crossed processes as JSON: dates come back as strings. */
function toEvent(message: DeploymentMessage): DeploymentEvent {
  switch (message.type) {
    case 'status':
      return { __typename: 'DeploymentStatusChanged', deploymentId: message.deploymentId, status: message.status, error: message.error };
    case 'window':
      return { __typename: 'WindowClosed', deploymentId: message.deploymentId, window: { ...message.window, start: new Date(message.window.start), end: new Date(message.window.end) } };
    case 'alert':
      return { __typename: 'AlertRaised', deploymentId: message.deploymentId, alert: { ...message.alert, createdAt: new Date(message.alert.createdAt) } };
  }
}

/** deploymentEvents: live status changes, closed windows and alerts of one deployment (NOT_FOUND for an unknown one). */
export async function* deploymentEvents(pubsub: PubSub, deployments: DeploymentService, deploymentId: string): AsyncGenerator<DeploymentEvent> {
  const live = new AsyncQueue<Envelope>(SUBSCRIBER_BUFFER);
  const unsubscribe = pubsub.subscribe(deploymentTopic(deploymentId), (envelope) => live.push(envelope));
  try {
    // Listening already, so nothing after this read is missed: the current status first tells a client it is live.
    const current = await deployments.require(deploymentId);
    yield { __typename: 'DeploymentStatusChanged', deploymentId, status: current.status, error: current.error };
    for await (const envelope of live) yield toEvent(envelope.body as DeploymentMessage);
  } finally {
    unsubscribe();
    live.close();
  }
}
