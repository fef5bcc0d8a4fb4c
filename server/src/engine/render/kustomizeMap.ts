import * as path from 'node:path';
import * as jsyaml from 'js-yaml';
import type { Anchor, Path, PathSegment } from '../parse/locate';
import { SourceLocator } from '../parse/locate';
import { MANIFEST_SCHEMA } from '../parse/yamlFile';
import { extractResources } from '../model/extract';
import { Resource, asArray, get, isObj } from '../model/resource';
import type { FileSource, Relocate, Relocation } from '../workspace';
import type { UnitSpec } from '../units/discover';
import type { RenderedContent } from '../units/unit';
import type { RenderedObject } from './kustomize';
import { followPath, hasPath, pointerPath } from './paths';
import { inlineDoc } from './inline';

export interface MapContext {
  spec: UnitSpec;
  /** Text of a real file (editor buffer or disk). */
  text(p: string): string | undefined;
  fromPath(p: string): string;
  /** Whether the project holds the file (only those can carry findings). */
  known(p: string): boolean;
  defaultNamespace: string;
}

interface Placed {
  resource: Resource;
  /** The origin document's value (undefined for generated objects). */
  origin?: unknown;
  originName?: string;
  /** Generated objects and objects of unknown origin: every anchor goes here. */
  fixed?: Relocation;
}

/** One patch document and where its text lives. */
interface Patch {
  /** Application order: patches with a higher rank are applied later and win. */
  rank: number;
  kind: 'smp' | 'json6902';
  value: unknown;
  target?: { kind?: string; name?: string };
  fileId: string;
  /** Anchor of a path inside the patch document. */
  at(p: Path): Anchor;
}

/**
 * Turns kustomize's output into the unit's content: each object attributed to the document it
 * came from (so ranges, hovers and links use the real file), and a relocation that moves a
 * finding to the patch that set the key when one did.
 */
export function mapKustomize(objects: RenderedObject[], ctx: MapContext): RenderedContent {
  const docsCache = new Map<string, unknown[]>();
  const docsOf = (p: string): unknown[] => {
    let d = docsCache.get(p);
    if (!d) {
      try {
        d = jsyaml.loadAll(ctx.text(p) ?? '', undefined, { json: true, schema: MANIFEST_SCHEMA });
      } catch {
        d = [];
      }
      docsCache.set(p, d);
    }
    return d;
  };
  const entry = ctx.spec.entry!;
  const sources = new Map<string, FileSource>();
  const byDoc = new Map<string, Placed[]>();
  const used = new Set<string>();
  const add = (fileId: string, placed: Placed) => {
    let src = sources.get(fileId);
    if (!src) sources.set(fileId, (src = { resources: [] }));
    src.resources.push(placed.resource);
    const k = `${fileId}\u0000${placed.resource.doc}`;
    byDoc.set(k, [...(byDoc.get(k) ?? []), placed]);
  };
  const resourceOf = (fileId: string, value: Record<string, unknown>, doc: number, base: Path): Resource => {
    const r = extractResources(fileId, [value], ctx.defaultNamespace)[0];
    let id = `${fileId}#${doc}${base.length ? `.${base.join('.')}` : ''}`;
    for (let n = 2; used.has(id); n++) id = `${fileId}#${doc}~${n}`;
    used.add(id);
    return { ...r, id, doc, base };
  };
  for (const o of objects) {
    const origin = o.origin;
    if ('file' in origin && ctx.known(origin.file)) {
      const found = findDocument(docsOf(origin.file), o.value);
      if (found) {
        const fileId = ctx.fromPath(origin.file);
        add(fileId, {
          resource: resourceOf(fileId, o.value, found.doc, found.base),
          origin: found.value,
          originName: String(get(found.value, 'metadata', 'name') ?? ''),
        });
        continue;
      }
    }
    // Generated (configMapGenerator, …) or of unknown origin: the kustomization stands for it.
    const kfile = 'configuredIn' in origin && ctx.known(origin.configuredIn) ? origin.configuredIn : entry;
    const fileId = ctx.fromPath(kfile);
    add(fileId, {
      resource: resourceOf(fileId, o.value, 0, []),
      fixed: { fileId, anchor: generatorAnchor(docsOf(kfile)[0], o.value, 'configuredIn' in origin), exact: false },
    });
  }

  const patches = collectPatches(ctx, docsOf);
  const relocate: Relocate = (fileId, anchor) => {
    if ('offsets' in anchor) return undefined;
    const placed = byDoc.get(`${fileId}\u0000${anchor.doc}`);
    if (!placed) return undefined;
    const p =
      placed.find(x => x.resource.base.every((s, i) => anchor.path[i] === s) && x.resource.base.length) ?? placed[0];
    if (p.fixed) return p.fixed;
    const r = p.resource;
    const rel = anchor.path.slice(r.base.length);
    const hit = patchSetting(patches, r, p.originName ?? r.name, rel);
    if (hit) return { fileId: hit.fileId, anchor: { ...hit.at(hit.path), part: anchor.part }, exact: true };
    const f = followPath(r.value, p.origin, rel);
    if (f.complete) return { fileId, anchor: { doc: r.doc, path: [...r.base, ...f.path], part: anchor.part } };
    return { fileId, anchor: { doc: r.doc, path: [...r.base, ...f.path] }, exact: false };
  };
  return { sources, relocate };
}

