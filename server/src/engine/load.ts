import * as fs from 'node:fs';
import * as path from 'node:path';
import { Workspace, fileKindOf } from './workspace';
import {
  EngineConfig,
  CONFIG_FILE_NAME,
  DEFAULT_SKIP_DIRECTORIES,
  defaultConfig,
  parseConfigText,
  configFileProblems,
  isExcluded,
} from './config/config';
import { LineIndex } from './text/lineIndex';
import { defaultAnalyzers } from './analyzers';
import { decodeText } from './text/decode';

/** What the walk needs from the configuration. */
export type WalkConfig = Partial<Pick<EngineConfig, 'exclude' | 'skipDirectories'>>;

export type SkipReason =
  /** a symbolic link whose target lies outside every root */
  | 'outside-roots'
  /** a directory (or file) already walked under another name: a symlink loop or a second link */
  | 'already-walked'
  /** EACCES and friends: listed or read, but the OS said no */
  | 'unreadable'
  /** a symbolic link to nothing */
  | 'broken-link'
  /** a path given explicitly that does not exist */
  | 'not-found';

export interface SkippedPath {
  /** The path as the walk met it. */
  path: string;
  reason: SkipReason;
  /** Where a link points, or the OS error code. */
  detail?: string;
}

export interface FileCollection {
  /** Files to analyse, in a stable order; each real file once, under the first name met. */
  files: string[];
  skipped: SkippedPath[];
  /** At most one line summarising `skipped`, for a log, stderr or a notification. */
  notices: string[];
}

/**
 * Files of interest below the given paths (the workspace roots). Explicit file arguments are
 * always kept, whatever their extension. The walk is a repository's to shape, so it is bounded:
 * it never follows a symbolic link out of the roots (compared by real path, so `a -> ../../etc`
 * and `a -> /` are refused), enters each real directory once (two links to `.` do not loop), and
 * turns unreadable entries into `skipped` entries instead of throwing; the rest is still walked.
 */
export function collectFiles(paths: readonly string[], config: WalkConfig = {}): FileCollection {
  const exclude = config.exclude ?? [];
  const skipDirs = new Set(config.skipDirectories ?? DEFAULT_SKIP_DIRECTORIES);
  const files: string[] = [];
  const skipped: SkippedPath[] = [];
  const roots = realRoots(paths);
  const walkedDirs = new Set<string>();
  const seenFiles = new Set<string>();

  // An explicit stack instead of recursion: a deeply nested tree must not overflow the JS stack.
  // Entries are pushed in reverse so they pop in sorted order (a stable file order for output).
  // `realDir` is the real path of the directory an entry was listed in: a plain entry's real path
  // is then known without a realpath call; only roots and symbolic links need one.
  const stack: { p: string; root: string; explicit: boolean; realDir?: string }[] = [];
  for (let i = paths.length - 1; i >= 0; i--) {
    const p = paths[i];
    stack.push({ p, root: isDir(p) ? p : path.dirname(p), explicit: true });
  }
  while (stack.length) {
    const { p, root, explicit, realDir } = stack.pop()!;
    let lst: fs.Stats;
    try {
      lst = fs.lstatSync(p);
    } catch (e) {
      const code = errCode(e);
      if (explicit) skipped.push({ path: p, reason: code === 'ENOENT' ? 'not-found' : 'unreadable', detail: code });
      else skipped.push({ path: p, reason: 'unreadable', detail: code });
      continue;
    }
    let st = lst;
    let real: string;
    if (lst.isSymbolicLink() || realDir === undefined) {
      try {
        real = fs.realpathSync(p);
        st = fs.statSync(p);
      } catch (e) {
        const code = errCode(e);
        const broken = code === 'ENOENT' || code === 'ELOOP';
        skipped.push({ path: p, reason: broken ? 'broken-link' : 'unreadable', detail: linkTarget(p) ?? code });
        continue;
      }
      if (lst.isSymbolicLink() && !within(real, roots)) {
        skipped.push({ path: p, reason: 'outside-roots', detail: linkTarget(p) });
        continue;
      }
    } else real = path.join(realDir, path.basename(p));
    if (st.isDirectory()) {
      if (!explicit && skipDirs.has(path.basename(p))) continue;
      if (!explicit && isExcluded(path.relative(root, p), exclude)) continue;
      if (walkedDirs.has(real)) {
        skipped.push({ path: p, reason: 'already-walked', detail: linkTarget(p) });
        continue;
      }
      walkedDirs.add(real);
      let entries: string[];
      try {
        entries = fs.readdirSync(p).sort();
      } catch (e) {
        skipped.push({ path: p, reason: 'unreadable', detail: errCode(e) });
        continue;
      }
      for (let i = entries.length - 1; i >= 0; i--)
        stack.push({ p: path.join(p, entries[i]), root, explicit: false, realDir: real });
      continue;
    }
    if (!st.isFile()) continue;
    if (!explicit && fileKindOf(p) === 'other') continue;
    if (!explicit && isExcluded(path.relative(root, p), exclude)) continue;
    if (seenFiles.has(real)) continue;
    try {
      fs.accessSync(p, fs.constants.R_OK);
    } catch (e) {
      skipped.push({ path: p, reason: 'unreadable', detail: errCode(e) });
      continue;
    }
    seenFiles.add(real);
    files.push(p);
  }
  return { files, skipped, notices: summarise(skipped) };
}

/**
 * Whether a fresh scan of `roots` with `config` would read `filePath`: it lies inside a root
 * (also by real path, so a link out of the workspace is refused), no folder between the root and
 * it is a skipped directory, no `exclude` pattern matches it relative to that root, and it is a
 * file kind the walk picks (or a root itself). The language server keeps its file set equal to a
 * fresh scan with this, on every file event. A path-level answer: when two names lead to the
 * same real file, the scan reads it once, under the name it meets first.
 */
