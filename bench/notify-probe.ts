// NOTIFY probe for docs/scaling.md (not part of npm run bench): commits/s of small transactions with and without
// a pg_notify, with 0, 1, 4 and 16 listening sessions. Run: npx tsx bench/notify-probe.ts
import pg from 'pg';
import { startBenchDatabase } from './support.js';
const db = await startBenchDatabase();
const url = await db.createDatabase();
const WRITERS = 4, PER_WRITER = 1500;
const payload = 'x'.repeat(300);
async function round(label: string, listeners: number, sql: string) {
  const ls: pg.Client[] = [];
  let received = 0;
  for (let i = 0; i < listeners; i++) { const c = new pg.Client({ connectionString: url }); await c.connect(); c.on('notification', () => void received++); await c.query('LISTEN probe'); ls.push(c); }
  const writers = await Promise.all(Array.from({ length: WRITERS }, async () => { const c = new pg.Client({ connectionString: url }); await c.connect(); return c; }));
  const t = performance.now();
  await Promise.all(writers.map(async (c) => { for (let i = 0; i < PER_WRITER; i++) { await c.query('BEGIN'); await c.query(sql, sql.includes('$1') ? [payload] : []); await c.query('COMMIT'); } }));
  const s = (performance.now() - t) / 1000;
  await new Promise((r) => setTimeout(r, 500));
  console.log(`${label.padEnd(40)} ${Math.round((WRITERS * PER_WRITER) / s)} commits/s, delivered ${received}/${WRITERS * PER_WRITER * listeners}`);
  await Promise.all([...ls, ...writers].map((c) => c.end()));
}
await (async () => { const c = new pg.Client({ connectionString: url }); await c.connect(); await c.query('CREATE TABLE t (id bigserial primary key, p text)'); await c.end(); })();
for (let rep = 0; rep < 2; rep++) {
  await round('insert only, 0 listeners', 0, `INSERT INTO t (p) VALUES ($1)`);
  await round('insert + notify, 1 listener', 1, `WITH i AS (INSERT INTO t (p) VALUES ($1) RETURNING p) SELECT pg_notify('probe', p) FROM i`);
  await round('insert + notify, 4 listeners', 4, `WITH i AS (INSERT INTO t (p) VALUES ($1) RETURNING p) SELECT pg_notify('probe', p) FROM i`);
  await round('insert + notify, 16 listeners', 16, `WITH i AS (INSERT INTO t (p) VALUES ($1) RETURNING p) SELECT pg_notify('probe', p) FROM i`);
}
await db.stop();
