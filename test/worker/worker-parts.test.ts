import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Envelope, PubSub } from '../../src/kernel/pubsub.js';
import type { RunStatus } from '../../src/runs/run.record.js';
import { RunCancellation } from '../../src/training/worker/run-cancellation.js';
import { MetricBuffer } from '../../src/training/worker/metric-buffer.js';
import { describeTrainingError } from '../../src/trainers/tfjs/training-errors.js';
import { tfjsConfigSchema } from '../../src/trainers/tfjs/tfjs-config.js';

/** A PubSub that delivers what the test publishes, to check RunCancellation alone. */
function fakePubSub() {
  const handlers = new Map<string, Set<(e: Envelope) => void>>();
  const resync = new Set<() => void>();
  const pubsub: Pick<PubSub, 'subscribe' | 'onResync'> & Partial<PubSub> = {
    publish: async () => {},
    subscribe: (topic, handler) => {
      if (!handlers.has(topic)) handlers.set(topic, new Set());
      handlers.get(topic)!.add(handler);
      return () => handlers.get(topic)!.delete(handler);
    },
    onResync: (handler) => {
      resync.add(handler);
      return () => resync.delete(handler);
    },
    start: async () => {},
    stop: async () => {},
  };
  return {
    pubsub,
    deliver: (topic: string, body: unknown) => handlers.get(topic)?.forEach((h) => h({ topic, xid: '1', body })),
    resync: () => resync.forEach((h) => h()),
    listeners: () => [...handlers.values()].reduce((n, s) => n + s.size, 0),
  };
}

const RUN_ID = '6f1c1d3e-8a51-4d62-9a4e-3d1e2f9b7c10';

describe('RunCancellation', () => {
  afterEach(() => vi.useRealTimers());

  it('stops on a status event other than RUNNING, without reading the database', async () => {
    const bus = fakePubSub();
    const readStatus = vi.fn(async (): Promise<RunStatus | null> => 'RUNNING');
    const cancellation = new RunCancellation(RUN_ID, bus.pubsub, readStatus, 2_000);
    expect(cancellation.isCancelled()).toBe(false);
    bus.deliver(`run:${RUN_ID}`, { type: 'epoch', runId: RUN_ID });
    bus.deliver(`run:${RUN_ID}`, { type: 'status', status: 'RUNNING' });
    expect(cancellation.isCancelled()).toBe(false);
    bus.deliver(`run:${RUN_ID}`, { type: 'status', runId: RUN_ID, status: 'CANCELLED', error: 'cancelled by a user' });
    expect(cancellation.isCancelled()).toBe(true);
    expect(cancellation.signal.aborted).toBe(true);
    expect(cancellation.stopReason).toBe('the run became CANCELLED');
    expect(readStatus).not.toHaveBeenCalled();
    cancellation.dispose();
    expect(bus.listeners()).toBe(0);
  });

  it('re-reads the status at most once per interval as a fallback, and at once after a resync', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const bus = fakePubSub();
    let status: RunStatus = 'RUNNING';
    const readStatus = vi.fn(async () => status);
    const cancellation = new RunCancellation(RUN_ID, bus.pubsub, readStatus, 2_000);
    for (let i = 0; i < 100; i++) expect(await cancellation.isCancelled()).toBe(false);
    expect(readStatus).not.toHaveBeenCalled();
    vi.advanceTimersByTime(2_000);
    expect(await cancellation.isCancelled()).toBe(false);
    expect(await cancellation.isCancelled()).toBe(false);
    expect(readStatus).toHaveBeenCalledTimes(1);
    status = 'FAILED'; // swept as lost, and the notification was missed
    bus.resync();
    expect(await cancellation.isCancelled()).toBe(true);
    expect(readStatus).toHaveBeenCalledTimes(2);
    cancellation.dispose();
  });
});

describe('MetricBuffer', () => {
  it('writes every N points and on flush, never an empty batch', async () => {
    const writes: number[][] = [];
    const buffer = new MetricBuffer({ flushEvery: 3, write: async (series) => writes.push(series.flatMap((s) => s.steps)) });
    for (let step = 1; step <= 7; step++) await buffer.add('batch_loss', step, 1 / step);
    expect(writes).toEqual([[1, 2, 3], [4, 5, 6]]);
    await buffer.flush();
    await buffer.flush();
    expect(writes).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
  });

  it('gathers points by key into columns, one series per key with its values and times', async () => {
    const writes: { key: string; steps: readonly number[]; values: readonly number[]; times?: readonly Date[] | null }[][] = [];
    const buffer = new MetricBuffer({ flushEvery: 4, write: async (series) => writes.push(series) });
    await buffer.add('batch_loss', 10, 0.5);
    await buffer.add('images_per_second', 0, 120);
    await buffer.add('batch_loss', 20, 0.25);
    expect(buffer.size).toBe(3);
    await buffer.add('images_per_second', 1, 130);
    expect(writes).toHaveLength(1);
    expect(writes[0].map(({ key, steps, values }) => ({ key, steps, values }))).toEqual([
      { key: 'batch_loss', steps: [10, 20], values: [0.5, 0.25] },
      { key: 'images_per_second', steps: [0, 1], values: [120, 130] },
    ]);
    expect(writes[0].every((s) => s.times?.length === s.steps.length && s.times.every((t) => t instanceof Date))).toBe(true);
    expect(buffer.size).toBe(0);
  });
});

describe('describeTrainingError', () => {
  const config = tfjsConfigSchema.parse({ imageSize: 224, batchSize: 64, baseModelPath: '/models/vgg16' });

  it('suggests a smaller imageSize or batchSize when memory runs out', () => {
    const message = describeTrainingError(new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded; could not allocate memory'), config);
    expect(message).toMatch(/^training ran out of memory \(imageSize 224, batchSize 64, VGG16\): start the run again with a smaller imageSize or batchSize/);
  });

  it('names a baseModelPath that holds no model', () => {
    const message = describeTrainingError(new Error('Cannot read a TensorFlow.js model from /models/vgg16/model.json: ENOENT: no such file or directory'), config);
    expect(message).toContain('baseModelPath "/models/vgg16" is not a TensorFlow.js layers model folder');
  });

  it('keeps the message of anything else, clipped', () => {
    expect(describeTrainingError(new Error('The loss became NaN at batch 3: lower the learning rate'), config)).toBe(
      'training failed: The loss became NaN at batch 3: lower the learning rate',
    );
    expect(describeTrainingError(new Error('x'.repeat(5_000)), null).length).toBeLessThanOrEqual(2_000);
  });
});
