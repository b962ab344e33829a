/**
 * GraphQL over HTTP with retries: the TypeScript client's transport. Uses the
 * global fetch (Node 18+, browsers, Deno, Bun).
 */

/** The server refused (extensions.code), or UNREACHABLE when it never answered. */
export class EpochalError extends Error {
  constructor(readonly code: string, message: string) {
    super(`${code}: ${message}`);
    this.name = 'EpochalError';
  }

  /** Worth trying again later: nothing about the request itself is wrong. */
  get retryable(): boolean {
    return RETRYABLE_CODES.has(this.code);
  }
}

const RETRYABLE_CODES = new Set(['UNREACHABLE', 'SERVICE_UNAVAILABLE', 'RATE_LIMITED', 'INTERNAL_SERVER_ERROR']);

export interface TransportOptions {
  /** http(s)://host:port/graphql; default EPOCHAL_URL or http://127.0.0.1:4000/graphql. */
  url?: string;
  /** Sent as `Authorization: Bearer …` (and as graphql-ws connectionParams by watchRun); default EPOCHAL_API_KEY. */
  apiKey?: string | null;
  /** Per request, ms (default 15 s). */
  timeoutMs?: number;
  /** Retries of one request before it fails (default 5). */
  retries?: number;
  /** First backoff, ms (default 500), doubling up to maxBackoffMs (default 30 s), with jitter. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

const env = (name: string): string | undefined => (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];

export class Transport {
  readonly url: string;
  readonly apiKey: string | null;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;

  constructor(options: TransportOptions = {}) {
    this.url = options.url ?? env('EPOCHAL_URL') ?? 'http://127.0.0.1:4000/graphql';
    this.apiKey = options.apiKey !== undefined ? options.apiKey : (env('EPOCHAL_API_KEY') ?? null);
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.retries = options.retries ?? 5;
    this.backoffMs = options.backoffMs ?? 500;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
  }

  /** ms to wait before retry number `attempt` (0-based). */
  delay(attempt: number): number {
    return Math.min(this.maxBackoffMs, this.backoffMs * 2 ** attempt) * (0.5 + Math.random() / 2);
  }

  private async once<TData>(query: string, variables: object): Promise<TData> {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {}) },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new EpochalError('UNREACHABLE', `${this.url}: ${(error as Error).message}`);
    }
    let body: { data?: TData; errors?: { message: string; extensions?: { code?: string } }[] };
    try {
      body = await response.json();
    } catch {
      throw new EpochalError(response.status >= 500 ? 'UNREACHABLE' : 'BAD_RESPONSE', `HTTP ${response.status} without a GraphQL body`);
    }
    const [first] = body.errors ?? [];
    if (first) throw new EpochalError(first.extensions?.code ?? 'INTERNAL_SERVER_ERROR', first.message);
    if (!body.data) throw new EpochalError('BAD_RESPONSE', 'no data in the answer');
    return body.data;
  }

  /** One operation; retried with backoff while unreachable or told to retry. */
  async request<TData, TVariables extends object = Record<string, never>>(query: string, variables: TVariables, retries = this.retries): Promise<TData> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once<TData>(query, variables);
      } catch (error) {
        if (!(error instanceof EpochalError) || !error.retryable || attempt >= retries) throw error;
        await sleep(this.delay(attempt));
      }
    }
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
