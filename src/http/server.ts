import http from 'node:http';
import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { GraphQLContext } from '../graphql/context.js';
import { createContext } from '../graphql/context.js';
import { buildSchema } from '../graphql/schema.js';
import { maskError } from '../graphql/error-masking.js';
import { checkOperationInputs } from '../graphql/input-checks.js';
import { EpochalError } from '../kernel/errors.js';
import { createOperationLimits, type OperationLimitValues } from '../graphql/operation-limits.js';
import { attachWebSocketServer, type WebSocketLimits } from '../graphql/ws-server.js';
import { OperationGuard } from '../auth/operation-guard.js';
import { RateLimiter } from '../auth/rate-limiter.js';
import { createMetrics, type Metrics } from './prometheus-metrics.js';
import { isDatabaseReachable } from '../db/data-source.js';
import type { JobQueue } from '../kernel/job-queue.js';
import { domainRoutes, type Services } from '../domains.js';
import { webAppMiddleware } from './web-app.js';
import { createOriginPolicy, originCheck } from './request-origin.js';
import type { AddressInfo } from 'node:net';

export interface ServerOptions {
  services: Services;
  dataSource: DataSource;
  queue: JobQueue;
  log: Logger;
  host: string;
  port: number;
  inProcessWorker: boolean;
  /** API keys required (see config.ts for when). */
  authRequired: boolean;
  /** Operations per second per key (0: no limit) and the burst allowed. */
  rateLimit: { perSecond: number; burst: number };
  socketLimits: Omit<WebSocketLimits, 'maxMessageBytes'>;
  maxBodyBytes: number;
  operationLimits?: OperationLimitValues;
  /** Folders the file routes may read: EPOCHAL_IMPORT_ROOTS and EPOCHAL_DATA_DIR. */
  fileRoots: string[];
  /** Origins whose pages may call the API besides the server's own (config.ts); none when omitted. */
  allowedOrigins?: string[];
}

/** The peer's address from its socket: X-Forwarded-For could be anything the client likes. */
const addressOf = (req: http.IncomingMessage) => `addr:${req.socket.remoteAddress ?? 'unknown'}`;

export interface EpochalServer {
  url: string;
  httpServer: http.Server;
  metrics: Metrics;
  stop(): Promise<void>;
}

/**
 * One HTTP server for the API: GraphQL over HTTP and graphql-ws on /graphql,
 * /healthz, /readyz and /metrics. stop() drains HTTP, closes subscriptions
 * cleanly, then returns.
 */
const INVALID_UTF8 = 'body.invalid.utf8';

function refuseInvalidUtf8(_req: unknown, _res: unknown, body: Buffer): void {
  if (!isUtf8(body)) throw Object.assign(new Error('the request body is not valid UTF-8; send JSON encoded as UTF-8'), { type: INVALID_UTF8 });
}

const SUBSCRIPTION_OVER_HTTP = new EpochalError('BAD_USER_INPUT', 'subscriptions are served over WebSocket (graphql-transport-ws) at this same path, not over HTTP', { http: { status: 400 } });

