import * as fs from 'node:fs';
import * as path from 'node:path';
import { Workspace, fileKindOf } from './workspace';
import { EngineConfig, CONFIG_FILE_NAME, defaultConfig, parseConfigText, isExcluded } from './config/config';
import { defaultAnalyzers } from './analyzers';
import { decodeText } from './text/decode';

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out']);

/** Files of interest below the given paths, in a stable order; explicit file arguments are always kept. */
export function collectFiles(paths: readonly string[], exclude: readonly string[] = []): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (p: string, root: string, explicit: boolean) => {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      if (!explicit && SKIP_DIRS.has(path.basename(p))) return;
      for (const e of fs.readdirSync(p).sort()) visit(path.join(p, e), root, false);
      return;
    }
    if (!st.isFile()) return;
    if (!explicit && fileKindOf(p) === 'other') return;
    if (!explicit && isExcluded(path.relative(root, p), exclude)) return;
    if (seen.has(p)) return;
    seen.add(p);
    out.push(p);
  };
  for (const p of paths) visit(p, fs.existsSync(p) && fs.statSync(p).isDirectory() ? p : path.dirname(p), true);
  return out;
}

/** The configuration for a run: --config if given, else .kube-netlint.yaml in the first directory argument or the current directory. */
export function loadConfig(
  paths: readonly string[],
  explicit?: string,
): { config: EngineConfig; file?: string; problems: string[] } {
  const candidates = explicit
    ? [explicit]
    : [...paths.filter(p => isDir(p)).map(p => path.join(p, CONFIG_FILE_NAME)), CONFIG_FILE_NAME];
  for (const c of candidates) {
    if (!fs.existsSync(c)) {
      if (explicit) return { config: defaultConfig(), problems: [`config file not found: ${c}`] };
      continue;
    }
    const { config, problems } = parseConfigText(decodeText(fs.readFileSync(c)).text);
    return { config, file: c, problems: problems.map(p => `${c}: ${p.message}`) };
  }
  return { config: defaultConfig(), problems: [] };
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Reads every file below `paths` into one workspace and analyses it. */
export function loadWorkspace(paths: readonly string[], config: EngineConfig): Workspace {
  const ws = new Workspace(config, defaultAnalyzers());
  for (const f of collectFiles(paths, config.exclude)) {
    let text: string;
    try {
      text = decodeText(fs.readFileSync(f)).text;
    } catch {
      continue;
    }
    ws.setFile(f, text);
  }
  ws.analyze();
  return ws;
}
