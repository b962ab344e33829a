import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PostgreSQL URL with rights to create databases (see global-setup.ts). */
    adminDatabaseUrl: string;
  }
}