export async function createServer(options: ServerOptions): Promise<EpochalServer> {
  const { services, log } = options;
  const schema = buildSchema({ inProcessWorker: options.inProcessWorker });
  const limits = createOperationLimits({ blockSuggestions: options.authRequired, values: options.operationLimits });
  const rateLimiter = options.rateLimit.perSecond > 0 ? new RateLimiter(options.rateLimit.perSecond, options.rateLimit.burst) : null;
  const guard = new OperationGuard(services.apiKeys, options.authRequired, rateLimiter);
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const origins = createOriginPolicy({
    allowedOrigins: options.allowedOrigins ?? [],
    port: () => (httpServer.address() as AddressInfo | null)?.port ?? options.port,
  });
  // First of all: a page from another site (or a rebound DNS name) gets nothing done, not even a key look-up.
  app.use(originCheck(origins));

  let activeSubscriptions = () => 0;
  const metrics = createMetrics({
    queueDepth: () => options.queue.depth(),
    activeSubscriptions: () => activeSubscriptions(),
    trainingThroughput: () => services.metrics.latestThroughput(),
  });
  const deps = { services, log, metrics };
  const ws = attachWebSocketServer({ httpServer, schema, deps, guard, limits, refusal: (headers) => origins.refusal(headers), socketLimits: { ...options.socketLimits, maxMessageBytes: options.maxBodyBytes } });
  activeSubscriptions = ws.activeOperations;

  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    includeStacktraceInErrorResponses: false,
    // main.ts owns SIGTERM/SIGINT and stops everything in order. Apollo's own
    // handler (on outside NODE_ENV=test) would start stop() first, and a second
    // stop() during its drain waits on a barrier that is never released: every
    // shutdown then hung until main.ts's 45 s deadline and exited 1.
    stopOnTerminationSignals: false,
    // Clients and codegen read the schema; keys (not obscurity) protect it. Apollo
    // would turn introspection off under NODE_ENV=production, which deployments set.
    introspection: true,
    // Credentials are bearer keys, never cookies, so a cross-site page cannot
    // borrow them: plain GET queries (curl, dashboards) stay allowed.
    csrfPrevention: false,
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    // The request id reaches formatError through the error's extensions (see the plugin below).
    formatError: (formatted, error) => {
      const masked = maskError(log, formatted, error, String(formatted.extensions?.requestId ?? 'unknown'), limits.blockSuggestions);
      metrics.errors.inc({ code: String(masked.extensions?.code ?? 'UNKNOWN') });
      return masked;
    },
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ...limits.apolloPlugins,
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await ws.dispose();
            },
          };
        },
      },
      {
        async requestDidStart({ contextValue, request }) {
          const started = performance.now();
          return {
            async didResolveOperation({ document, operationName, operation }) {
              guard.admit(contextValue.principal, document, operationName, contextValue.caller);
              if (operation?.operation === 'subscription') throw SUBSCRIPTION_OVER_HTTP;
              checkOperationInputs(document, request.variables);
              limits.assertCost(schema, document, operationName, request.variables);
              contextValue.log = contextValue.log.child({ operation: operationName ?? operation?.operation });
            },
            async didEncounterErrors({ errors }) {
              for (const error of errors) {
                if (!error.extensions.code || error.extensions.code === 'INTERNAL_SERVER_ERROR') error.extensions.requestId = contextValue.requestId;
              }
            },
            async willSendResponse({ response, operation, errors }) {
              const outcome = errors?.length ? 'error' : 'ok';
              // Nothing answered because the database is down: 503, which clients and proxies retry.
              const body = response.body.kind === 'single' ? response.body.singleResult : null;
              if (body && body.data == null && body.errors?.some((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE')) response.http.status = 503;
              metrics.operations.inc({ transport: 'http', type: operation?.operation ?? 'unknown', outcome });
              contextValue.log.debug({ ms: Math.round(performance.now() - started), outcome, status: response.http.status }, 'graphql request');
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
    const ready = (await isDatabaseReachable(options.dataSource)) && (await options.queue.depth().then(() => true, () => false));
    if (ready) res.json({ ok: true });
    else res.status(503).json({ ok: false, reason: 'database or job queue unreachable' });
  });
  app.get('/metrics', async (req, res) => {
    try {
      guard.admitRead(await guard.principal(req.headers.authorization, addressOf(req)), 'reading /metrics', `addr:${req.ip}`);
      res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    } catch (error) {
      const status = (error as { extensions?: { http?: { status?: number } } }).extensions?.http?.status ?? 500;
      res.status(status).json({ errors: [{ message: (error as Error).message }] });
    }
  });
  app.use(
    '/graphql',
    // Invalid UTF-8 would be decoded to U+FFFD and stored so: refuse the body instead.
    express.json({ limit: options.maxBodyBytes, verify: refuseInvalidUtf8 }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const requestId = (typeof req.headers['x-request-id'] === 'string' && req.headers['x-request-id'].slice(0, 100)) || randomUUID();
        res.setHeader('x-request-id', requestId);
        const caller = addressOf(req);
        return createContext(deps, requestId, await guard.principal(req.headers.authorization, caller), caller);
      },
    }),
  );
  // The dashboard (dashboard/dist) at /, after the API paths it must never shadow.
  const authorizeFiles = async (req: express.Request) => {
    guard.admitRead(await guard.principal(req.headers.authorization, addressOf(req)), `reading ${req.path}`, `addr:${req.ip}`);
  };
  const authorizeWrite = async (req: express.Request) => {
    guard.admitScope(await guard.principal(req.headers.authorization, addressOf(req)), 'write', `${req.method} ${req.path}`, `addr:${req.ip}`);
  };
  for (const router of domainRoutes(services, { log, roots: options.fileRoots, authorize: authorizeFiles, authorizeWrite })) app.use(router);
  app.use(webAppMiddleware({ log }));

  // Bodies that never reached GraphQL (bad JSON, too large) still get a GraphQL-shaped answer.
  app.use((error: { status?: number; type?: string; message?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (error.type === INVALID_UTF8) {
      res.status(400).json({ errors: [{ message: error.message, extensions: { code: 'BAD_USER_INPUT' } }] });
      return;
    }
    const message =
      error.type === 'entity.parse.failed' ? 'the request body is not valid JSON'
        : error.type === 'entity.too.large' ? `the request body is larger than ${options.maxBodyBytes} bytes; send fewer points per batch`
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
    metrics,
    stop: async () => {
      await apollo.stop();
      ws.wsServer.close();
    },
  };
}
