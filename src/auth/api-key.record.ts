import { EntitySchema } from 'typeorm';

export type Scope = 'read' | 'write' | 'admin';
export const SCOPES: readonly Scope[] = ['read', 'write', 'admin'];

export interface ApiKeyRecord {
  id: string;
  name: string;
  scope: Scope;
  prefix: string;
  keyHash: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export const ApiKeyEntity = new EntitySchema<ApiKeyRecord>({
  name: 'ApiKey',
  tableName: 'api_keys',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    name: { type: 'text' },
    scope: { type: 'text' },
    prefix: { type: 'text', unique: true },
    keyHash: { name: 'key_hash', type: 'text' },
    createdAt: { name: 'created_at', type: 'timestamptz', createDate: true },
    lastUsedAt: { name: 'last_used_at', type: 'timestamptz', nullable: true },
    revokedAt: { name: 'revoked_at', type: 'timestamptz', nullable: true },
  },
});
