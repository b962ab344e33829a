import type { DataSource } from 'typeorm';
import type { SqlRunner } from '../kernel/sql.js';
import type { ApiKeyRecord, Scope } from './api-key.record.js';

const COLUMNS = `id, name, scope, prefix, key_hash AS "keyHash", created_at AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"`;

export class ApiKeyRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(key: { name: string; scope: Scope; prefix: string; keyHash: string }): Promise<ApiKeyRecord> {
    const [row] = await this.dataSource.query(
      `/* insertApiKey */ INSERT INTO api_keys (name, scope, prefix, key_hash) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
      [key.name, key.scope, key.prefix, key.keyHash],
    );
    return row;
  }

  async findByPrefix(prefix: string): Promise<ApiKeyRecord | null> {
    const [row] = await this.dataSource.query(`/* findApiKeyByPrefix */ SELECT ${COLUMNS} FROM api_keys WHERE prefix = $1`, [prefix]);
    return row ?? null;
  }

  list(): Promise<ApiKeyRecord[]> {
    return this.dataSource.query(`/* listApiKeys */ SELECT ${COLUMNS} FROM api_keys ORDER BY created_at DESC`);
  }

  async revoke(tx: SqlRunner, id: string): Promise<ApiKeyRecord | null> {
    const [row] = await tx.query(
      `/* revokeApiKey */ WITH revoked AS (UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING *)
       SELECT ${COLUMNS} FROM revoked`,
      [id],
    );
    return row ?? null;
  }

  async touch(id: string): Promise<void> {
    await this.dataSource.query(`/* touchApiKey */ UPDATE api_keys SET last_used_at = now() WHERE id = $1`, [id]);
  }
}
