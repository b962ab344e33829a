/**
 * How fast a TFJS training of one architecture and image size is expected to
 * run on an engine, for the Start form's time estimate. Measured speeds of
 * this server's own runs come first; a size or architecture never run here is
 * scaled from the nearest measurement by compute per image; an engine never
 * run here falls back to the benchmark figure (BENCHMARKS.md), if there is one.
 */

/** Multiply-adds of one forward pass at 224 px, 3 channels, in millions (published figures; SMALL_CNN counted). */
const FORWARD_MMACS_AT_224: Record<string, number> = {
  VGG16: 15_470,
  XCEPTION: 4_600,
  MOBILENET_V2: 300,
  // conv 3x3 16 filters at 224², then 32 at 112², then 64 at 56² (src/trainers/tfjs/models/base-architectures.ts).
  SMALL_CNN: 137,
};

/** `npm run bench:train`: SMALL_CNN at 64 px, batch 32, on a 2-core VM (BENCHMARKS.md). */
// tfjs-node: the lower of its two batch-32 runs of 2026-12-03 (BENCHMARKS.md, Training throughput).
const BENCHMARK_SMALL_CNN_64: Record<string, number> = { wasm: 127, 'tfjs-node': 127.8, cpu: 0.8 };

export interface Throughput {
  architecture: string;
  imageSize: number;
  imagesPerSecond: number;
}

export interface TrainingSpeed {
  imagesPerSecond: number;
  /** How the figure was reckoned, in words a reader can weigh. */
  basis: string;
}

/** Relative compute per image: scales with the architecture's cost and the pixel count. */
function costPerImage(architecture: string, imageSize: number): number | null {
  const mmacs = FORWARD_MMACS_AT_224[architecture];
  return mmacs === undefined ? null : mmacs * (imageSize / 224) ** 2;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const round = (value: number) => (value >= 10 ? Math.round(value) : Math.round(value * 100) / 100);

/** `measured`: this engine's recent runs, newest first. Null when nothing is known for the engine. */
export function estimateTrainingSpeed(engine: string, architecture: string, imageSize: number, measured: readonly Throughput[]): TrainingSpeed | null {
  const target = costPerImage(architecture, imageSize);
  const same = measured.filter((m) => m.architecture === architecture && m.imageSize === imageSize).map((m) => m.imagesPerSecond);
  if (same.length > 0) {
    return { imagesPerSecond: round(median(same)), basis: `measured: median of ${same.length} ${architecture} run(s) at ${imageSize} px on ${engine}` };
  }
  if (target === null) return null;
  // The nearest measurement in compute per image: scaling over a small ratio errs least.
  const nearest = measured
    .map((m) => ({ ...m, cost: costPerImage(m.architecture, m.imageSize) }))
    .filter((m): m is Throughput & { cost: number } => m.cost !== null)
    .sort((a, b) => Math.abs(Math.log(a.cost / target)) - Math.abs(Math.log(b.cost / target)))[0];
  if (nearest) {
    return {
      imagesPerSecond: round((nearest.imagesPerSecond * nearest.cost) / target),
      basis: `scaled by compute per image from a ${nearest.architecture} run at ${nearest.imageSize} px on ${engine} (${round(nearest.imagesPerSecond)} images/s)`,
    };
  }
  const benchmark = BENCHMARK_SMALL_CNN_64[engine];
  if (benchmark === undefined) return null;
  return {
    imagesPerSecond: round((benchmark * costPerImage('SMALL_CNN', 64)!) / target),
    basis: `no run on ${engine} here yet: scaled from the benchmark (SMALL_CNN at 64 px, ${benchmark} images/s on ${engine}, BENCHMARKS.md)`,
  };
}
