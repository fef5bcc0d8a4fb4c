import type { Path, PathSegment } from '../parse/locate';
import { isObj } from '../model/resource';

/**
 * The keys strategic merge patches merge lists by (Kubernetes' patchMergeKey), most common
 * first. A list element of the rendered object is found in another document (the origin file,
 * a patch) by the first of these keys it has, not by its index: a patch's list holds only the
 * elements it changes.
 */
const MERGE_KEYS = ['name', 'containerPort', 'port', 'mountPath', 'devicePath', 'ip', 'topologyKey', 'type'];

/**
 * Follows `path` (into `rendered`) through `other`, a document that may describe the same
 * object: maps are followed by key, lists by merge key (or by index when the elements have
 * none). Returns the path in `other` as far as it could be followed and whether it got to the
 * end.
 */
export function followPath(rendered: unknown, other: unknown, path: Path): { path: PathSegment[]; complete: boolean } {
  const out: PathSegment[] = [];
  let r = rendered;
  let o = other;
  for (const seg of path) {
    if (typeof seg === 'number') {
      if (!Array.isArray(r) || !Array.isArray(o)) return { path: out, complete: false };
      const el = r[seg];
      const keys = isObj(el) ? MERGE_KEYS.filter(k => el[k] !== undefined && typeof el[k] !== 'object') : [];
      let i = -1;
      for (const k of keys) {
        const target = String((el as Record<string, unknown>)[k]);
        i = o.findIndex(x => isObj(x) && x[k] !== undefined && String(x[k]) === target);
        if (i >= 0) break;
      }
      if (i < 0 && !keys.length && seg < o.length) i = seg;
      if (i < 0) return { path: out, complete: false };
      out.push(i);
      r = el;
      o = o[i];
    } else {
      if (!isObj(r) || !isObj(o) || !(seg in o)) return { path: out, complete: false };
      out.push(seg);
      r = r[seg];
      o = o[seg];
    }
  }
  return { path: out, complete: true };
}

/** Whether a value has a node at `path`. */
export function hasPath(v: unknown, path: Path): boolean {
  let cur = v;
  for (const seg of path) {
    if (typeof seg === 'number') {
      if (!Array.isArray(cur) || seg >= cur.length) return false;
      cur = cur[seg];
    } else {
      if (!isObj(cur) || !(seg in cur)) return false;
      cur = cur[seg];
    }
  }
  return true;
}

/** A JSON pointer (RFC 6901) as path segments; `-` (append) stays a string. */
export function pointerPath(pointer: string): PathSegment[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  return pointer
    .slice(1)
    .split('/')
    .map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map(s => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}
