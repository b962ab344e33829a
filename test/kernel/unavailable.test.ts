import { QueryRunnerAlreadyReleasedError } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../src/kernel/unavailable.js';

describe('isDatabaseUnavailable', () => {
  it('counts the errors of a connection lost mid-transaction as an outage, not as our bug', () => {
    // TypeORM releases a transaction's query runner when its connection dies; the COMMIT then fails with this.
    expect(isDatabaseUnavailable(new QueryRunnerAlreadyReleasedError())).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
    expect(isDatabaseUnavailable({ originalError: new Error('Connection terminated unexpectedly') })).toBe(true);
  });

  it('leaves query errors alone', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }))).toBe(false);
    expect(isDatabaseUnavailable(new Error('syntax error at or near "SELEC"'))).toBe(false);
  });
});
