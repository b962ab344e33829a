import type { Router } from 'express';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { z } from 'zod';
import type { ArtifactStore } from './artifact-store.js';
import type { JobQueue } from './job-queue.js';
import type { ModelServing } from './model-serving.js';
import type { PubSub } from './pubsub.js';
import type { TrainerKind } from './run-event.js';
import type { Authorize } from './served-files.js';

/** Where user files may be read from (imports) and where ours are written. */
export interface FileSettings {
  /** EPOCHAL_IMPORT_ROOTS: folders importDataset may read. */
  importRoots: string[];
  /** EPOCHAL_DATA_DIR: generated datasets, run folders, the embedded database. */
  dataDir: string;
}

/** What the API knows of a trainer before any worker runs it: its kind and how its settings are checked. */
export interface TrainerDescription {
  kind: Exclude<TrainerKind, 'EXTERNAL'>;
  /** The field of startTraining's input that holds this trainer's settings. */
  inputField: 'tfjs' | 'rekognition';
  /** Parses those settings, filling defaults: the run's `config[inputField]`. */
  configSchema: z.ZodType<Record<string, unknown>>;
  /**
   * Checks settings that name files (a pretrained model's folder) against the
   * folders this server may read, throwing BAD_USER_INPUT; run at startTraining,
   * and the trainer checks again before reading.
   */
  checkFiles?(config: Record<string, unknown>, files: FileSettings): Promise<void>;
  /** USD one run with these (resolved) settings is expected to cost, for a study's estimate; absent: free. */
  estimateRunCostUsd?(settings: Record<string, unknown>): number;
  /** How this trainer's runs are deployed (loaded and asked for predictions); absent: they cannot be. */
  serving?(deps: { env: NodeJS.ProcessEnv; log: Logger }): ModelServing | { unavailable: string };
  /**
   * Why this deployment cannot train it (a setting it needs is missing), or null.
   * Read from this process's settings, which its workers are expected to share:
   * what serverInfo tells the dashboard.
   */
  unavailableReason?(env: NodeJS.ProcessEnv): string | null;
  /** The engine its workers would train on, as far as this process can tell without loading one. */
  probeEngine?(env: NodeJS.ProcessEnv): string;
}

/** What every domain's services are built from. */
export interface Infrastructure {
  dataSource: DataSource;
  pubsub: PubSub;
  queue: JobQueue;
  log: Logger;
  files: FileSettings;
  trainers: readonly TrainerDescription[];
  /** Where artifacts go when not on local disk (EPOCHAL_ARTIFACT_STORE=s3); null: local files. */
  artifactStore?: ArtifactStore | null;
  /** The settings trainers are checked against (serverInfo); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** EPOCHAL_MACHINE_USD_PER_HOUR: what an hour of a TFJS worker costs, for compareRuns; null: unpriced. */
  machineUsdPerHour?: number | null;
}

export interface RouteDeps {
  log: Logger;
  /** Folders file routes may read: the import roots and the data folder. */
  roots: readonly string[];
  /** The API's key check (read scope). */
  authorize: Authorize;
  /** The same check for routes that write (write scope). */
  authorizeWrite: Authorize;
}

/**
 * What one domain adds to the server. src/domains.ts lists every domain once;
 * the services, the GraphQL schema, the loaders, the HTTP routes and codegen's
 * mappers are all built by looping over that list.
 */
export interface DomainModule<Provides extends object = object, Needs extends object = object, DomainLoaders extends object = object> {
  name: string;
  /** This domain's services; `needs` holds those of the domains listed before it. */
  services?(infra: Infrastructure, needs: Needs): Provides;
  /** Merged into the executable schema; the SDL lives in schema/<name>.graphql. */
  resolvers?: object;
  /** Per-operation DataLoaders (batching for field resolvers), made fresh for each operation. */
  loaders?(services: Needs & Provides): DomainLoaders;
  /** HTTP routes beside /graphql (file downloads). */
  routes?(services: Needs & Provides, deps: RouteDeps): Router[];
  /** GraphQL type name → its TypeScript model, `<path from src/>#<Type>`, for codegen's mappers. */
  mappers?: Record<string, string>;
}

/** Keeps a domain's exact types (for Services and Loaders) while checking its shape. */
export function defineDomain<P extends object, N extends object = object, L extends object = object>(domain: DomainModule<P, N, L>): DomainModule<P, N, L> {
  return domain;
}
