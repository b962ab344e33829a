import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../support/test-app.js';
import { startProxy } from './tcp-proxy.js';

/**
 * clients/python/test_epochal.py with plain python3 against the real server,
 * through a TCP proxy this test can take down and bring back, so the client's
 * offline buffer meets a real outage (connection refused) and a real return.
 */
const app = useTestApp();

describe('Python client', () => {
  it('passes its own checks against a running server with plain python3, including an outage', async () => {
    const proxy = await startProxy(new URL(app.url));
    const child = spawn('python3', ['clients/python/test_epochal.py', proxy.url(), '--outage'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const output: string[] = [];
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const lines = createInterface({ input: child.stdout });
    let outageMs = 0;
    let outageStarted = 0;
    lines.on('line', (line) => {
      output.push(`${line}\n`);
      if (line === 'OUTAGE?') {
        void proxy.down().then(() => {
          outageStarted = Date.now();
          child.stdin.write('down\n');
        });
      }
      if (line === 'OFFLINE-LOGGED') {
        // Keep the server away a little longer, so the client's retries meet refusals too.
        setTimeout(() => void proxy.up().then(() => {
          outageMs = Date.now() - outageStarted;
          child.stdin.write('up\n');
        }), 1_000);
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    const text = output.join('');
    expect(code, text).toBe(0);
    expect(text).toContain('ok - all 501 points arrived');
    expect(text).toContain('ok - a with block that raises marks its run FAILED with the exception');
    expect(text).toContain('ok - heartbeats move the run\'s last report while nothing is logged');
    expect(text).toContain('ok - a script that raises marks its run FAILED with the exception');
    expect(text).toContain('ALL OK');
    expect(outageMs).toBeGreaterThan(2_000);
    await proxy.down();
  });
});
