import { createClient, type Client } from 'graphql-ws';

/**
 * The dashboard talks to the same API as every client: GraphQL over HTTP for
 * queries and mutations, graphql-ws for live events, with the same API key
 * rules (a pasted key is sent as a bearer token on both).
 */

const KEY_STORAGE = 'epochal.apiKey';
const GRAPHQL_PATH = '/graphql';

export function apiKey(): string | null {
  try {
    return localStorage.getItem(KEY_STORAGE) || null;
  } catch {
    return null; // storage disabled: no key
  }
}

export function setApiKey(key: string | null): void {
  if (key) localStorage.setItem(KEY_STORAGE, key.trim());
  else localStorage.removeItem(KEY_STORAGE);
  // Open sockets were authorized with the old key: reconnect with the new one.
  wsClient?.terminate();
  wsClient = null;
}

function authorizationHeader(): Record<string, string> {
  const key = apiKey();
  return key ? { authorization: `Bearer ${key}` } : {};
}

/** A refused request: `code` is the API's extensions.code (or NETWORK when the server was not reached). */
export class ApiError extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
  }

  /** What the user should do next, in words. */
  get hint(): string {
    switch (this.code) {
      case 'UNAUTHENTICATED':
        return 'This server needs an API key: paste one under "API key" at the top right.';
      case 'FORBIDDEN':
        return 'Your API key may not do this: ask for a key with more rights, or paste another under "API key".';
      case 'NETWORK':
        return 'The server did not answer. Check that `npm start` is running, then retry.';
      case 'SERVICE_UNAVAILABLE':
        return 'The database is unavailable; retry in a few seconds.';
      case 'RATE_LIMITED':
        return 'Too many requests: wait a moment, then retry.';
      default:
        return '';
    }
  }
}

interface GraphQLErrorShape {
  message: string;
  extensions?: { code?: string };
}

function toApiError(errors: readonly GraphQLErrorShape[]): ApiError {
  const [first] = errors;
  return new ApiError(first?.message ?? 'request failed', first?.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
}

/**
 * A GraphQL document, typed with its result and variables (the generated
 * types of queries.ts): request() and live() infer both from it.
 */
export type Operation<TData, TVariables> = string & { readonly __types?: [TData, TVariables] };

/** The variables argument: optional when the operation has no required variable. */
type VariablesArg<TVariables> = {} extends TVariables ? [variables?: TVariables] : [variables: TVariables];

/** One GraphQL query or mutation over HTTP; throws ApiError on any error. */
export async function request<TData, TVariables>(query: Operation<TData, TVariables>, ...[variables]: VariablesArg<NoInfer<TVariables>>): Promise<TData> {
  let response: Response;
  try {
    response = await fetch(GRAPHQL_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authorizationHeader() },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new ApiError('cannot reach the server', 'NETWORK');
  }
  let body: { data?: TData; errors?: GraphQLErrorShape[] };
  try {
    body = await response.json();
  } catch {
    throw new ApiError(`the server answered HTTP ${response.status} without a GraphQL body`, response.status === 401 ? 'UNAUTHENTICATED' : 'NETWORK');
  }
  if (body.errors?.length) throw toApiError(body.errors);
  if (!body.data) throw new ApiError('the server answered no data', 'INTERNAL_SERVER_ERROR');
  return body.data;
}

/** Fetches a file from the API (with the key) and returns an object URL for <img> or a download link. */
export async function fetchObjectUrl(path: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(path, { headers: authorizationHeader() });
  } catch {
    throw new ApiError('cannot reach the server', 'NETWORK');
  }
  if (!response.ok) {
    const text = await response.text().catch(() => '');
    let message = text || `HTTP ${response.status}`;
    try {
      message = (JSON.parse(text) as { error?: string }).error ?? message;
    } catch {
      // not JSON: keep the text
    }
    throw new ApiError(message, response.status === 401 ? 'UNAUTHENTICATED' : response.status === 403 ? 'FORBIDDEN' : `HTTP_${response.status}`);
  }
  return URL.createObjectURL(await response.blob());
}

