import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';

export interface GraphQLResponse<T = any> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; [k: string]: unknown } }[];
}

/** A POST over HTTP, as any GraphQL client sends it. */
export async function gql<T = any>(url: string, query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}): Promise<GraphQLResponse<T> & { status: number }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as GraphQLResponse<T>) };
}

/** Like gql, but throws on any error: for setup steps. */
export async function gqlOk<T = any>(url: string, query: string, variables?: Record<string, unknown>): Promise<T> {
  const result = await gql<T>(url, query, variables);
  if (result.errors?.length || !result.data) throw new Error(`GraphQL error: ${JSON.stringify(result.errors)}`);
  return result.data;
}

/** The first error's code, for assertions. */
export const errorCode = (result: GraphQLResponse) => result.errors?.[0]?.extensions?.code;

export function wsClient(httpUrl: string, connectionParams?: Record<string, unknown>): Client {
  return createClient({ url: httpUrl.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams, retryAttempts: 0, lazy: true });
}

/** Collects a subscription's events until `until` says stop (or the timeout passes). */
export async function collect<T = any>(
  client: Client,
  query: string,
  variables: Record<string, unknown>,
  until: (events: T[]) => boolean,
  timeoutMs = 20_000,
): Promise<T[]> {
  const events: T[] = [];
  const iterator = client.iterate<T>({ query, variables });
  const timer = setTimeout(() => void iterator.return?.(), timeoutMs);
  try {
    for await (const result of iterator) {
      if (result.errors?.length) throw new Error(`subscription error: ${JSON.stringify(result.errors)}`);
      events.push(result.data as T);
      if (until(events)) break;
    }
  } finally {
    clearTimeout(timer);
    await iterator.return?.();
  }
  return events;
}

/**
 * A live-only subscription sends nothing to say it has begun, and a write made
 * before it began is rightly never sent. So repeat `probe` (a write it should
 * see) until `seen()` says one arrived: from then on, every write reaches it.
 */
export async function untilLive(probe: (attempt: number) => Promise<unknown>, seen: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; !seen(); attempt++) {
    if (Date.now() > deadline) throw new Error(`the subscription did not go live within ${timeoutMs} ms`);
    await probe(attempt);
    for (let i = 0; i < 20 && !seen(); i++) await new Promise((r) => setTimeout(r, 10));
  }
}

export const DATASET_IMAGES = [
  { uri: '/data/train/CNV/1.png', label: 'CNV', split: 'TRAIN' },
  { uri: '/data/train/NORMAL/1.png', label: 'NORMAL', split: 'TRAIN' },
  { uri: '/data/test/CNV/2.png', label: 'CNV', split: 'TEST' },
  { uri: '/data/test/NORMAL/2.png', label: 'NORMAL', split: 'TEST' },
];

/** One operation over graphql-ws, answered as HTTP answers: `{ data, errors }`. */
export async function gqlOverWebSocket(url: string, query: string, variables?: Record<string, unknown>, authorization?: string): Promise<GraphQLResponse> {
  const client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: authorization ? { authorization } : undefined,
    retryAttempts: 0,
    lazy: true,
  });
  try {
    const iterator = client.iterate({ query, variables });
    const first = await iterator.next();
    await iterator.return?.();
    return (first.value ?? {}) as GraphQLResponse;
  } catch (error) {
    if (Array.isArray(error)) return { errors: error };
    const closed = error as { code?: number; reason?: string };
    if (typeof closed?.code === 'number') return { errors: [{ message: `socket closed ${closed.code}: ${closed.reason}`, extensions: { code: `CLOSE_${closed.code}` } }] };
    throw error;
  } finally {
    await client.dispose();
  }
}
