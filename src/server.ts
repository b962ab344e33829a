import http from 'node:http';
import { randomUUID } from 'node:crypto';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { unwrapResolverError } from '@apollo/server/errors';
import { expressMiddleware } from '@as-integrations/express5';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { createContext, type GraphQLContext } from './graphql/context.js';
import { buildSchema } from './graphql/schema.js';
import type { Services } from './services.js';

export interface ServerOptions {
  services: Services;
  dataSource: DataSource;
  log: Logger;
  host: string;
  port: number;
  inProcessWorker: boolean;
}

export interface EpochalServer {
  url: string;
  httpServer: http.Server;
  stop(): Promise<void>;
}

const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P02', '57P03', '08006', '08001', '08003']);

/** The database is down or restarting: tell clients to retry instead of calling it a bug. */
function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { code?: string; message?: string; driverError?: { code?: string } };
  const code = e?.driverError?.code ?? e?.code;
  return (code !== undefined && CONNECTION_ERRORS.has(code)) || /Connection terminated|timeout exceeded when trying to connect/i.test(e?.message ?? '');
}

const CLIENT_CODES = new Set(['BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT', 'UNAUTHENTICATED', 'FORBIDDEN', 'RATE_LIMITED',
  'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED', 'OPERATION_RESOLUTION_FAILURE']);

/**
 * Client errors pass through as they are; a database outage becomes a
 * retryable SERVICE_UNAVAILABLE; anything else is a bug: logged with the
 * request id, answered with that id and no details. Used for HTTP and WebSocket alike.
 */
export function maskError(log: Logger, formatted: GraphQLFormattedError, error: unknown, requestId: string): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  const original = unwrapResolverError(error);
  if (typeof code === 'string' && CLIENT_CODES.has(code)) {
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  // graphql-js's own coercion and validation errors (no code before Apollo adds one). By name, not
  // instanceof: graphql-ws loads graphql's CommonJS build, whose GraphQLError is another class.
  if (code === undefined && (original as Error)?.name === 'GraphQLError' && !(original as GraphQLError).originalError) {
    return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code: 'BAD_USER_INPUT' } };
  }
  if (isDatabaseUnavailable(original)) {
    return { message: 'the database is unavailable; retry shortly', path: formatted.path, extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true } };
  }
  log.error({ err: original, path: formatted.path, requestId }, 'internal error');
  return { message: `internal server error (request id ${requestId}); the server log has the details`, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } };
}

/**
 * One HTTP server for the API: GraphQL over HTTP and graphql-ws on /graphql.
 * stop() drains HTTP, closes subscriptions cleanly, then returns.
 */
export async function createServer(options: ServerOptions): Promise<EpochalServer> {
  const { services, log } = options;
  const schema = buildSchema({ inProcessWorker: options.inProcessWorker });
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);

  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const wsCleanup = useServer<Record<string, unknown>, { requestId?: string }>(
    {
      schema,
      context: (ctx, id) => createContext(services, log, `ws-${ctx.extra.requestId ?? 'conn'}-${id}`),
      onConnect: (ctx) => {
        ctx.extra.requestId = randomUUID();
      },
      onNext: (ctx, id, _payload, _args, result) => {
        if (!result.errors?.length) return;
        const requestId = `ws-${ctx.extra.requestId ?? 'conn'}-${id}`;
        return { ...result, errors: result.errors.map((e) => maskError(log, e.toJSON(), e, requestId)) } as unknown as typeof result;
      },
      onError: (ctx, id, _payload, errors) => {
        const requestId = `ws-${ctx.extra.requestId ?? 'conn'}-${id}`;
        return errors.map((e) => maskError(log, e.toJSON(), e, requestId)) as unknown as readonly GraphQLError[];
      },
    },
    wsServer,
  );

  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    includeStacktraceInErrorResponses: false,
    // Credentials are bearer keys, never cookies, so a cross-site page cannot
    // borrow them: plain GET queries (curl, dashboards) stay allowed.
    csrfPrevention: false,
    // The request id reaches formatError through the error's extensions (see the plugin below).
    formatError: (formatted, error) => maskError(log, formatted, error, String(formatted.extensions?.requestId ?? 'unknown')),
    plugins: [
      {
        async requestDidStart({ contextValue }) {
          return {
            async didEncounterErrors({ errors }) {
              for (const error of errors) {
                if (!error.extensions.code || error.extensions.code === 'INTERNAL_SERVER_ERROR') error.extensions.requestId = contextValue.requestId;
              }
            },
          };
        },
      },
      ApolloServerPluginDrainHttpServer({ httpServer }),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await wsCleanup.dispose();
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await options.dataSource.query('SELECT 1');
      res.json({ ok: true });
    } catch {
      res.status(503).json({ ok: false, reason: 'database unreachable' });
    }
  });
  app.use(
    '/graphql',
    express.json({ limit: '20mb' }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const requestId = (typeof req.headers['x-request-id'] === 'string' && req.headers['x-request-id'].slice(0, 100)) || randomUUID();
        res.setHeader('x-request-id', requestId);
        return createContext(services, log, requestId);
      },
    }),
  );

  // Bodies that never reached GraphQL (bad JSON, too large) still get a GraphQL-shaped answer.
  app.use((error: { status?: number; type?: string; message?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
    const message =
      error.type === 'entity.parse.failed' ? 'the request body is not valid JSON'
        : error.type === 'entity.too.large' ? 'the request body is too large'
          : status < 500 ? (error.message ?? 'bad request') : 'internal server error';
    if (status >= 500) log.error({ err: error }, 'request failed outside GraphQL');
    res.status(status).json({ errors: [{ message, extensions: { code: status === 413 ? 'PAYLOAD_TOO_LARGE' : status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR' } }] });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => resolve());
  });
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}/graphql`;
  return {
    url,
    httpServer,
    stop: async () => {
      await apollo.stop();
      wsServer.close();
    },
  };
}
