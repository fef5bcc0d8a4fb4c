import { Minimatch, braceExpand } from 'minimatch';

/**
 * `exclude` patterns come from the repository's own `.kube-netlint.yaml`, i.e. from untrusted
 * input the editor runs on every file event. minimatch 11 matches each path segment with a
 * non-backtracking matcher: `**a**a**a…ab` (which hangs picomatch 4 and every regex-based
 * matcher, measured) answers in microseconds. What it still allows is brace expansion
 * (`{a,b}` × 20 is a million patterns), so the number of alternatives and the length are capped
 * here and an over-limit pattern is a configuration problem rather than a slow editor.
 */
export const MAX_GLOB_LENGTH = 1024;
export const MAX_GLOB_ALTERNATIVES = 64;

const OPTIONS = {
  dot: true, // `charts/**` covers `charts/.hidden/x.yaml` too
  nonegate: true, // `!x` in an exclude list would mean "exclude everything else": not supported, literal
  nocomment: true,
  braceExpandMax: MAX_GLOB_ALTERNATIVES,
} as const;

/** Why a pattern cannot be used, or undefined when it can. */
export function globProblem(pattern: unknown): string | undefined {
  if (typeof pattern !== 'string') return 'must be a string';
  const p = normalizePattern(pattern);
  if (!p) return 'is empty';
  if (pattern.length > MAX_GLOB_LENGTH) return `is longer than ${MAX_GLOB_LENGTH} characters`;
  if (/^(\/|[A-Za-z]:[\\/])/.test(pattern)) return 'is absolute; patterns are relative to the workspace folder';
  if (p.split('/').includes('..')) return 'leaves the workspace folder (`..`)';
  if (braceExpand(p, { braceExpandMax: MAX_GLOB_ALTERNATIVES + 1 }).length > MAX_GLOB_ALTERNATIVES)
    return `expands to more than ${MAX_GLOB_ALTERNATIVES} alternatives`;
  try {
    new Minimatch(p, OPTIONS);
  } catch (e) {
    return `is not a valid glob: ${(e as Error).message}`;
  }
  return undefined;
}

/** `./charts/` and `charts` mean the same folder. */
function normalizePattern(pattern: string): string {
  return pattern
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/\/+$/, '');
}

const compiled = new Map<string, Minimatch | null>();

function matcher(pattern: string): Minimatch | null {
  let m = compiled.get(pattern);
  if (m === undefined) {
    m = globProblem(pattern) === undefined ? new Minimatch(normalizePattern(pattern), OPTIONS) : null;
    if (compiled.size > 4096) compiled.clear();
    compiled.set(pattern, m);
  }
  return m;
}

/**
 * Whether a path relative to the workspace folder is excluded: a pattern matches the path or one
 * of its parent folders (`charts` and `charts/**` both exclude `charts/a/svc.yaml`). Patterns are
 * anchored at the folder (`*.json` is top-level only; `**\/*.json` is anywhere). Invalid patterns
 * match nothing (they are reported as configuration problems).
 */
export function isExcluded(relPath: string, patterns: readonly string[]): boolean {
  if (!patterns.length) return false;
  const parts = relPath.replace(/\\/g, '/').split('/').filter(Boolean);
  const prefixes: string[] = [];
  for (let i = 1; i <= parts.length; i++) prefixes.push(parts.slice(0, i).join('/'));
  for (const pat of patterns) {
    const m = matcher(pat);
    if (m && prefixes.some(p => m.match(p))) return true;
  }
  return false;
}