/** The document (or List item) of an origin file that a rendered object comes from. */
function findDocument(
  docs: unknown[],
  obj: Record<string, unknown>,
): { doc: number; base: PathSegment[]; value: unknown } | undefined {
  const kind = obj.kind;
  const name = String(get(obj, 'metadata', 'name') ?? '');
  const candidates: { doc: number; base: PathSegment[]; value: unknown; name: string }[] = [];
  docs.forEach((d, doc) => {
    if (!isObj(d)) return;
    if (typeof d.kind === 'string' && d.kind.endsWith('List') && Array.isArray(d.items))
      d.items.forEach((it, i) => {
        if (isObj(it) && it.kind === kind)
          candidates.push({ doc, base: ['items', i], value: it, name: String(get(it, 'metadata', 'name') ?? '') });
      });
    else if (d.kind === kind)
      candidates.push({ doc, base: [], value: d, name: String(get(d, 'metadata', 'name') ?? '') });
  });
  // Exact name, else the one the name transformers (prefix, suffix) grew into this name.
  return (
    candidates.find(c => c.name === name) ??
    candidates.filter(c => c.name && name.includes(c.name)).sort((a, b) => b.name.length - a.name.length)[0] ??
    (candidates.length === 1 ? candidates[0] : undefined)
  );
}

/** The generator entry of a kustomization that made a ConfigMap or Secret (name plus hash suffix). */
function generatorAnchor(k: unknown, obj: Record<string, unknown>, generated: boolean): Anchor {
  if (!generated || !isObj(k)) return { doc: 0, path: ['resources'], part: 'key' };
  const name = String(get(obj, 'metadata', 'name') ?? '');
  const key = obj.kind === 'Secret' ? 'secretGenerator' : 'configMapGenerator';
  const i = asArray(k[key]).findIndex(g => isObj(g) && typeof g.name === 'string' && name.startsWith(g.name));
  return i >= 0 ? { doc: 0, path: [key, i, 'name'] } : { doc: 0, path: [key], part: 'key' };
}

/** Every patch of the unit's kustomizations, ranked so that the outermost kustomization wins. */
function collectPatches(ctx: MapContext, docsOf: (p: string) => unknown[]): Patch[] {
  const out: Patch[] = [];
  const dirs = [...(ctx.spec.kustomizations?.entries() ?? [])];
  dirs.forEach(([dir, refs], depth) => {
    const kfile = ctx.spec.members.find(m => path.dirname(m) === dir && /[Kk]ustomization(\.ya?ml)?$/.test(m));
    if (!kfile) return;
    const k = refs.value;
    const kid = ctx.fromPath(kfile);
    let outer: SourceLocator | undefined;
    const outerLoc = () => (outer ??= new SourceLocator(ctx.text(kfile) ?? ''));
    let n = 0;
    const rank = () => (dirs.length - depth) * 10_000 + n++;
    const fromFile = (p: string, kind: Patch['kind'] | undefined, target: Patch['target'], r: number) => {
      const file = path.resolve(dir, p);
      if (!ctx.known(file)) return;
      const docs = docsOf(file);
      const fileId = ctx.fromPath(file);
      docs.forEach((value, doc) => {
        if (value === null || value === undefined) return;
        out.push({
          rank: r,
          kind: kind ?? (Array.isArray(value) ? 'json6902' : 'smp'),
          value,
          target,
          fileId,
          at: pth => ({ doc, path: pth }),
        });
      });
    };
    const inline = (text: string, at: Path, kind: Patch['kind'] | undefined, target: Patch['target'], r: number) => {
      const doc = inlineDoc(outerLoc(), 0, at);
      let values: unknown[];
      try {
        values = jsyaml.loadAll(text, undefined, { json: true, schema: MANIFEST_SCHEMA });
      } catch {
        return;
      }
      values.forEach((value, i) => {
        if (value === null || value === undefined) return;
        out.push({
          rank: r,
          kind: kind ?? (Array.isArray(value) ? 'json6902' : 'smp'),
          value,
          target,
          fileId: kid,
          // Inside a literal block the patch's own keys are found; otherwise the `patch` key stands for it.
          at: pth => (doc ? doc.anchor({ doc: i, path: pth }) : { doc: 0, path: at, part: 'key' }),
        });
      });
    };
    asArray(k.patchesStrategicMerge).forEach((p, i) => {
      if (typeof p !== 'string') return;
      if (p.includes('\n') || /^\s*[\w.-]+:\s/.test(p))
        inline(p, ['patchesStrategicMerge', i], 'smp', undefined, rank());
      else fromFile(p, 'smp', undefined, rank());
    });
    asArray(k.patchesJson6902).forEach((p, i) => {
      if (!isObj(p)) return;
      const target = targetOf(p.target);
      if (typeof p.path === 'string') fromFile(p.path, 'json6902', target, rank());
      else if (typeof p.patch === 'string')
        inline(p.patch, ['patchesJson6902', i, 'patch'], 'json6902', target, rank());
    });
    asArray(k.patches).forEach((p, i) => {
      if (!isObj(p)) return;
      const target = targetOf(p.target);
      if (typeof p.path === 'string') fromFile(p.path, undefined, target, rank());
      else if (typeof p.patch === 'string') inline(p.patch, ['patches', i, 'patch'], undefined, target, rank());
    });
  });
  return out;
}

