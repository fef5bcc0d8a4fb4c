import * as path from 'node:path';
import * as jsyaml from 'js-yaml';
import { extractResources } from '../model/extract';
import { Resource, isObj } from '../model/resource';
import type { Path } from '../parse/locate';
import type { FileSource, Relocate } from '../workspace';
import type { RelatedInfo } from '../findings';
import type { Project } from '../units/project';
import type { RenderedContent, Unit, UnitNote } from '../units/unit';
import type { Tool } from './tool';
import { chartFiles, renderHelm } from './helm';
import { TemplateLocator } from './templateLocator';
import { hasPath } from './paths';

export type NoteMaker = (
  code: string,
  severity: UnitNote['severity'],
  message: string,
  where?: { path: string; line?: number },
) => UnitNote;

const VALUES_REF = /\$?\.Values((?:\.[A-Za-z_][A-Za-z0-9_-]*)+)/g;

/**
 * Renders a Helm unit and attributes each object to the template it came from: findings land
 * on the template line that writes the key, with related information on the values key when
 * that line reads `.Values.x`.
 */
export async function renderHelmUnit(
  project: Project,
  unit: Unit,
  tool: Tool,
  note: NoteMaker,
): Promise<{ content: RenderedContent } | { note: UnitNote }> {
  const spec = unit.spec;
  const cfg = project.unitsConfiguration.helm;
  const text = (p: string) => project.text(project.fromPath(p));
  const own = path.join(spec.dir, 'values.yaml');
  const values = (spec.valueSet?.files ?? []).filter(v => v !== own);
  const r = await renderHelm(
    {
      chartDir: spec.dir,
      files: [...new Set([...chartFiles(spec.dir), ...spec.inputs])],
      releaseName: cfg.releaseName,
      namespace: cfg.namespace,
      values,
    },
    tool,
    text,
    { timeoutMs: cfg.timeoutMs, maxOutputBytes: project.unitsConfiguration.maxOutputBytes },
  );
  if (!r.ok) {
    const known = r.file && project.text(project.fromPath(r.file)) !== undefined;
    return {
      note: note(
        'render-failed',
        r.offline ? 'information' : 'warning',
        r.message,
        known ? { path: r.file!, line: r.line } : undefined,
      ),
    };
  }
  const entry = project.fromPath(spec.entry!);
  const sources = new Map<string, FileSource>();
  const locators = new Map<string, TemplateLocator>();
  const used = new Set<string>();
  const defaultNs = cfg.namespace ?? project.configuration.defaultNamespace;
  for (const o of r.objects) {
    const known = o.template && project.text(project.fromPath(o.template)) !== undefined;
    const fileId = known ? project.fromPath(o.template!) : entry;
    let src = sources.get(fileId);
    if (!src) {
      const loc = known ? new TemplateLocator(project.text(fileId)!) : undefined;
      if (loc) locators.set(fileId, loc);
      sources.set(fileId, (src = { resources: [], locator: loc }));
    }
    const doc = known ? o.doc : 0;
    const base = extractResources(fileId, [o.value], defaultNs)[0];
    let id = `${fileId}#${doc}`;
    for (let n = 2; used.has(id); n++) id = `${fileId}#${doc}~${n}`;
    used.add(id);
    src.resources.push({ ...base, id, doc, base: [] } as Resource);
  }
  // Values files in the order helm merges them (later ones win): the chart's, then -f files.
  const valueDocs = [own, ...values]
    .map(p => ({ fileId: project.fromPath(p), value: load(text(p)) }))
    .filter(v => v.value !== undefined);
  const relocate: Relocate = (fileId, anchor) => {
    if ('offsets' in anchor) return undefined;
    const loc = locators.get(fileId);
    if (!loc) {
      if (fileId === entry && sources.has(entry)) return { fileId, anchor: { doc: 0, path: ['name'] }, exact: false };
      return undefined;
    }
    const m = loc.find(anchor.doc, anchor.path, anchor.part);
    const line = loc.lineText(m.line);
    const related: RelatedInfo[] = [];
    for (const ref of line.matchAll(VALUES_REF)) {
      const keys: Path = ref[1].slice(1).split('.');
      const from = [...valueDocs].reverse().find(v => hasPath(v.value, keys));
      if (from)
        related.push({ fileId: from.fileId, anchor: { doc: 0, path: keys }, message: `value of .Values${ref[1]}` });
    }
    return {
      fileId,
      anchor: { offsets: m.range },
      related,
      // A fix may only rewrite literal text, never a template expression.
      exact: m.complete && !line.includes('{{'),
    };
  };
  return { content: { sources, relocate } };
}

function load(t: string | undefined): unknown {
  if (t === undefined) return undefined;
  try {
    const v = jsyaml.load(t);
    return isObj(v) ? v : undefined;
  } catch {
    return undefined;
  }
}