let wsClient: Client | null = null;
let socketOpen = false;
const onSocketOpen = new Set<() => void>();

function socket(): Client {
  if (wsClient) return wsClient;
  wsClient = createClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${GRAPHQL_PATH}`,
    // Read at every (re)connect, so a newly pasted key is used.
    connectionParams: () => authorizationHeader(),
    lazy: true,
    // Subscriptions resubscribe themselves (after their last cursor) in `live` below,
    // so the client itself never replays a stale subscribe message.
    retryAttempts: 0,
    keepAlive: 10_000,
  });
  wsClient.on('connected', () => {
    socketOpen = true;
    for (const listener of [...onSocketOpen]) listener();
  });
  wsClient.on('closed', () => (socketOpen = false));
  return wsClient;
}

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'failed';

/** Codes that no retry will fix. */
const FATAL_CODES = new Set(['BAD_USER_INPUT', 'NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN', 'GRAPHQL_VALIDATION_FAILED']);

export interface LiveOptions<TData, TVariables> {
  query: Operation<TData, TVariables>;
  /** Called at every (re)subscribe: where to resume from. */
  variables: () => NoInfer<TVariables>;
  onData: (data: NoInfer<TData>) => void;
  onState?: (state: LiveState, error?: ApiError) => void;
  /** Called when a resubscription starts (after a drop), before its first event. */
  onResubscribe?: () => void;
}

/**
 * A subscription that survives dropped connections: after an error or a
 * closed socket it resubscribes with fresh variables (the caller's cursor),
 * backing off 0.5 s → 10 s. It is 'live' once subscribed on an open socket: a
 * resumed subscription may have nothing to send yet. Returns a function that ends it.
 */
export function live<TData, TVariables extends Record<string, unknown>>(options: LiveOptions<TData, TVariables>): () => void {
  let stopped = false;
  let attempt = 0;
  let dispose: (() => void) | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** The subscription now running; an older one's late callbacks change nothing. */
  let current: object | null = null;

  const retry = (error?: ApiError) => {
    current = null;
    dispose?.();
    dispose = null;
    if (stopped) return;
    if (error && FATAL_CODES.has(error.code)) {
      options.onState?.('failed', error);
      return;
    }
    options.onState?.('reconnecting', error);
    const delay = Math.min(10_000, 500 * 2 ** attempt++);
    timer = setTimeout(start, delay);
  };

  const start = () => {
    if (stopped) return;
    if (attempt > 0) options.onResubscribe?.();
    options.onState?.(attempt > 0 ? 'reconnecting' : 'connecting');
    let first = true;
    const attemptToken = {};
    current = attemptToken;
    const markLive = () => {
      if (!first || stopped || current !== attemptToken) return;
      first = false;
      attempt = 0;
      options.onState?.('live');
    };
    const client = socket();
    dispose = client.subscribe<TData>(
      { query: options.query, variables: options.variables() },
      {
        next: (result) => {
          if (result.errors?.length) return retry(toApiError(result.errors as GraphQLErrorShape[]));
          markLive();
          if (result.data) options.onData(result.data as TData);
        },
        error: (error) => retry(Array.isArray(error) ? toApiError(error as GraphQLErrorShape[]) : new ApiError('the live connection dropped', 'NETWORK')),
        // The server ends a subscription only when it has to (a restart, a
        // subscriber too far behind): resume from where we are.
        complete: () => {
          if (!stopped) retry();
        },
      },
    );
    // Subscribed: live as soon as the socket is open (now, or when it opens).
    if (socketOpen) queueMicrotask(markLive);
    else {
      const listener = () => {
        onSocketOpen.delete(listener);
        markLive();
      };
      onSocketOpen.add(listener);
      const endWait = dispose;
      dispose = () => {
        onSocketOpen.delete(listener);
        endWait?.();
      };
    }
  };

  start();
  return () => {
    stopped = true;
    clearTimeout(timer);
    dispose?.();
  };
}
