import type { Client } from 'graphql-ws';
import type { WatchRunStartQuery, WatchRunStartQueryVariables, WatchRunSubscription, WatchRunSubscriptionVariables } from './generated/graphql.js';
import { EpochalError, Transport, type TransportOptions } from './transport.js';

const WATCH_RUN = `subscription WatchRun($runId: ID!, $afterStep: Int, $after: String) {
  runEvents(runId: $runId, afterStep: $afterStep, after: $after) {
    __typename
    ... on MetricsLogged { runId key points { step value time } cursor }
    ... on EpochCompleted { runId epoch { phase index loss accuracy valLoss valAccuracy learningRate durationMs createdAt } cursor }
    ... on StatusChanged { runId status error statusCursor: cursor }
  }
}`;

export type RunEvent = WatchRunSubscription['runEvents'];

export interface WatchRunOptions extends TransportOptions {
  /** Start after this event cursor (an event's `cursor`, Run.eventCursor, or "0": the run's first event). */
  after?: string;
  /** Start after this step (-1: everything stored); neither this nor `after`: only what happens from now on. */
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
 * After a dropped connection it resubscribes with `after` = the cursor of the
 * last event received, so the server sends exactly what was missed (no gap,
 * no duplicate), however many writers log into the run. A live-only watch
 * starts from the run's eventCursor (read over HTTP first), so it too resumes
 * exactly even before its first event.
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
  if (options.after !== undefined && options.afterStep !== undefined) throw new Error('watchRun: give one of after and afterStep');
  let after = options.after;
  const afterStep = options.afterStep;
  if (after === undefined && afterStep === undefined) {
    const { run } = await transport.request<WatchRunStartQuery, WatchRunStartQueryVariables>(`query WatchRunStart($id: ID!) { run(id: $id) { eventCursor } }`, { id: runId });
    if (!run) throw new EpochalError('NOT_FOUND', `run ${runId} was not found`);
    after = run.eventCursor;
  }
  let attempt = 0;
  try {
    for (;;) {
      const variables = after !== undefined ? { runId, after } : { runId, afterStep };
      const iterator = client.iterate<WatchRunSubscription, WatchRunSubscriptionVariables>({ query: WATCH_RUN, variables });
      try {
        for await (const result of iterator) {
          const [error] = result.errors ?? [];
          if (error) throw new EpochalError((error.extensions?.code as string | undefined) ?? 'INTERNAL_SERVER_ERROR', error.message);
          const event = result.data!.runEvents;
          attempt = 0;
          after = ('statusCursor' in event ? event.statusCursor : 'cursor' in event ? event.cursor : null) ?? after;
          yield event;
          if (event.__typename === 'StatusChanged' && isFinished(event.status)) return;
        }
        return; // the server completed the subscription
      } catch (cause) {
        const code = cause instanceof EpochalError ? cause.code : Array.isArray(cause) ? (cause[0]?.extensions?.code as string | undefined) : undefined;
        if (options.reconnect === false || (code && FATAL.has(code))) throw cause instanceof Error ? cause : new EpochalError(code ?? 'UNREACHABLE', JSON.stringify(cause));
        options.onReconnect?.(attempt + 1, cause);
        await new Promise((resolve) => setTimeout(resolve, transport.delay(Math.min(attempt++, 6))));
      } finally {
        await iterator.return?.();
      }
    }
  } finally {
    await client.dispose();
  }
}
