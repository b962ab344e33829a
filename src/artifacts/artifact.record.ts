import { EntitySchema } from 'typeorm';

export interface ArtifactRecord {
  id: string;
  runId: string;
  kind: string;
  uri: string;
  bytes: number;
  createdAt: Date;
}

export const ArtifactEntity = new EntitySchema<ArtifactRecord>({
  name: 'Artifact',
  tableName: 'artifacts',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    runId: { name: 'run_id', type: 'uuid' },
    kind: { type: 'text' },
    uri: { type: 'text' },
    // bigint arrives as a string from pg; bytes fit a double exactly up to 2^53.
    bytes: { type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } },
    createdAt: { name: 'created_at', type: 'timestamptz', createDate: true },
  },
});
