// The walk the server's file set follows. TEMPORARY shape adapter: the `cli` engineer's rewrite
// of engine/load.ts exports collectFiles(roots, config) => { files, skipped, notices } and
// isAnalysedPath(roots, filePath, config); until it is on main these mirror the old walk.
import * as path from 'node:path';
import * as fs from 'node:fs';
import { collectFiles as collectOld } from '../engine';
import { fileKindOf } from '../engine/workspace';
import { isExcluded } from '../engine/config/config';
import type { EngineConfig } from '../engine';

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out']);

export function collectFiles(
  roots: readonly string[],
  config: Partial<EngineConfig>,
): { files: string[]; notices: string[] } {
  const files = roots.flatMap(r => collectOld([r], config.exclude ?? []));
  return { files, notices: [] };
}

export function isAnalysedPath(roots: readonly string[], filePath: string, config: Partial<EngineConfig>): boolean {
  const abs = path.resolve(filePath);
  const root = roots
    .map(r => path.resolve(r))
    .filter(r => abs.startsWith(r.endsWith(path.sep) ? r : r + path.sep))
    .sort((a, b) => b.length - a.length)[0];
  if (!root) return false;
  try {
    if (!fs.statSync(abs).isFile()) return false;
  } catch {
    return false;
  }
  const rel = path.relative(root, abs);
  if (
    rel
      .split(path.sep)
      .slice(0, -1)
      .some(d => SKIP_DIRS.has(d))
  )
    return false;
  if (isExcluded(rel, config.exclude ?? [])) return false;
  return fileKindOf(abs) !== 'other';
}
