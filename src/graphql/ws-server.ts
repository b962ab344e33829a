import type http from 'node:http';
import { randomUUID } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { WebSocketServer, type WebSocket } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import type { ExecutionArgs, GraphQLError, GraphQLSchema } from 'graphql';
import type { OperationGuard } from '../auth/operation-guard.js';
import type { Principal } from '../auth/api-key.service.js';
import { EpochalError } from '../kernel/errors.js';
import { createContext, type ContextDeps } from './context.js';
import { maskError } from './error-masking.js';
import { checkOperationInputs } from './input-checks.js';
import type { OperationLimits } from './operation-limits.js';

/** How long a peer has to answer our close frame at shutdown. */
const DISPOSE_GRACE_MS = 3_000;

export interface WebSocketLimits {
  maxSubscriptionsPerConnection: number;
  maxConnectionsPerKey: number;
  maxMessageBytes: number;
}

interface ConnectionState {
  connectionId?: string;
  authorization?: string | null;
  principal?: Principal | null;
  /** The key this connection holds a slot of (per-key cap); set only once the slot is taken. */
  countedKeyId?: string;
  caller?: string;
  operations?: Set<string>;
}

/** Closed with this code (RFC 6455 "try again later") when the key cannot be checked for now. */
export const TRY_AGAIN_LATER = 1013;

/** Closed with this code when the connection's key is refused or revoked (graphql-ws's Forbidden). */
export const KEY_REVOKED = 4403;

/** Closed with this code when one key holds too many connections. */
export const TOO_MANY_CONNECTIONS = 4429;

/**
 * graphql-ws on the HTTP server's /graphql path. Every operation goes through
 * the same guard and limits as HTTP: the key is checked on connect and again
 * for each operation (so a revoked key stops working on open connections too).
 */
