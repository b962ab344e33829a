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
  caller?: string;
  operations?: Set<string>;
}

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
}) {
  const { schema, deps, guard, limits, socketLimits } = options;
  const log = deps.log;
  const connectionsPerKey = new Map<string, number>();
  let activeOperations = 0;
  // The same size bound as HTTP bodies: a larger message closes the socket (1009).
  const wsServer = new WebSocketServer({ server: options.httpServer, path: '/graphql', maxPayload: socketLimits.maxMessageBytes });
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
          state.principal = await guard.principal(authorization);
        } catch {
          return false;
        }
        if (guard.authRequired && !state.principal) return false;
        const keyId = state.principal?.keyId;
        if (keyId) {
          const held = connectionsPerKey.get(keyId) ?? 0;
          if (held >= socketLimits.maxConnectionsPerKey) {
            state.socket.close(TOO_MANY_CONNECTIONS, `too many connections for this API key (at most ${socketLimits.maxConnectionsPerKey})`);
            return false;
          }
          connectionsPerKey.set(keyId, held + 1);
        }
        return true;
      },
      onClose: (ctx) => {
        const keyId = ctx.extra.principal?.keyId;
        if (keyId && connectionsPerKey.has(keyId)) {
          const left = (connectionsPerKey.get(keyId) ?? 1) - 1;
          if (left <= 0) connectionsPerKey.delete(keyId);
          else connectionsPerKey.set(keyId, left);
        }
        activeOperations -= ctx.extra.operations?.size ?? 0;
        ctx.extra.operations?.clear();
      },
      onSubscribe: async (ctx, id, payload): Promise<ExecutionArgs | readonly GraphQLError[]> => {
        const state = ctx.extra;
        if (refusedSockets.has(state.socket)) return [new EpochalError('BAD_USER_INPUT', 'the message was not valid UTF-8')];
        try {
          const principal = await guard.principal(state.authorization);
          if ((state.operations?.size ?? 0) >= socketLimits.maxSubscriptionsPerConnection) {
            throw new EpochalError('RATE_LIMITED', `at most ${socketLimits.maxSubscriptionsPerConnection} operations at once on one connection; open another connection or end some`);
          }
          const parsed = limits.parseAndValidate(schema, payload.query);
          if (Array.isArray(parsed)) return parsed.map((e) => e as GraphQLError);
          const document = parsed as Exclude<typeof parsed, readonly GraphQLError[]>;
          guard.admit(principal, document, payload.operationName, state.caller ?? 'ws');
          checkOperationInputs(document, payload.variables);
          state.operations?.add(id);
          activeOperations++;
          return {
            schema,
            document,
            operationName: payload.operationName,
            variableValues: payload.variables ?? undefined,
            contextValue: createContext(deps, requestIdOf(state, id), principal),
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

  return {
    wsServer,
    activeOperations: () => activeOperations,
    /**
     * Closes every socket with 1001 and waits for the peers to answer. ws waits
     * 30 s for a peer that does not (one busy, or far behind on a full socket
     * buffer) before dropping it; after `graceMs` we drop those ourselves.
     */
    dispose: async (graceMs = DISPOSE_GRACE_MS) => {
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
