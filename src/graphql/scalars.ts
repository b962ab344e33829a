import { GraphQLScalarType, Kind } from 'graphql';
import { JSONResolver } from 'graphql-scalars';
import { badInput } from '../kernel/errors.js';

/** Strict ISO-8601 date-times in, UTC ISO strings out. */
function parseDateTime(value: unknown): Date {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value)) {
    throw badInput(`DateTime must be an ISO-8601 string with a time zone, e.g. 2026-11-26T10:00:00Z; got ${JSON.stringify(value)?.slice(0, 60)}`);
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw badInput(`DateTime ${value} is not a real date`);
  // Year 0000 parses here but PostgreSQL has no year 0 (1 BC comes before 1 AD).
  if (date.getUTCFullYear() < 1) throw badInput(`DateTime ${value} is before the year 0001`);
  return date;
}

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An ISO-8601 date-time string, always in UTC.',
  serialize(value) {
    const date = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new TypeError(`not a date: ${String(value)}`);
    return date.toISOString();
  },
  parseValue: parseDateTime,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw badInput('DateTime must be a string');
    return parseDateTime(ast.value);
  },
});

export const JSONScalar = JSONResolver;
