import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/data-source.js';
import { EmbeddedDatabaseInUseError, startEmbeddedPostgres, type EmbeddedDatabase } from '../db/embedded-postgres.js';
import { ApiKeyRepository } from '../auth/api-key.repository.js';
import { ApiKeyService } from '../auth/api-key.service.js';
import { PostgresPubSub } from '../pubsub/postgres-pubsub.js';

const USAGE = `usage:
  npm run keys -- create --scope read|write|admin --name <name>
  npm run keys -- list
  npm run keys -- revoke <id>
Uses DATABASE_URL, else the embedded database in EPOCHAL_DATA_DIR (a running server's, when there is one).`;

/** Manages API keys from a shell, with the same service the admin mutations use. */
async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { scope: { type: 'string' }, name: { type: 'string' } } });
  const [command, ...rest] = positionals;
  if (!command || !['create', 'list', 'revoke'].includes(command)) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
  let embedded: EmbeddedDatabase | null = null;
  let url = config.databaseUrl;
  if (!url) {
    try {
      embedded = await startEmbeddedPostgres({ dataDir: path.join(config.dataDir, 'postgres') });
      url = embedded.url;
    } catch (error) {
      if (!(error instanceof EmbeddedDatabaseInUseError)) throw error;
      url = error.url;
    }
  }
  const dataSource = await openDatabase({ url, poolSize: 1 });
  try {
    // Publishing needs no LISTEN connection (not started): a revocation here reaches running servers too.
    const events = new PostgresPubSub({ url, reader: dataSource, log: console });
    const keys = new ApiKeyService(new ApiKeyRepository(dataSource), dataSource, events);
    if (command === 'create') {
      const { key, apiKey } = await keys.create({ name: values.name ?? '', scope: values.scope ?? '' });
      console.log(`created ${apiKey.scope} key "${apiKey.name}" (id ${apiKey.id}). It is shown only now:\n${key}`);
    } else if (command === 'list') {
      for (const k of await keys.list()) {
        console.log(`${k.id}  ${k.scope.padEnd(5)}  ${k.name}  created ${k.createdAt.toISOString()}${k.revokedAt ? `  REVOKED ${k.revokedAt.toISOString()}` : ''}`);
      }
    } else {
      const revoked = await keys.revoke(rest[0] ?? '');
      console.log(`revoked key "${revoked.name}" (${revoked.id})`);
    }
    return 0;
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    return 1;
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code), (error) => {
  console.error(`error: ${(error as Error).message}`);
  process.exit(1);
});
