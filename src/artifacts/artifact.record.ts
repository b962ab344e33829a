export interface ArtifactRecord {
  id: string;
  runId: string;
  kind: string;
  uri: string;
  bytes: number;
  createdAt: Date;
}
