import { afterEach, describe, expect, it } from 'vitest';
import { EngineUnavailableError, loadTrainingEngine } from '../../../src/trainers/tfjs/engine/select-engine.js';

const saved = process.env.EPOCHAL_TFJS_ENGINE;
afterEach(() => {
  if (saved === undefined) delete process.env.EPOCHAL_TFJS_ENGINE;
  else process.env.EPOCHAL_TFJS_ENGINE = saved;
});

describe('loadTrainingEngine', () => {
  it('loads wasm with the gradient kernels registered, once per process', async () => {
    const engine = await loadTrainingEngine({ prefer: 'wasm' });
    expect(engine.name).toBe('wasm');
    expect(engine.tf.getBackend()).toBe('wasm');
    expect(engine.gpuName).toBeNull();
    expect(engine.tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    expect(await loadTrainingEngine({ prefer: 'wasm' })).toBe(engine);
  });

  it('switches the shared tf instance to the cpu backend when cpu is asked for', async () => {
    const cpu = await loadTrainingEngine({ prefer: 'cpu' });
    expect(cpu.tf.getBackend()).toBe('cpu');
    expect((await loadTrainingEngine({ prefer: 'wasm' })).tf.getBackend()).toBe('wasm');
  });

  it('honours EPOCHAL_TFJS_ENGINE and names why a forced engine is unavailable', async () => {
    process.env.EPOCHAL_TFJS_ENGINE = 'cpu';
    expect((await loadTrainingEngine()).name).toBe('cpu');
    process.env.EPOCHAL_TFJS_ENGINE = 'tfjs-node-gpu';
    const error = await loadTrainingEngine().catch((e: unknown) => e);
    // Where tfjs-node-gpu is installed (a CUDA machine) this loads instead.
    if (error instanceof Error) {
      expect(error).toBeInstanceOf(EngineUnavailableError);
      expect(error.message).toMatch(/"tfjs-node-gpu" is not available: .*tfjs-node-gpu/);
    }
    process.env.EPOCHAL_TFJS_ENGINE = 'tpu';
    await expect(loadTrainingEngine()).rejects.toThrow(/Unknown TensorFlow.js engine "tpu"/);
  });

  it('without a preference picks the fastest engine present', async () => {
    delete process.env.EPOCHAL_TFJS_ENGINE;
    const engine = await loadTrainingEngine();
    expect(['tfjs-node-gpu', 'webgpu', 'tfjs-node', 'wasm']).toContain(engine.name);
  });
});
