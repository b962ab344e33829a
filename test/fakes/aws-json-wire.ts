import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The AWS JSON 1.1 protocol as a fake server speaks it: POST /, the operation
 * in X-Amz-Target, JSON bodies, errors as {"__type","Message"} with HTTP 400,
 * or 500 for ThrottlingException and InternalServerError.
 */
export class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = type === 'ThrottlingException' || type === 'InternalServerError' ? 500 : 400,
  ) {
    super(message);
  }
}

export type JsonInput = Record<string, any>;

/** Timestamps on the wire are epoch seconds as JSON numbers. */
export const epochSeconds = () => Date.now() / 1000;

/** Serves `handle(operation, input)` for one service's target prefix (e.g. "RekognitionService"). */
export async function serveAwsJson(targetPrefix: string, handle: (operation: string, input: JsonInput) => Promise<unknown>): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => void respond(req, res));
  async function respond(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith(`${targetPrefix}.`) ? target.slice(targetPrefix.length + 1) : '';
    try {
      if (req.method !== 'POST' || !String(req.headers['content-type'] ?? '').startsWith('application/x-amz-json-1.1')) {
        throw new AwsError('SerializationException', 'Expected POST with Content-Type application/x-amz-json-1.1');
      }
      let input: JsonInput;
      try {
        input = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
      } catch {
        throw new AwsError('SerializationException', 'Request body is not valid JSON');
      }
      send(res, 200, await handle(operation, input));
    } catch (error) {
      if (error instanceof AwsError) send(res, error.status, { __type: error.type, Message: error.message });
      else send(res, 500, { __type: 'InternalServerError', Message: `fake: ${(error as Error).message}` });
    }
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': randomUUID() });
  res.end(text);
}

/** A required string member, or the ValidationException AWS answers. */
export function required(input: JsonInput, member: string): string {
  const value = input[member];
  if (typeof value !== 'string' || value === '') {
    throw new AwsError('ValidationException', `1 validation error detected: Value null at '${member[0].toLowerCase()}${member.slice(1)}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

/** MaxResults/NextToken paging over a list. */
export function paginate<T>(items: T[], input: JsonInput): { page: T[]; next: string | null } {
  const start = input.NextToken ? Number(Buffer.from(String(input.NextToken), 'base64').toString()) : 0;
  const size = Math.min(Number(input.MaxResults) || 100, 100);
  const page = items.slice(start, start + size);
  return { page, next: start + size < items.length ? Buffer.from(String(start + size)).toString('base64') : null };
}
