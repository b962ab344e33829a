import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { createRandom } from '../kernel/random.js';
import { SPLITS, type LabeledImage, type Split } from './dataset.record.js';


/** Calls `(done, total)` every `every` images and once at the end, for progress logs. */
export interface ProgressReporter {
  every: number;
  report(done: number, total: number): void;
}

export interface SyntheticImagesOptions {
  /** Output folder; images go to <dir>/<train|validation|test>/<label>/<label>-<n>.png. Existing files are overwritten, others left. */
  dir: string;
  /** Defaults to the paper's classes. Known: CNV, DME, DRUSEN, NORMAL; any other label is drawn as NORMAL. */
  labels?: string[];
  imagesPerLabel: number;
  imageSize: number;
  seed: number;
  /** Fractions of each label's images per split; default 0.7 / 0.1 / 0.2. Ignored by the 'oct2017' layout. */
  splits?: { train: number; validation: number; test: number };
  /**
   * 'balanced' (default): every label gets imagesPerLabel images, split by `splits`.
   * 'oct2017': the paper's dataset — see oct2017SplitCounts.
   */
  layout?: 'balanced' | 'oct2017';
  progress?: ProgressReporter;
}

export const OCT_LABELS = ['CNV', 'DME', 'DRUSEN', 'NORMAL'] as const;

/** Training images per class in the public OCT2017 dataset (Kermany et al.), whose ratio the paper trained on. */
export const OCT2017_TRAIN_COUNTS: Readonly<Record<string, number>> = { CNV: 37_205, DME: 11_348, DRUSEN: 8_616, NORMAL: 26_315 };
/** The balanced TEST split of the 'oct2017' layout, per label, as a fraction of imagesPerLabel. */
const OCT2017_TEST_FRACTION = 0.2;

/**
 * Images per split of one label in the 'oct2017' layout: TRAIN in OCT2017's class ratio with the
 * largest class at imagesPerLabel (at least 1), a balanced TEST split of 20% of imagesPerLabel
 * (at least 1), and no VALIDATION split, so the trainer holds out validationSplit of TRAIN as the
 * study did. A label OCT2017 does not have counts as its largest class.
 */
export function oct2017SplitCounts(label: string, imagesPerLabel: number): Record<Split, number> {
  const largest = Math.max(...Object.values(OCT2017_TRAIN_COUNTS));
  const share = (OCT2017_TRAIN_COUNTS[label] ?? largest) / largest;
  return {
    TRAIN: Math.max(1, Math.round(imagesPerLabel * share)),
    VALIDATION: 0,
    TEST: Math.max(1, Math.round(imagesPerLabel * OCT2017_TEST_FRACTION)),
  };
}
const DEFAULT_SPLITS = { train: 0.7, validation: 0.1, test: 0.2 };
const WRITE_CONCURRENCY = 8;

/**
 * Writes a deterministic, OCT-like four-class image set: same options, same
 * bytes. Each image has its own PRNG stream derived from (seed, label, n), so
 * an image does not change when imagesPerLabel grows (only its split may).
 */
export async function generateSyntheticImages(options: SyntheticImagesOptions): Promise<LabeledImage[]> {
  const labels = options.labels ?? [...OCT_LABELS];
  const splits = options.splits ?? DEFAULT_SPLITS;
  validateOptions(options, labels, splits);
  const dir = path.resolve(options.dir);
  const balanced = splitCounts(options.imagesPerLabel, splits);
  const oct2017 = options.layout === 'oct2017';

  const jobs: { image: LabeledImage; labelIndex: number; n: number }[] = [];
  for (const split of SPLITS) {
    labels.forEach((label, labelIndex) => {
      const counts = oct2017 ? oct2017SplitCounts(label, options.imagesPerLabel) : balanced;
      // Image n of a label is the same picture whatever its split. The oct2017 layout numbers its
      // TEST images from imagesPerLabel, so they stay the same when the class ratio changes.
      const first =
        split === 'TRAIN' ? 0 : split === 'VALIDATION' ? counts.TRAIN : oct2017 ? options.imagesPerLabel : counts.TRAIN + counts.VALIDATION;
      for (let n = first; n < first + counts[split]; n++) {
        const uri = path.join(dir, split.toLowerCase(), label, `${label}-${n}.png`);
        jobs.push({ image: { uri, label, split }, labelIndex, n });
      }
    });
  }
  const folders = new Set(jobs.map((job) => path.dirname(job.image.uri)));
  for (const folder of folders) await mkdir(folder, { recursive: true });

  let next = 0;
  let written = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const { image, labelIndex, n } = jobs[next++];
      const random = createRandom(imageSeed(options.seed, labelIndex, n));
      const pixels = renderOctScan(image.label, options.imageSize, random);
      const png = await sharp(pixels, { raw: { width: options.imageSize, height: options.imageSize, channels: 1 } })
        .toColourspace('b-w') // one-channel PNG, like the grayscale scans of OCT2017
        .png({ compressionLevel: 6 })
        .toBuffer();
      // Hashed from the bytes in hand: no second read of the file.
      image.contentHash = createHash('sha256').update(png).digest('hex');
      await writeFile(image.uri, png);
      written++;
      if (options.progress && (written % options.progress.every === 0 || written === jobs.length)) options.progress.report(written, jobs.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(WRITE_CONCURRENCY, jobs.length) }, worker));
  return jobs.map((job) => job.image);
}

