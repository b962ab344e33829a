import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNvidiaSmi, startSystemMetrics } from '../../src/training/worker/system-metrics.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The worker's system metrics, logged into a real run through MetricService.
 * nvidia-smi is answered by a script first on PATH that prints what
 * `nvidia-smi --query-gpu=utilization.gpu,memory.used --format=csv,noheader,nounits`
 * prints for two GPUs, so the GPU series are exercised on machines without one.
 */
let app: TestApp;
const originalPath = process.env.PATH;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  process.env.PATH = originalPath;
  await app?.stop();
});

async function sampleInto(runId: string, until: (keys: string[]) => boolean): Promise<string[]> {
  const sampler = startSystemMetrics({ write: (points) => app.services.metrics.logMetrics(runId, points), log: pino({ level: 'silent' }), intervalMs: 50 });
  try {
    for (let i = 0; i < 400; i++) {
      const [keys] = await app.services.metrics.metricKeysOfRuns([runId]).then((rows) => [rows.map((r) => r.key)]);
      if (until(keys)) return keys;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('no system metrics arrived');
  } finally {
    sampler.stop();
  }
}

describe('system metrics of a training', () => {
  it('reads nvidia-smi\'s CSV: mean utilisation, memory summed over GPUs, nothing when it has no GPU line', () => {
    expect(parseNvidiaSmi('37, 2048\n13, 1024\n')).toEqual({ utilization: 25, memoryMb: 3072 * 1.048576 });
    expect(parseNvidiaSmi('')).toBeNull();
    expect(parseNvidiaSmi('[N/A], [N/A]\n')).toBeNull();
  });

  it('logs CPU %, process memory and GPU figures as system/* series of the run', async () => {
    const bin = mkdtempSync(path.join(os.tmpdir(), 'epochal-fake-smi-'));
    writeFileSync(path.join(bin, 'nvidia-smi'), '#!/bin/sh\necho "37, 2048"\necho "13, 1024"\n');
    chmodSync(path.join(bin, 'nvidia-smi'), 0o755);
    process.env.PATH = `${bin}${path.delimiter}${originalPath}`;
    const run = await app.services.runs.createExternal({ name: 'system-metrics' });
    const keys = await sampleInto(run.id, (k) => k.includes('system/cpu_percent') && k.includes('system/gpu_memory_mb'));
    expect(keys).toEqual(['system/cpu_percent', 'system/gpu_memory_mb', 'system/gpu_utilization_percent', 'system/memory_mb']);
    const [memory] = await app.services.metrics.summariesOfRuns([run.id], 'system/memory_mb');
    expect(memory.last).toBeGreaterThan(10);
    const [gpu] = await app.services.metrics.summariesOfRuns([run.id], 'system/gpu_utilization_percent');
    expect(gpu.last).toBe(25);
  });

  it('logs no GPU series where nvidia-smi is missing', async () => {
    process.env.PATH = mkdtempSync(path.join(os.tmpdir(), 'epochal-empty-path-'));
    const run = await app.services.runs.createExternal({ name: 'no-gpu' });
    const keys = await sampleInto(run.id, (k) => k.includes('system/cpu_percent'));
    expect(keys).toEqual(['system/cpu_percent', 'system/memory_mb']);
  });
});
