import { benchIngestion } from './ingestion.bench.js';
import { benchLongCurves } from './long-curves.bench.js';
import { benchFanOut } from './fan-out.bench.js';
import { benchFootprint } from './footprint.bench.js';
import { benchReads } from './reads.bench.js';
import { benchBestRuns } from './best-runs.bench.js';
import { benchPredictions } from './predictions.bench.js';
import { CORES, fmt } from './support.js';

/**
 * `npm run bench`: the benchmarks of BENCHMARKS.md in turn, each on
 * its own embedded PostgreSQL. One argument or more picks some by name
 * (`npm run bench -- fan-out reads`). Figures are ratios against baselines
 * measured in the same run; GOAL lines say which goals were met.
 */
const benches: Record<string, () => Promise<void>> = {
  ingestion: benchIngestion,
  'long-curves': benchLongCurves,
  'fan-out': benchFanOut,
  footprint: benchFootprint,
  reads: benchReads,
  'best-runs': benchBestRuns,
  predictions: benchPredictions,
};

const chosen = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = chosen.filter((name) => !(name in benches));
if (unknown.length) {
  console.error(`unknown benchmark(s) ${unknown.join(', ')}; choose from ${Object.keys(benches).join(', ')}`);
  process.exit(2);
}
const started = Date.now();
console.log(`Epochal benchmarks on ${CORES} cores, ${new Date().toISOString()}`);
for (const name of chosen.length ? chosen : Object.keys(benches)) await benches[name]();
console.log(`\nall done in ${fmt((Date.now() - started) / 1000, 0)} s`);
