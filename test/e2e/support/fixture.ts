// Positions inside fixture files, found from their text so the specs do not hard-code line numbers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesDir } from './paths';

export { kubeProxyHash } from './kubeProxyHash';

export interface Position {
  line: number;
  column: number;
}

/** 1-based position of the `nth` occurrence of `needle` after the first line matching `after`. */
export function positionOf(fixture: string, file: string, needle: string, after?: RegExp): Position {
  const lines = readFileSync(join(fixturesDir, fixture, file), 'utf8').split('\n');
  let start = 0;
  if (after) {
    start = lines.findIndex(l => after.test(l));
    if (start < 0) throw new Error(`${file}: no line matches ${after}`);
  }
  for (let i = start; i < lines.length; i++) {
    const c = lines[i].indexOf(needle);
    if (c >= 0) return { line: i + 1, column: c + 1 };
  }
  throw new Error(`${file}: "${needle}" not found${after ? ` after ${after}` : ''}`);
}
