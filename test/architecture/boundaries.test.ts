import path from 'node:path';
import { createRequire } from 'node:module';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const ruleSet = require('../../.dependency-cruiser.cjs') as { forbidden: unknown[]; options: Record<string, unknown> };

/** Runs the project's own layer rules over `src/` below `baseDir`. */
async function violations(baseDir: string) {
  const { output } = await cruise(['src'], { ...ruleSet.options, baseDir, validate: true, ruleSet: { forbidden: ruleSet.forbidden } } as never);
  return (output as ICruiseResult).summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
}

describe('the import-boundary check', () => {
  it('passes on the project', async () => {
    expect(await violations(path.resolve('.'))).toEqual([]);
  });

  it('fails on deliberate violations, naming each rule', async () => {
    expect(await violations(path.resolve('test/architecture/layer-violations'))).toEqual([
      'domain-imports-a-trainer: src/runs/run.service.ts → src/trainers/tfjs/job.ts',
      'domain-imports-transport: src/runs/run.service.ts → src/graphql/server.ts',
      'kernel-imports-a-layer-above: src/kernel/errors.ts → src/runs/run.service.ts',
    ]);
  });
});
