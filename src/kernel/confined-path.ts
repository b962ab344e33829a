import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { badInput } from './errors.js';

const inside = (file: string, root: string) => file === root || file.startsWith(root + path.sep);

/**
 * A user-given path, accepted only inside one of `roots` (the import roots and
 * the data folder), links followed. A path outside is refused with one message
 * whether or not it exists, and without reading it: so an answer (or a run's
 * error) tells nothing about the rest of the machine. Throws BAD_USER_INPUT
 * naming `field`; returns the real path.
 */
export async function confinePath(field: string, requested: string, roots: readonly string[]): Promise<string> {
  const allowed = roots.length ? roots.join(', ') : '(none configured)';
  const outside = () => badInput(`${field}: ${requested} is outside the folders this server may read (EPOCHAL_IMPORT_ROOTS and EPOCHAL_DATA_DIR: ${allowed})`);
  const lexical = path.resolve(requested);
  const lexicalRoots = roots.map((root) => path.resolve(root));
  // Refused before any file-system call when it is outside even as written.
  if (!lexicalRoots.some((root) => inside(lexical, root))) throw outside();
  let real: string;
  try {
    real = await realpath(lexical);
  } catch {
    throw badInput(`${field}: ${requested} does not exist or cannot be read`);
  }
  const realRoots = await Promise.all(lexicalRoots.map((root) => realpath(root).catch(() => null)));
  // A link inside a root may point anywhere: the real path must be inside too.
  if (!realRoots.some((root) => root !== null && inside(real, root))) throw outside();
  return real;
}