export function attachWebSocketServer(options: {
  httpServer: http.Server;
  schema: GraphQLSchema;
  deps: ContextDeps;
  guard: OperationGuard;
  limits: OperationLimits;
  socketLimits: WebSocketLimits;
  /** Why an upgrade request must be refused (403) before anything else, or null (its Origin and Host). */
  refusal?: (headers: http.IncomingHttpHeaders) => string | null;
}) {
  const { schema, deps, guard, limits, socketLimits } = options;
  const log = deps.log;
  const connectionsPerKey = new Map<string, number>();
  /** Open, accepted connections that hold a key: closed when that key is revoked. */
  const keyed = new Set<ConnectionState & { socket: WebSocket }>();
  let activeOperations = 0;
  // The same size bound as HTTP bodies: a larger message closes the socket (1009).
  const wsServer = new WebSocketServer({
    server: options.httpServer,
    path: '/graphql',
    maxPayload: socketLimits.maxMessageBytes,
    verifyClient: (info, done) => {
      const why = options.refusal?.(info.req.headers) ?? null;
      if (why) done(false, 403, why);
      else done(true);
    },
  });
  const requestIdOf = (state: ConnectionState, id: string) => `ws-${state.connectionId ?? 'conn'}-${id}`;
  const mask = (state: ConnectionState, id: string) => (e: GraphQLError) =>
    maskError(log, e.toJSON(), e, requestIdOf(state, id), limits.blockSuggestions);
  // ws closes on invalid UTF-8 in text frames (1007); binary frames it hands over as
  // they are, and graphql-ws would decode them with U+FFFD. Registered before graphql-ws's
  // own listener, so a refused message is marked before graphql-ws reads it.
  const refusedSockets = new WeakSet<WebSocket>();
  wsServer.on('connection', (socket) => {
    socket.on('message', (data, isBinary) => {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      if (isBinary && !isUtf8(bytes)) {
        refusedSockets.add(socket);
        socket.close(1007, 'messages must be UTF-8 JSON');
      }
    });
  });

  const cleanup = useServer<Record<string, unknown> | undefined, ConnectionState & Record<PropertyKey, unknown>>(
    {
      schema,
      onConnect: async (ctx) => {
        const state = ctx.extra;
        state.connectionId = randomUUID();
        state.operations = new Set();
        const authorization = typeof ctx.connectionParams?.authorization === 'string' ? ctx.connectionParams.authorization : null;
        state.authorization = authorization;
        state.caller = `addr:${state.request.socket.remoteAddress}`;
        try {
          state.principal = await guard.principal(authorization, state.caller ?? 'ws');
        } catch (error) {
          const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
          // The key could not be checked (database down): a close the client retries, not 4403's "bad key".
          if (code === 'SERVICE_UNAVAILABLE') state.socket.close(TRY_AGAIN_LATER, 'the database is unavailable; retry shortly');
          if (code === 'RATE_LIMITED') state.socket.close(TOO_MANY_CONNECTIONS, 'too many failed API key checks from this address; retry later');
          return false;
        }
        if (guard.authRequired && !state.principal) return false;
        // Closed while the key was being checked: onClose already ran, so taking a slot now would leak it.
        if (state.socket.readyState !== state.socket.OPEN) return false;
        const keyId = state.principal?.keyId;
        if (keyId) {
          const held = connectionsPerKey.get(keyId) ?? 0;
          if (held >= socketLimits.maxConnectionsPerKey) {
            state.socket.close(TOO_MANY_CONNECTIONS, `too many connections for this API key (at most ${socketLimits.maxConnectionsPerKey})`);
            return false;
          }
          connectionsPerKey.set(keyId, held + 1);
          state.countedKeyId = keyId;
          keyed.add(state);
        }
        return true;
      },
      onClose: (ctx) => {
        // Only a connection that took a slot gives one back: a refused one (over the cap) never did.
        const keyId = ctx.extra.countedKeyId;
        if (keyId && connectionsPerKey.has(keyId)) {
          const left = (connectionsPerKey.get(keyId) ?? 1) - 1;
          if (left <= 0) connectionsPerKey.delete(keyId);
          else connectionsPerKey.set(keyId, left);
        }
        keyed.delete(ctx.extra);
        activeOperations -= ctx.extra.operations?.size ?? 0;
        ctx.extra.operations?.clear();
      },
      onSubscribe: async (ctx, id, payload): Promise<ExecutionArgs | readonly GraphQLError[]> => {
        const state = ctx.extra;
        if (refusedSockets.has(state.socket)) return [new EpochalError('BAD_USER_INPUT', 'the message was not valid UTF-8')];
        try {
          const principal = await guard.principal(state.authorization, state.caller ?? 'ws');
          if ((state.operations?.size ?? 0) >= socketLimits.maxSubscriptionsPerConnection) {
            throw new EpochalError('RATE_LIMITED', `at most ${socketLimits.maxSubscriptionsPerConnection} operations at once on one connection; open another connection or end some`);
          }
          const parsed = limits.parseAndValidate(schema, payload.query);
          if (Array.isArray(parsed)) return parsed.map((e) => e as GraphQLError);
          const document = parsed as Exclude<typeof parsed, readonly GraphQLError[]>;
          guard.admit(principal, document, payload.operationName, state.caller ?? 'ws');
          checkOperationInputs(document, payload.variables);
          limits.assertCost(schema, document, payload.operationName, payload.variables);
          state.operations?.add(id);
          activeOperations++;
          return {
            schema,
            document,
            operationName: payload.operationName,
            variableValues: payload.variables ?? undefined,
            contextValue: createContext(deps, requestIdOf(state, id), principal, state.caller ?? 'ws'),
          };
        } catch (error) {
          if ((error as Error)?.name === 'GraphQLError') return [error as GraphQLError];
          throw error;
        }
      },
      onComplete: (ctx, id) => {
        if (ctx.extra.operations?.delete(id)) activeOperations--;
      },
      onNext: (ctx, id, _payload, _args, result) => {
        if (!result.errors?.length) return;
        return { ...result, errors: result.errors.map(mask(ctx.extra, id)) } as unknown as typeof result;
      },
      onError: (ctx, id, _payload, errors) => errors.map(mask(ctx.extra, id)) as unknown as readonly GraphQLError[],
    },
    wsServer,
  );

  // A revoked key's sockets close now (on every API process: the revocation is an event), not at their next operation.
  const stopWatching = guard.onRevoked(async (keyId) => {
    for (const state of [...keyed]) {
      if (keyId !== null && state.principal?.keyId !== keyId) continue;
      // After missed events: close only the sockets whose key is now refused as such (not for an outage).
      if (keyId === null && (await guard.principal(state.authorization, state.caller ?? 'ws').then(() => true, (e) => (e as { extensions?: { code?: unknown } }).extensions?.code !== 'UNAUTHENTICATED'))) continue;
      state.socket.close(KEY_REVOKED, 'the API key was revoked');
    }
  });

  return {
    wsServer,
    activeOperations: () => activeOperations,
    /**
     * Closes every socket with 1001 and waits for the peers to answer. ws waits
     * 30 s for a peer that does not (one busy, or far behind on a full socket
     * buffer) before dropping it; after `graceMs` we drop those ourselves.
     */
    dispose: async (graceMs = DISPOSE_GRACE_MS) => {
      stopWatching();
      const closing = cleanup.dispose();
      const cut = setTimeout(() => {
        for (const socket of wsServer.clients) socket.terminate();
      }, graceMs);
      try {
        await closing;
      } finally {
        clearTimeout(cut);
      }
    },
  };
}
