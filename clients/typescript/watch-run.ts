import type { Client } from 'graphql-ws';
import type { WatchRunSubscription, WatchRunSubscriptionVariables } from './generated/graphql.js';
import { EpochalError, Transport, type TransportOptions } from './transport.js';

const WATCH_RUN = `subscription WatchRun($runId: ID!, $afterStep: Int) {
  runEvents(runId: $runId, afterStep: $afterStep) {
    __typename
    ... on MetricsLogged { runId key points { step value time } }
    ... on EpochCompleted { runId epoch { phase index loss accuracy valLoss valAccuracy learningRate durationMs createdAt } }
    ... on StatusChanged { runId status error }
  }
}`;

export type RunEvent = WatchRunSubscription['runEvents'];

export interface WatchRunOptions extends TransportOptions {
  /** Start after this step (-1: everything stored); omitted: only what happens from now on. */
  afterStep?: number;
  /** A WebSocket class where there is no global one (Node 20: `import WebSocket from 'ws'`). */
  webSocketImpl?: unknown;
  /** Resubscribe after a dropped connection (default true), resuming after the last step seen. */
  reconnect?: boolean;
  /** Told about drops and resubscriptions. */
  onReconnect?: (attempt: number, cause: unknown) => void;
}

const FATAL = new Set(['BAD_USER_INPUT', 'NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN', 'GRAPHQL_VALIDATION_FAILED']);
const isFinished = (status: string) => status === 'SUCCEEDED' || status === 'FAILED' || status === 'CANCELLED';

/**
 * A run's events as an async iterator over graphql-ws:
 *
 *   for await (const event of watchRun(runId, { afterStep: -1 })) { ... }
 *
 * After a dropped connection it resubscribes with afterStep = the highest step
 * seen, so the server resends exactly what was missed. (When several keys
 * advance at different rates, an event of a slower key below that step can be
 * missed while disconnected; read such keys back with `metric(afterStep)`.)
 * Ends when the run finishes, or when the caller breaks out of the loop.
 */
export async function* watchRun(runId: string, options: WatchRunOptions = {}): AsyncGenerator<RunEvent> {
  const transport = new Transport(options);
  const webSocketImpl = options.webSocketImpl ?? (globalThis as { WebSocket?: unknown }).WebSocket;
  if (!webSocketImpl) throw new Error('watchRun needs a WebSocket: pass { webSocketImpl: WebSocket } from the "ws" package on Node 20');
  // graphql-ws is an optional peer dependency: only watchRun needs it, so logging works without it.
  const { createClient } = await import('graphql-ws').catch(() => {
    throw new Error('watchRun needs the graphql-ws package: npm install graphql-ws (and ws on Node 20)');
  });
  const client: Client = createClient({
    url: transport.url.replace(/^http/, 'ws'),
    webSocketImpl,
    connectionParams: () => (transport.apiKey ? { authorization: `Bearer ${transport.apiKey}` } : {}),
    lazy: true,
    retryAttempts: 0, // resubscribing (with a new afterStep) is done below
  });
  let afterStep = options.afterStep;
  let attempt = 0;
  try {
    for (;;) {
      const iterator = client.iterate<WatchRunSubscription, WatchRunSubscriptionVariables>({ query: WATCH_RUN, variables: { runId, afterStep } });
      try {
        for await (const result of iterator) {
          const [error] = result.errors ?? [];
          if (error) throw new EpochalError((error.extensions?.code as string | undefined) ?? 'INTERNAL_SERVER_ERROR', error.message);
          const event = result.data!.runEvents;
          attempt = 0;
          if (event.__typename === 'MetricsLogged') {
            for (const point of event.points) afterStep = Math.max(afterStep ?? -1, point.step);
          }
          yield event;
          if (event.__typename === 'StatusChanged' && isFinished(event.status)) return;
        }
        return; // the server completed the subscription
      } catch (cause) {
        const code = cause instanceof EpochalError ? cause.code : Array.isArray(cause) ? (cause[0]?.extensions?.code as string | undefined) : undefined;
        if (options.reconnect === false || (code && FATAL.has(code))) throw cause instanceof Error ? cause : new EpochalError(code ?? 'UNREACHABLE', JSON.stringify(cause));
        options.onReconnect?.(attempt + 1, cause);
        await new Promise((resolve) => setTimeout(resolve, transport.delay(Math.min(attempt++, 6))));
        // With afterStep the resumed stream starts with the run's status and epochs again; without one, start from now.
        afterStep ??= -1;
      } finally {
        await iterator.return?.();
      }
    }
  } finally {
    await client.dispose();
  }
}