export function isAnalysedPath(roots: readonly string[], filePath: string, config: WalkConfig = {}): boolean {
  const abs = path.resolve(filePath);
  const root = roots
    .map(r => path.resolve(r))
    .filter(r => abs === r || abs.startsWith(r.endsWith(path.sep) ? r : r + path.sep))
    .sort((a, b) => b.length - a.length)[0];
  if (root === undefined) return false;
  let st: fs.Stats;
  let real: string;
  try {
    st = fs.statSync(abs);
    real = fs.realpathSync(abs);
  } catch {
    return false;
  }
  if (!st.isFile() || !within(real, realRoots(roots))) return false;
  if (abs === root) return true;
  const rel = path.relative(root, abs);
  const skipDirs = new Set(config.skipDirectories ?? DEFAULT_SKIP_DIRECTORIES);
  if (
    rel
      .split(path.sep)
      .slice(0, -1)
      .some(d => skipDirs.has(d))
  )
    return false;
  if (isExcluded(rel, config.exclude ?? [])) return false;
  return fileKindOf(abs) !== 'other';
}

/** One line saying what the walk left out and why, with a few examples per reason. */
export function summarise(skipped: readonly SkippedPath[], show = (p: string) => p): string[] {
  if (!skipped.length) return [];
  const label: Record<SkipReason, [string, string]> = {
    'outside-roots': ['symbolic link leading out of the workspace', 'symbolic links leading out of the workspace'],
    'already-walked': ['path already walked under another name', 'paths already walked under another name'],
    unreadable: ['unreadable path', 'unreadable paths'],
    'broken-link': ['broken symbolic link', 'broken symbolic links'],
    'not-found': ['missing path', 'missing paths'],
  };
  const parts: string[] = [];
  for (const reason of Object.keys(label) as SkipReason[]) {
    const of = skipped.filter(s => s.reason === reason);
    if (!of.length) continue;
    const examples = of
      .slice(0, 3)
      .map(s => `${show(s.path)}${s.detail ? (reason === 'unreadable' ? `: ${s.detail}` : ` -> ${s.detail}`) : ''}`);
    const more = of.length > 3 ? `, and ${of.length - 3} more` : '';
    parts.push(`${of.length} ${label[reason][of.length === 1 ? 0 : 1]} (${examples.join(', ')}${more})`);
  }
  const n = skipped.length;
  return [`skipped ${n} path${n === 1 ? '' : 's'}: ${parts.join('; ')}`];
}

function realRoots(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    try {
      out.push(fs.realpathSync(p));
    } catch {
      // a missing root contributes nothing (reported by the walk as not-found)
    }
  }
  return out;
}

function within(real: string, roots: readonly string[]): boolean {
  return roots.some(r => real === r || real.startsWith(r.endsWith(path.sep) ? r : r + path.sep));
}

function linkTarget(p: string): string | undefined {
  try {
    return fs.readlinkSync(p);
  } catch {
    return undefined;
  }
}

function errCode(e: unknown): string {
  return (e as NodeJS.ErrnoException)?.code ?? String(e);
}

/** A configuration problem as front ends print it: the file, 1-based line and column, the message. */
export interface ConfigFileProblem {
  file: string;
  line: number;
  column: number;
  message: string;
  /** The --config file given does not exist. */
  missing?: boolean;
}

/**
 * The configuration for a run: --config if given, else .kube-netlint.yaml in the first directory
 * argument or the current directory. Problems come located in the file (see parseConfigText).
 */
export function loadConfig(
  paths: readonly string[],
  explicit?: string,
): { config: EngineConfig; file?: string; problems: ConfigFileProblem[] } {
  const candidates = explicit
    ? [explicit]
    : [...paths.filter(p => isDir(p)).map(p => path.join(p, CONFIG_FILE_NAME)), CONFIG_FILE_NAME];
  for (const c of candidates) {
    if (!fs.existsSync(c)) {
      if (explicit)
        return {
          config: defaultConfig(),
          problems: [{ file: c, line: 0, column: 0, message: `config file not found: ${c}`, missing: true }],
        };
      continue;
    }
    const text = decodeText(fs.readFileSync(c)).text;
    const { config } = parseConfigText(text);
    const index = new LineIndex(text);
    const problems = configFileProblems(text).map(p => {
      const pos = index.positionAt(p.start);
      return { file: c, line: pos.line + 1, column: pos.character + 1, message: p.message };
    });
    return { config, file: c, problems };
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

/** The files read into a workspace, what was skipped on the way, and the analysed workspace. */
export interface LoadedWorkspace extends FileCollection {
  ws: Workspace;
}

/** Reads every file below `paths` into one workspace and analyses it; unreadable files become `skipped`. */
export function readWorkspace(paths: readonly string[], config: EngineConfig): LoadedWorkspace {
  const ws = new Workspace(config, defaultAnalyzers());
  const collected = collectFiles(paths, config);
  const files: string[] = [];
  const skipped = [...collected.skipped];
  for (const f of collected.files) {
    let text: string;
    try {
      text = decodeText(fs.readFileSync(f)).text;
    } catch (e) {
      skipped.push({ path: f, reason: 'unreadable', detail: errCode(e) });
      continue;
    }
    ws.setFile(f, text);
    files.push(f);
  }
  ws.analyze();
  return { ws, files, skipped, notices: summarise(skipped) };
}

/** Reads every file below `paths` into one workspace and analyses it. */
export function loadWorkspace(paths: readonly string[], config: EngineConfig): Workspace {
  return readWorkspace(paths, config).ws;
}