/**
 * Images per split for each label. With 3 or more images, every split whose
 * fraction is above 0 gets at least one, taken from the larger of the others.
 */
export function splitCounts(total: number, fractions: { train: number; validation: number; test: number }): Record<Split, number> {
  const minimum = (fraction: number) => (total >= 3 && fraction > 0 ? 1 : 0);
  const counts: Record<Split, number> = {
    TRAIN: 0,
    VALIDATION: Math.max(Math.round(total * fractions.validation), minimum(fractions.validation)),
    TEST: Math.max(Math.round(total * fractions.test), minimum(fractions.test)),
  };
  // Rounding can overshoot (e.g. 0.5 + 0.5 of an odd count); give back from the larger split.
  while (counts.VALIDATION + counts.TEST > total - minimum(fractions.train)) {
    if (counts.TEST >= counts.VALIDATION && counts.TEST > minimum(fractions.test)) counts.TEST--;
    else if (counts.VALIDATION > minimum(fractions.validation)) counts.VALIDATION--;
    else counts.TEST--;
  }
  counts.TRAIN = total - counts.VALIDATION - counts.TEST;
  return counts;
}

function validateOptions(options: SyntheticImagesOptions, labels: string[], splits: { train: number; validation: number; test: number }): void {
  if (!Number.isInteger(options.imagesPerLabel) || options.imagesPerLabel < 1) {
    throw new Error(`imagesPerLabel must be a positive integer, got ${options.imagesPerLabel}`);
  }
  if (!Number.isInteger(options.imageSize) || options.imageSize < 16 || options.imageSize > 1024) {
    throw new Error(`imageSize must be an integer from 16 to 1024, got ${options.imageSize}`);
  }
  if (!Number.isFinite(options.seed)) throw new Error(`seed must be a number, got ${options.seed}`);
  if (options.progress && !(Number.isInteger(options.progress.every) && options.progress.every >= 1)) {
    throw new Error(`progress.every must be a positive integer, got ${options.progress.every}`);
  }
  if (labels.length === 0) throw new Error('At least one label is needed');
  if (new Set(labels).size !== labels.length) throw new Error(`Labels must be unique, got ${labels.join(', ')}`);
  for (const label of labels) {
    // Labels become folder names: refuse anything that could leave `dir` or be hidden.
    if (!/^[A-Za-z0-9][A-Za-z0-9 _-]{0,63}$/.test(label)) {
      throw new Error(`Label ${JSON.stringify(label)} is not a valid folder name (letters, digits, space, _ and -, up to 64)`);
    }
  }
  const values = [splits.train, splits.validation, splits.test];
  if (values.some((value) => !(value >= 0 && value <= 1)) || Math.abs(values[0] + values[1] + values[2] - 1) > 1e-6) {
    throw new Error(`splits must be fractions from 0 to 1 that sum to 1, got ${values.join(' / ')}`);
  }
}

/** A 32-bit seed per image, mixing the dataset seed, label and image number. */
function imageSeed(seed: number, labelIndex: number, n: number): number {
  let hash = Math.trunc(seed) >>> 0;
  for (const part of [labelIndex, n]) {
    hash = Math.imul(hash ^ (part + 0x9e3779b9), 0x85ebca6b) >>> 0;
    hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35) >>> 0;
    hash = (hash ^ (hash >>> 16)) >>> 0;
  }
  return hash;
}

/**
 * Relative reflectivity by depth through the retina (0 = inner surface,
 * 1 = top of the RPE): nerve fibre layer bright, nuclear layers dark, the
 * ellipsoid zone a bright line above the RPE.
 */
const RETINA_LAYERS: readonly [number, number][] = [
  [0.1, 0.78], // nerve fibre layer
  [0.3, 0.5], // ganglion cell / inner plexiform
  [0.42, 0.28], // inner nuclear
  [0.52, 0.52], // outer plexiform
  [0.8, 0.2], // outer nuclear
  [0.88, 0.72], // ellipsoid zone
  [1, 0.38], // photoreceptor outer segments
];

function layerIntensity(depth: number): number {
  for (const [bottom, intensity] of RETINA_LAYERS) if (depth < bottom) return intensity;
  return RETINA_LAYERS[RETINA_LAYERS.length - 1][1];
}

interface Ellipse {
  x: number;
  y: number;
  rx: number;
  ry: number;
}

/**
 * One B-scan-like grayscale image, size × size, 8-bit. Geometry is in pixels
 * but drawn from fractions of the size, so lesions stay visible when a
 * trainer downsizes to 32–64 px. All geometry is drawn before any noise and
 * in the same order for every label, so `speckle: false` (for tests) gives
 * the same scan without noise, and one seed gives the same retina per label.
 */
