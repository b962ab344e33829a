import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MigrationInterface } from 'typeorm';

type MigrationClass = new () => MigrationInterface;

/**
 * Every migration in this folder (`<timestamp>-<what>.ts`, one class each), in
 * timestamp order: adding a migration is adding its file. The database's
 * history is one sequence across domains, so migrations live here, not in them.
 */
export async function loadMigrations(): Promise<MigrationClass[]> {
  const folder = path.dirname(fileURLToPath(import.meta.url));
  const files = readdirSync(folder).filter((f) => /^\d{13}-[a-z0-9-]+\.[cm]?[tj]s$/.test(f)).sort();
  const migrations: MigrationClass[] = [];
  for (const file of files) {
    const module = (await import(`./${file.replace(/\.ts$/, '.js')}`)) as Record<string, unknown>;
    const classes = Object.values(module).filter((v): v is MigrationClass => typeof v === 'function' && typeof v.prototype?.up === 'function');
    if (classes.length !== 1) throw new Error(`migrations/${file} must export exactly one migration class; it exports ${classes.length}`);
    migrations.push(classes[0]);
  }
  return migrations;
}
