import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Where a render reads its inputs. When no input has unsaved editor changes the tool reads the
 * real files; otherwise the inputs are copied, buffers over disk, into a temporary tree with
 * the same relative layout (a "shadow"), and paths in the tool's output are mapped back.
 */
export interface WorkDir {
  /** A fresh temporary directory for the wrapper and the shadow tree. */
  tmp: string;
  /** Real path → the path the tool reads. */
  toWork(p: string): string;
  /** A path the tool printed → the real path. */
  toReal(p: string): string;
  /** Replaces temporary paths in a message by real ones. */
  realMessage(s: string): string;
  dispose(): void;
}

export function makeWorkDir(
  inputs: readonly string[],
  dirs: readonly string[],
  buffer: (p: string) => string | undefined,
): WorkDir {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-netlint-render-'));
  const dirty = inputs.filter(p => {
    const b = buffer(p);
    if (b === undefined) return false;
    try {
      return fs.readFileSync(p, 'utf8') !== b;
    } catch {
      return true;
    }
  });
  const dispose = () => fs.rmSync(tmp, { recursive: true, force: true });
  if (dirty.length === 0) {
    return {
      tmp,
      toWork: p => p,
      toReal: p => p,
      realMessage: s => s.split(tmp).join('<temporary>'),
      dispose,
    };
  }
  const all = [...inputs, ...dirs];
  const base = commonDir(all);
  const shadow = path.join(tmp, 'tree');
  const toWork = (p: string) => path.join(shadow, path.relative(base, p));
  for (const d of dirs) fs.mkdirSync(toWork(d), { recursive: true });
  for (const p of inputs) {
    const text = buffer(p);
    fs.mkdirSync(path.dirname(toWork(p)), { recursive: true });
    try {
      if (text !== undefined) fs.writeFileSync(toWork(p), text);
      else fs.copyFileSync(p, toWork(p));
    } catch {
      // A missing input stays missing: the tool reports it as it would for the real tree.
    }
  }
  const toReal = (p: string) => {
    const rel = path.relative(shadow, p);
    return rel.startsWith('..') || path.isAbsolute(rel) ? p : path.join(base, rel);
  };
  return {
    tmp,
    toWork,
    toReal,
    realMessage: s => s.split(shadow).join(base).split(tmp).join('<temporary>'),
    dispose,
  };
}

function commonDir(paths: readonly string[]): string {
  if (!paths.length) return path.parse(process.cwd()).root;
  let common = path.dirname(paths[0]);
  for (const p of paths) {
    while (!(p === common || p.startsWith(common.endsWith(path.sep) ? common : common + path.sep)))
      common = path.dirname(common);
  }
  return common;
}