export function renderOctScan(label: string, size: number, random: () => number, options: { speckle?: boolean } = {}): Uint8Array {
  const uniform = (low: number, high: number) => low + (high - low) * random();
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const bump = (dx: number, sigma: number) => Math.exp(-(dx * dx) / (2 * sigma * sigma));

  const centreX = uniform(0.35, 0.65) * size;
  const rpeAtCentre = uniform(0.55, 0.68) * size;
  const thickness = uniform(0.2, 0.26) * size;
  const curvature = uniform(-0.1, 0.45) / size; // offset at the edges up to ~0.1 × size
  const tilt = uniform(-0.08, 0.08);
  const rpeWidth = uniform(0.025, 0.035) * size;
  const gain = uniform(0.85, 1.1);
  const speckle = uniform(0.25, 0.4);

  // Per-column geometry: the RPE line, the inner surface, and for CNV the lesion under the RPE.
  const rpe = new Float32Array(size);
  const top = new Float32Array(size);
  const lesionBottom = new Float32Array(size); // CNV/drusen material fills rpe..lesionBottom
  const dipDepth = label === 'NORMAL' || label === 'DRUSEN' || !OCT_LABELS.includes(label as never) ? uniform(0.04, 0.07) * size : uniform(0, 0.015) * size;
  const dipWidth = uniform(0.05, 0.08) * size;
  const cnv = { height: uniform(0.1, 0.17) * size, width: uniform(0.07, 0.12) * size, x: centreX + uniform(-0.1, 0.1) * size };
  const dmeThickening = uniform(0.05, 0.1) * size;
  const drusen = Array.from({ length: 3 + Math.floor(random() * 4) }, () => ({
    x: uniform(0.15, 0.85) * size,
    height: uniform(0.04, 0.065) * size,
    width: uniform(0.018, 0.03) * size,
  }));
  for (let x = 0; x < size; x++) {
    const dx = x - centreX;
    const baseRpe = rpeAtCentre + curvature * dx * dx + tilt * dx;
    let raise = 0;
    let thicken = 0;
    if (label === 'CNV') raise = cnv.height * bump(x - cnv.x, cnv.width);
    if (label === 'DRUSEN') for (const d of drusen) raise = Math.max(raise, d.height * bump(x - d.x, d.width));
    if (label === 'DME') thicken = dmeThickening * bump(dx, 0.18 * size);
    rpe[x] = baseRpe - raise;
    lesionBottom[x] = baseRpe;
    top[x] = baseRpe - thickness - thicken - 0.7 * raise + dipDepth * bump(dx, dipWidth);
  }

  const cysts: Ellipse[] = [];
  if (label === 'DME') {
    const count = 2 + Math.floor(random() * 4);
    for (let i = 0; i < count; i++) {
      const x = Math.round(Math.min(size - 1, Math.max(0, centreX + uniform(-0.22, 0.22) * size)));
      const depth = uniform(0.3, 0.7);
      cysts.push({ x, y: top[x] + depth * (rpe[x] - top[x]), rx: uniform(0.035, 0.07) * size, ry: uniform(0.025, 0.045) * size });
    }
  }
  // CNV often comes with sub-retinal fluid: a dark lens just above the lesion.
  const fluid: Ellipse | null =
    label === 'CNV' && random() < 0.7
      ? { x: cnv.x, y: rpe[Math.round(Math.min(size - 1, Math.max(0, cnv.x)))] - 0.03 * size, rx: cnv.width * 1.1, ry: 0.025 * size }
      : null;
  const inside = (e: Ellipse, x: number, y: number) => ((x - e.x) / e.rx) ** 2 + ((y - e.y) / e.ry) ** 2 <= 1;

  const pixels = new Uint8Array(size * size);
  const choroidDecay = 0.15 * size;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let value: number;
      if (y < top[x]) value = 0.04;
      else if (y < rpe[x]) value = layerIntensity((y - top[x]) / (rpe[x] - top[x]));
      else if (y < rpe[x] + rpeWidth) value = 0.95;
      else if (y < lesionBottom[x] + rpeWidth) value = label === 'CNV' ? 0.85 : 0.55; // material under a raised RPE
      else value = 0.35 * Math.exp(-(y - lesionBottom[x] - rpeWidth) / choroidDecay) + 0.05;
      for (const cyst of cysts) if (inside(cyst, x, y)) value = 0.05;
      if (fluid && y < rpe[x] && inside(fluid, x, y)) value = 0.05;
      // Speckle: multiplicative noise as in coherent imaging, plus a little sensor noise.
      value = options.speckle === false ? gain * value : gain * value * Math.max(0, 1 + speckle * gaussian()) + 0.02 * gaussian();
      pixels[y * size + x] = Math.max(0, Math.min(255, Math.round(value * 255)));
    }
  }
  return pixels;
}
