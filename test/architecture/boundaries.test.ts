import { readdirSync, readFileSync } from 'node:fs';
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

/** Where SQL may be written: repositories and the SQL modules beside them (`*.sql.ts`), db/, the pub/sub adapter. */
const SQL_HOMES = [/\.repository\.ts$/, /^src\/[a-z-]+\/[a-z-]+\.sql\.ts$/, /^src\/db\//, /^src\/pubsub\/postgres-pubsub\.ts$/];
const SQL = /\b(SELECT\s|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX)|ALTER\s+TABLE|pg_\w+\()/;

/** Comments may name SQL ("reads pg_current_snapshot()"); code may not. */
const withoutComments = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return file === 'src/graphql/generated' ? [] : sourceFiles(file);
    return file.endsWith('.ts') ? [file] : [];
  });
}

describe('SQL', () => {
  it('is written only in repositories and their *.sql.ts modules, db/ and the pub/sub adapter', () => {
    const outside = sourceFiles('src').filter((file) => !SQL_HOMES.some((home) => home.test(file)) && SQL.test(withoutComments(readFileSync(file, 'utf8'))));
    expect(outside).toEqual([]);
  });
});
