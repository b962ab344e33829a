import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { SPLITS, type LabeledImage, type Split } from './dataset.record.js';

/** Split folder names accepted (case-insensitive), e.g. OCT2017's train/val/test. */
const SPLIT_FOLDERS: Record<string, Split> = {
  train: 'TRAIN',
  training: 'TRAIN',
  val: 'VALIDATION',
  validation: 'VALIDATION',
  test: 'TEST',
  testing: 'TEST',
};
const IMAGE_EXTENSION = /\.(png|jpe?g)$/i;

/**
 * Lists the images of a folder laid out <split>/<label>/<image>, sorted by
 * split (TRAIN, VALIDATION, TEST), label, then file name (numbers in names
 * compare numerically). Hidden entries and macOS `__MACOSX` folders are
 * skipped, as are stray non-image files, top-level files and folders nested
 * inside a label folder.
 *
 * This backs a user-facing import, so symbolic links are followed only when
 * their real path stays inside the real path of `root`; returned URIs are
 * those real paths, so later reads open what was checked here.
 */
export async function scanImageFolder(root: string): Promise<LabeledImage[]> {
  const realRoot = await resolveRoot(root);
  const splitFolders: { split: Split; name: string; realPath: string }[] = [];
  const unexpected: string[] = [];
  for (const entry of await listEntries(realRoot)) {
    const resolved = await resolveEntry(realRoot, realRoot, entry, entry.name);
    if (resolved.kind !== 'directory') continue;
    const split = SPLIT_FOLDERS[entry.name.toLowerCase()];
    if (split) splitFolders.push({ split, name: entry.name, realPath: resolved.realPath });
    else unexpected.push(entry.name);
  }
  if (unexpected.length > 0) {
    throw new Error(
      `Unexpected folder(s) in ${root}: ${unexpected.sort(compareNatural).join(', ')}. ` +
        'Top-level folders must be splits: train/training, val/validation or test/testing.',
    );
  }
  if (splitFolders.length === 0) {
    throw new Error(`No split folders in ${root}: expected train/training, val/validation or test/testing, each holding one folder per label`);
  }

  const images: LabeledImage[] = [];
  for (const splitFolder of splitFolders) {
    for (const entry of await listEntries(splitFolder.realPath)) {
      const relative = path.join(splitFolder.name, entry.name);
      if (IMAGE_EXTENSION.test(entry.name)) {
        throw new Error(`Image ${relative} is directly in a split folder; images must be in <split>/<label>/ folders`);
      }
      const labelFolder = await resolveEntry(realRoot, splitFolder.realPath, entry, relative);
      if (labelFolder.kind !== 'directory') continue;
      for (const file of await listEntries(labelFolder.realPath)) {
        if (!IMAGE_EXTENSION.test(file.name)) continue;
        const image = await resolveEntry(realRoot, labelFolder.realPath, file, path.join(relative, file.name));
        if (image.kind === 'file') images.push({ uri: image.realPath, label: entry.name, split: splitFolder.split });
      }
    }
  }
  if (images.length === 0) throw new Error(`No images (.png, .jpg, .jpeg) found in ${root} under <split>/<label>/ folders`);
  return images.sort(
    (a, b) =>
      SPLITS.indexOf(a.split) - SPLITS.indexOf(b.split) ||
      compareNatural(a.label, b.label) ||
      compareNatural(path.basename(a.uri), path.basename(b.uri)) ||
      compareNatural(a.uri, b.uri),
  );
}

async function resolveRoot(root: string): Promise<string> {
  let realRoot: string;
  try {
    realRoot = await realpath(path.resolve(root));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`Dataset folder not found: ${root}`);
    throw new Error(`Cannot open dataset folder ${root}: ${(error as Error).message}`);
  }
  if (!(await stat(realRoot)).isDirectory()) throw new Error(`Dataset path is not a folder: ${root}`);
  return realRoot;
}

/** Directory entries, minus hidden ones and macOS archive debris. */
async function listEntries(folder: string): Promise<Dirent[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  return entries.filter((entry) => !entry.name.startsWith('.') && entry.name !== '__MACOSX');
}

type ResolvedEntry = { kind: 'file' | 'directory' | 'other'; realPath: string };

/**
 * The real path and kind of an entry of `parentRealPath` (itself a real path).
 * A symbolic link whose target is outside `realRoot` is an error, named by its
 * path relative to the root only, so the message does not reveal the target.
 */
async function resolveEntry(realRoot: string, parentRealPath: string, entry: Dirent, relative: string): Promise<ResolvedEntry> {
  const entryPath = path.join(parentRealPath, entry.name);
  if (!entry.isSymbolicLink()) {
    return { kind: entry.isDirectory() ? 'directory' : entry.isFile() ? 'file' : 'other', realPath: entryPath };
  }
  let target: string;
  try {
    target = await realpath(entryPath);
  } catch {
    throw new Error(`Symbolic link ${relative} in the dataset folder is broken or loops`);
  }
  if (!isInside(realRoot, target)) {
    throw new Error(`Symbolic link ${relative} points outside the dataset folder; refusing to follow it`);
  }
  const targetStat = await stat(target);
  return { kind: targetStat.isDirectory() ? 'directory' : targetStat.isFile() ? 'file' : 'other', realPath: target };
}

function isInside(realRoot: string, candidate: string): boolean {
  const relative = path.relative(realRoot, candidate);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

/** Code-unit order, except that runs of digits compare as numbers (CNV-2 before CNV-10). */
export function compareNatural(a: string, b: string): number {
  const chunk = /(\d+|\D+)/g;
  const left = a.match(chunk) ?? [];
  const right = b.match(chunk) ?? [];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const [x, y] = [left[i], right[i]];
    if (x === y) continue;
    if (/^\d/.test(x) && /^\d/.test(y)) {
      const [xs, ys] = [x.replace(/^0+(?=\d)/, ''), y.replace(/^0+(?=\d)/, '')];
      if (xs.length !== ys.length) return xs.length - ys.length;
      if (xs !== ys) return xs < ys ? -1 : 1;
      continue; // same number, different zero padding: decided by the tie-break below
    }
    return x < y ? -1 : 1;
  }
  if (left.length !== right.length) return left.length - right.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
