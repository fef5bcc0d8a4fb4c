import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig, loadWorkspace } from '../../server/src/engine';
import type { Workspace } from '../../server/src/engine';
import '../../server/src/engine/features';

export const PLAN_FIXTURES = path.resolve(__dirname, '../fixtures/plan');
export const CNI_CORPUS = path.resolve(__dirname, '../../../shared/corpus/cni');

/** Loads a folder the way the CLI does (its .kube-netlint.yaml included). */
export function load(dir: string): Workspace {
  return loadWorkspace([dir], loadConfig([dir]).config);
}

/** Every diagnostic as `relative/file:line code`, sorted. */
export function findingKeys(ws: Workspace, root: string, code?: string): string[] {
  return ws
    .fileIds()
    .flatMap(f =>
      ws
        .diagnostics(f)
        .filter(d => !code || d.code === code)
        .map(d => `${path.relative(root, f).split(path.sep).join('/')}:${d.range.start.line + 1} ${d.code}`),
    )
    .sort();
}

/** Expected findings of a trigger folder: `# <- rule` markers in YAML plus lines of expect.txt (for JSON and embedded strings). */
export function expectedKeys(dir: string, code: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d)) {
      const p = path.join(d, e);
      if (fs.statSync(p).isDirectory()) {
        walk(p);
        continue;
      }
      const rel = path.relative(dir, p).split(path.sep).join('/');
      const text = fs.readFileSync(p, 'utf8');
      if (e === 'expect.txt') {
        for (const l of text.split('\n'))
          if (l.trim() && l.trim().endsWith(` ${code}`))
            out.push(path.posix.join(path.posix.dirname(rel), l.trim()).replace(/^\.\//, ''));
        continue;
      }
      text.split('\n').forEach((l, i) => {
        if (l.includes(`# <- ${code}`)) out.push(`${rel}:${i + 1} ${code}`);
      });
    }
  };
  walk(dir);
  return out.sort();
}

/** The exact source text a diagnostic range covers. */
export function textOf(
  ws: Workspace,
  fileId: string,
  range: { start: { line: number; character: number }; end: { line: number; character: number } },
): string {
  const f = ws.file(fileId)!;
  return f.text.slice(f.locator.lines.offsetAt(range.start), f.locator.lines.offsetAt(range.end));
}
