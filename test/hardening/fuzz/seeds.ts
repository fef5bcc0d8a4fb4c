import * as fs from 'node:fs';
import * as path from 'node:path';
import { sharedSuite } from '../../support/shared';

/** A file to mutate, with the files beside it that it refers to (left untouched). */
export interface Seed {
  id: string;
  text: string;
  siblings: Record<string, string>;
}

const FIXTURES = path.resolve(__dirname, '../../fixtures');
const READABLE = /\.(ya?ml|json|conflist|conf)$/;
/** Seeds and siblings above this are left out: a mutant of a big file costs seconds, and the fixtures cover the shapes. */
const MAX_SEED_BYTES = 256 * 1024;
const MAX_SIBLINGS = 6;
const MAX_SIBLING_BYTES = 256 * 1024;

function filesIn(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter(e => e.isFile() && READABLE.test(e.name) && fs.statSync(path.join(dir, e.name)).size <= MAX_SEED_BYTES)
    .map(e => path.join(dir, e.name))
    .sort();
}

function walkDirs(dir: string, out: string[] = []): string[] {
  out.push(dir);
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name)))
    if (e.isDirectory()) walkDirs(path.join(dir, e.name), out);
  return out;
}

/** Every readable file below `root`, each with up to six files of its own folder as siblings. */
function seedsBelow(root: string, label: string): Seed[] {
  const out: Seed[] = [];
  for (const dir of walkDirs(root)) {
    const files = filesIn(dir);
    const texts = new Map(files.map(f => [f, fs.readFileSync(f, 'utf8')]));
    for (const f of files) {
      const siblings: Record<string, string> = {};
      let bytes = 0;
      for (const s of files) {
        if (s === f || Object.keys(siblings).length >= MAX_SIBLINGS) continue;
        const t = texts.get(s)!;
        if (bytes + t.length > MAX_SIBLING_BYTES) continue;
        bytes += t.length;
        siblings[idOf(root, label, s)] = t;
      }
      out.push({ id: idOf(root, label, f), text: texts.get(f)!, siblings });
    }
  }
  return out;
}

function idOf(root: string, label: string, file: string): string {
  return `${label}/${path.relative(root, file).split(path.sep).join('/')}`;
}

/**
 * The fixtures always (a fresh clone has them); the real-world corpus too when `../shared` is
 * beside the repository. `corpus` says which, for the report.
 */
export function loadSeeds(): { seeds: Seed[]; corpus: boolean } {
  const seeds = seedsBelow(FIXTURES, 'fixtures');
  const shared = sharedSuite('corpus');
  if (shared.present) seeds.push(...seedsBelow(shared.dir, 'corpus'));
  return { seeds, corpus: shared.present };
}