function targetOf(t: unknown): Patch['target'] {
  if (!isObj(t)) return undefined;
  return {
    kind: typeof t.kind === 'string' ? t.kind : undefined,
    name: typeof t.name === 'string' ? t.name : undefined,
  };
}

/** The patch applied last that sets `rel` on this object, with the path of that key in the patch. */
function patchSetting(
  patches: Patch[],
  r: Resource,
  originName: string,
  rel: Path,
): (Patch & { path: Path }) | undefined {
  // A patch names its target by these keys; naming is not setting them.
  if (
    rel.length <= 2 &&
    (rel[0] === 'kind' ||
      rel[0] === 'apiVersion' ||
      (rel[0] === 'metadata' && (rel[1] === 'name' || rel[1] === 'namespace')))
  )
    return undefined;
  let best: (Patch & { path: Path }) | undefined;
  for (const p of patches) {
    if (best && best.rank > p.rank) continue;
    if (!targets(p, r, originName)) continue;
    const at = p.kind === 'smp' ? smpSets(p.value, r.value, rel) : jsonPatchSets(p.value, rel);
    if (at) best = { ...p, path: at };
  }
  return best;
}

function targets(p: Patch, r: Resource, originName: string): boolean {
  const nameOk = (n: string | undefined, regex: boolean) => {
    if (!n) return true;
    if (n === r.name || n === originName || (!regex && r.name.includes(n))) return true;
    if (!regex) return false;
    try {
      return new RegExp(`^(?:${n})$`).test(r.name) || new RegExp(`^(?:${n})$`).test(originName);
    } catch {
      return false;
    }
  };
  if (p.target) {
    if (p.target.kind && p.target.kind !== r.kind) return false;
    if (!nameOk(p.target.name, true)) return false;
    if (p.kind === 'json6902') return true;
  }
  if (!isObj(p.value)) return false;
  if (p.value.kind !== undefined && p.value.kind !== r.kind) return false;
  return nameOk(
    typeof get(p.value, 'metadata', 'name') === 'string' ? String(get(p.value, 'metadata', 'name')) : undefined,
    false,
  );
}

function smpSets(patch: unknown, rendered: unknown, rel: Path): Path | undefined {
  const f = followPath(rendered, patch, rel);
  return f.complete ? f.path : undefined;
}

function jsonPatchSets(ops: unknown, rel: Path): Path | undefined {
  if (!Array.isArray(ops)) return undefined;
  let found: Path | undefined;
  ops.forEach((op, i) => {
    if (!isObj(op) || (op.op !== 'add' && op.op !== 'replace') || typeof op.path !== 'string') return;
    const ptr = pointerPath(op.path);
    if (!ptr || ptr.length > rel.length || !ptr.every((s, j) => s === rel[j])) return;
    const rest = rel.slice(ptr.length);
    if (!hasPath(op.value, rest)) return;
    found = [i, 'value', ...rest];
  });
  return found;
}
