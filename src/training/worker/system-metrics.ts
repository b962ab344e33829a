import { execFile } from 'node:child_process';
import type { Logger } from 'pino';
import type { MetricPointInput } from '../../metrics/metric.service.js';

/**
 * System metrics of a training, logged into its run as `system/*` series every
 * 10 s (EPOCHAL_SYSTEM_METRICS_MS overrides): the worker process's CPU (100 =
 * one core busy) and resident memory, and the GPUs' utilisation (mean) and
 * memory in use (sum) from nvidia-smi when it is installed. The step is the
 * number of seconds since the training started, as in the Python client.
 */

export const SYSTEM_METRICS_MS = 10_000;
const NVIDIA_SMI_ARGS = ['--query-gpu=utilization.gpu,memory.used', '--format=csv,noheader,nounits'];

/** nvidia-smi's CSV (one "<util %>, <MiB used>" line per GPU) as the two series; null when it has no GPU line. */
export function parseNvidiaSmi(csv: string): { utilization: number; memoryMb: number } | null {
  const gpus = csv.split('\n').map((line) => line.split(',').map((field) => Number(field.trim())))
    .filter((fields) => fields.length === 2 && fields.every(Number.isFinite));
  if (gpus.length === 0) return null;
  return {
    utilization: gpus.reduce((sum, [util]) => sum + util, 0) / gpus.length,
    memoryMb: gpus.reduce((sum, [, mib]) => sum + mib * 1.048576, 0),
  };
}

function queryGpus(): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('nvidia-smi', NVIDIA_SMI_ARGS, { timeout: 5_000 }, (error, stdout) => resolve(error ? null : stdout));
  });
}

/** Samples until stop(); points go through `write` (MetricService.logMetrics), failures are logged, never thrown. */
export function startSystemMetrics(options: { write: (points: MetricPointInput[]) => Promise<unknown>; log: Logger; intervalMs?: number }): { stop(): void } {
  const intervalMs = options.intervalMs ?? (Number(process.env.EPOCHAL_SYSTEM_METRICS_MS) || SYSTEM_METRICS_MS);
  const started = performance.now();
  let last = { at: started, cpu: process.cpuUsage() };
  let gpuAvailable = true; // until nvidia-smi fails once: no GPU or no driver here
  let stopped = false;
  const sample = async () => {
    const at = performance.now();
    const cpu = process.cpuUsage();
    const busyMs = (cpu.user - last.cpu.user + cpu.system - last.cpu.system) / 1000;
    const values: Record<string, number> = {
      'system/cpu_percent': (100 * busyMs) / Math.max(1, at - last.at),
      'system/memory_mb': process.memoryUsage.rss() / 1e6,
    };
    last = { at, cpu };
    if (gpuAvailable) {
      const gpus = parseNvidiaSmi((await queryGpus()) ?? '');
      if (gpus) Object.assign(values, { 'system/gpu_utilization_percent': gpus.utilization, 'system/gpu_memory_mb': gpus.memoryMb });
      else gpuAvailable = false;
    }
    if (stopped) return;
    const step = Math.round((at - started) / 1000);
    await options.write(Object.entries(values).map(([key, value]) => ({ key, step, value })));
  };
  const timer = setInterval(() => {
    sample().catch((error) => options.log.debug({ err: error }, 'system metrics not logged'));
  }, intervalMs);
  timer.unref();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
