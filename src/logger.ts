import pino, { type Logger } from 'pino';

/** Structured JSON logs; LOG_LEVEL=debug for more, silent in tests unless asked. */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { service: 'epochal' }, redact: ['req.headers.authorization', 'connectionParams.authorization'] });
}
export type { Logger };
