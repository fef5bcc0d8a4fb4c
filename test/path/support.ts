import * as path from 'node:path';
import { loadWorkspace, defaultConfig, Workspace } from '../../server/src/engine';
import { walkHops, PathModel, Hop, Branch, SourceLink } from '../../server/src/engine/path';

export const FIXTURES = path.resolve(__dirname, '../fixtures/path');

const cache = new Map<string, Workspace>();

/** A fixture workspace (test/fixtures/path/<name>), loaded once per test file. */
export function fixture(...names: string[]): Workspace {
  const key = names.join('+');
  let ws = cache.get(key);
  if (!ws) {
    ws = loadWorkspace(
      names.map(n => path.join(FIXTURES, n)),
      defaultConfig(),
    );
    cache.set(key, ws);
  }
  return ws;
}

export function hops(model: PathModel): Hop[] {
  return walkHops(model).map(h => h.hop);
}

export function lastTopHop(model: PathModel): Hop {
  return model.hops[model.hops.length - 1];
}

export function failedHops(model: PathModel): Hop[] {
  return hops(model).filter(h => h.status === 'failed');
}

export function branchesOf(model: PathModel): Branch[] {
  return hops(model).flatMap(h => h.branches ?? []);
}

/** The text of the file at a hop's source range: what a click in the view would highlight. */
export function linkedText(ws: Workspace, link: SourceLink | undefined): string {
  if (!link) return '';
  const f = ws.file(link.fileId);
  if (!f) return '';
  const s = f.locator.lines.offsetAt(link.range.start);
  const e = f.locator.lines.offsetAt(link.range.end);
  return f.text.slice(s, e);
}

export function linkedLine(ws: Workspace, link: SourceLink | undefined): string {
  if (!link) return '';
  return ws.file(link.fileId)?.locator.lines.lineText(link.range.start.line) ?? '';
}
