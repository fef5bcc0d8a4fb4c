import { Random } from './random';

/**
 * The one-file edits the benchmark replays, each the kind of change a person makes while typing:
 * - `label`: the pod template's `app` label changes, so Services, policies and Ingresses that
 *   select those pods must be re-checked (a finding appears, and goes away on revert);
 * - `targetPort`: a Service's first targetPort changes (named → unresolved name, number → +1);
 * - `env`: an environment variable unrelated to networking changes (nothing should be re-checked
 *   beyond the file itself).
 */
export type EditKind = 'label' | 'targetPort' | 'env';
export const EDIT_KINDS: readonly EditKind[] = ['label', 'targetPort', 'env'];

/** The edited text, or undefined when the file has nothing of that kind to edit. */
export function applyEdit(text: string, kind: EditKind): string | undefined {
  switch (kind) {
    case 'label': {
      const t = text.indexOf('template:\n');
      if (t < 0) return undefined;
      return replaceValueAfter(text, t, /\n\s+app: ([^\n]+)/g, v => `${v}-canary`);
    }
    case 'targetPort':
      return replaceValueAfter(text, 0, /\n\s+targetPort: ([^\n]+)/g, v =>
        /^\d+$/.test(v) ? String(Number(v) + 1) : `${v}x`,
      );
    case 'env':
      return replaceValueAfter(text, 0, /\n\s+- name: LOG_LEVEL\n\s+value: "([^"\n]*)"/g, v =>
        v === 'debug' ? 'info' : 'debug',
      );
  }
}

/** Replaces capture group 1 of the first match of `re` (global flag) at or after `from`. */
function replaceValueAfter(text: string, from: number, re: RegExp, change: (v: string) => string): string | undefined {
  re.lastIndex = from;
  const m = re.exec(text);
  if (!m) return undefined;
  const start = m.index + m[0].lastIndexOf(m[1]);
  return text.slice(0, start) + change(m[1]) + text.slice(start + m[1].length);
}

export interface PlannedEdit {
  fileId: string;
  kind: EditKind;
}

/** `count` edits spread evenly over the kinds, each on a random file that has something to edit. */
export function planEdits(files: ReadonlyMap<string, string>, count: number, seed: number): PlannedEdit[] {
  const rnd = new Random(seed);
  const ids = [...files.keys()].sort();
  const candidates = new Map<EditKind, string[]>(
    EDIT_KINDS.map(k => [k, ids.filter(id => applyEdit(files.get(id)!, k) !== undefined)]),
  );
  const out: PlannedEdit[] = [];
  for (let i = 0; i < count; i++) {
    const kind = EDIT_KINDS[i % EDIT_KINDS.length];
    const pool = candidates.get(kind)!;
    if (pool.length) out.push({ fileId: rnd.pick(pool), kind });
  }
  return out;
}
