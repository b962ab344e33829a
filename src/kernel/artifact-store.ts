/**
 * Where artifacts live when not on local disk: an object store (S3 or any
 * S3-compatible one) that workers on other machines and every API process
 * reach. The artifacts domain uses it; src/storage/ implements it.
 */
export interface ArtifactStore {
  /** s3://bucket/prefix, for logs and docs. */
  readonly location: string;
  /** Uploads a file, or a folder's files, as one run's artifact; answers its uri (a folder's ends with "/"). */
  put(localPath: string, runId: string, name: string): Promise<string>;
  /** Downloads an artifact (file or folder) into `dir`; answers the local path of what it downloaded. */
  fetch(uri: string, dir: string): Promise<string>;
  /** Whether the uri lies in this store (only those are fetched and deleted). */
  owns(uri: string): boolean;
  /** Deletes everything stored for a run. */
  removeRun(runId: string): Promise<void>;
  /** The objects of an artifact, for downloads: relative name, size, and a reader. */
  list(uri: string): Promise<{ name: string; size: number; read(): Promise<NodeJS.ReadableStream> }[]>;
}
