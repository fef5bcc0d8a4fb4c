import * as fs from 'node:fs';
import * as path from 'node:path';
import { collectFiles, summarise } from '../load';
import type { EngineConfig } from '../config/config';
import { Project } from './project';
import type { RenderService } from './renderService';
import { decodeText } from '../text/decode';

/** The roots a list of CLI paths stands for: directories as given, files by their directory. */
export function rootsOf(paths: readonly string[]): string[] {
  const roots = paths.map(p => {
    try {
      return fs.statSync(p).isDirectory() ? p : path.dirname(p);
    } catch {
      return path.dirname(p);
    }
  });
  const all = [...new Set(roots.map(r => path.resolve(r)))];
  // A file named inside a folder that is also walked (`kube-netlint iptables . apps/a/app.yaml`)
  // belongs to that folder's tree: its own directory as a root would take it out of its unit.
  return all.filter(r => !all.some(o => o !== r && r.startsWith(o.endsWith(path.sep) ? o : o + path.sep)));
}

/**
 * Reads every file below `paths` into one project, splits it into units, renders what can be
 * rendered (waiting for it) and analyses each unit: the CLI's and the tests' entry point.
 */
export async function loadProject(
  paths: readonly string[],
  config: EngineConfig,
  renderer?: RenderService,
  /** Receives the walk's summary of what it skipped (links out of the roots, loops, unreadable paths). */
  notices?: string[],
): Promise<Project> {
  // File ids stay as the paths were given (the CLI prints them); units work on absolute paths.
  const ids = new Map<string, string>();
  const project = new Project({
    roots: rootsOf(paths),
    config,
    renderer,
    toPath: id => path.resolve(id),
    fromPath: p => ids.get(p) ?? p,
  });
  const walk = collectFiles(paths, config);
  const skipped = [...walk.skipped];
  for (const f of walk.files) {
    let text: string;
    try {
      text = decodeText(fs.readFileSync(f)).text;
    } catch (e) {
      skipped.push({ path: f, reason: 'unreadable', detail: (e as NodeJS.ErrnoException).code });
      continue;
    }
    ids.set(path.resolve(f), f);
    project.setFile(f, text);
  }
  notices?.push(...summarise(skipped));
  project.analyze();
  await project.settled();
  project.analyze();
  return project;
}
