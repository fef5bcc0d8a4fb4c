import { Workspace } from '../workspace';
import type { FileSource, GlobalAnalyzer, Relocate } from '../workspace';
import type { EngineConfig } from '../config/config';
import type { LocatedDiagnostic } from '../diagnostic';
import { ruleDocUrl } from '../findings';
import { identityKey } from '../model/resource';
import type { UnitKind, UnitSpec } from './discover';

/** A unit's objects as a renderer produced them: per member file, the objects it is the origin of. */
export interface RenderedContent {
  /** Per member fileId: the rendered objects attributed to it (files without objects map to []). */
  sources: Map<string, FileSource>;
  relocate: Relocate;
}

/** A message about the unit as a whole (render error, renderer missing), placed on one of its files. */
export type UnitNote = Omit<LocatedDiagnostic, 'source' | 'href' | 'related' | 'fixes'> & {
  related?: LocatedDiagnostic['related'];
};

export type UnitState =
  /** Plain manifests (no renderer needed, or rendering not possible: see notes). */
  | 'plain'
  /** Analysed plain until the first render lands. */
  | 'rendering'
  | 'rendered'
  /** The last render failed: plain analysis and a note with the tool's message. */
  | 'failed';

/**
 * One analysis unit: one Workspace (one cluster view) fed with the unit's plain files, or with
 * its rendered objects attributed to the files they come from. Findings of a rendered unit may
 * move to another member (the patch that set a key), so diagnostics are kept per target file.
 */
export class Unit {
  readonly ws: Workspace;
  spec: UnitSpec;
  /** Member fileIds. */
  members = new Set<string>();
  state: UnitState = 'plain';
  notes: UnitNote[] = [];
  /** The content key of the rendered content in use (see Project), if any. */
  renderedKey: string | undefined;
  private rendered: RenderedContent | undefined;
  /** Member fileIds fed to the Workspace (plain mode: object files; rendered: every member). */
  private fed = new Set<string>();
  /** Rendered units: diagnostics by the file they land in, from each source file. */
  private bySource = new Map<string, LocatedDiagnostic[]>();
  private byTarget = new Map<string, Set<string>>();

  constructor(
    spec: UnitSpec,
    config: EngineConfig,
    analyzers: GlobalAnalyzer[],
    private readonly ids: { fromPath(p: string): string },
  ) {
    this.spec = spec;
    this.ws = new Workspace(config, analyzers);
    // Kustomize, Helm and declared groups are applied as a whole: the same object twice is a duplicate.
    this.ws.alternativeFiles = spec.kind === 'plain';
  }

  get name(): string {
    return this.spec.name;
  }
  get kind(): UnitKind {
    return this.spec.kind;
  }

  /** The unit's file set after (re)discovery; returns files whose diagnostics may change. */
  reshape(spec: UnitSpec, text: (id: string) => string | undefined): Set<string> {
    this.spec = spec;
    const changed = new Set<string>();
    const before = this.members;
    this.members = new Set(spec.members.map(p => this.ids.fromPath(p)));
    for (const m of before) if (!this.members.has(m)) changed.add(m);
    for (const m of this.members) if (!before.has(m)) changed.add(m);
    if (this.rendered) return changed;
    this.feedPlain(text);
    return changed;
  }

  private objectIds(): Set<string> {
    return new Set(this.spec.objectFiles.map(p => this.ids.fromPath(p)));
  }

  private feedPlain(text: (id: string) => string | undefined): void {
    const want = this.objectIds();
    for (const id of [...this.fed]) if (!want.has(id)) this.unfeed(id);
    for (const id of want) {
      const t = text(id);
      if (t === undefined) {
        if (this.fed.delete(id)) this.ws.removeFile(id);
        continue;
      }
      this.ws.setFile(id, t);
      this.fed.add(id);
    }
  }

  private unfeed(id: string): void {
    this.ws.removeFile(id);
    this.fed.delete(id);
  }

  /** A member's text changed (or disappeared: undefined). */
  setText(id: string, t: string | undefined): void {
    if (!this.fed.has(id) && !(t !== undefined && (this.rendered ? this.members.has(id) : this.objectIds().has(id))))
      return;
    if (t === undefined) {
      this.ws.removeFile(id);
      this.fed.delete(id);
      return;
    }
    // A rendered unit keeps its objects until the next render lands; the new text only moves ranges.
    const src = this.rendered?.sources.get(id);
    if (this.rendered) this.ws.setFile(id, t, false, src ?? { resources: [] });
    else this.ws.setFile(id, t);
    this.fed.add(id);
  }

  /** Switches to rendered content (or back to plain with undefined). */
  useRendered(content: RenderedContent | undefined, key: string | undefined, text: (id: string) => string | undefined) {
    this.rendered = content;
    this.renderedKey = key;
    this.ws.relocate = content?.relocate;
    if (!content) {
      for (const id of [...this.fed]) this.ws.removeFile(id);
      this.fed.clear();
      this.feedPlain(text);
      return;
    }
    for (const id of [...this.fed]) if (!this.members.has(id)) this.unfeed(id);
    for (const id of this.members) {
      const t = text(id);
      if (t === undefined) continue;
      this.ws.setFile(id, t, false, content.sources.get(id) ?? { resources: [] });
      this.fed.add(id);
    }
  }

  get isRendered(): boolean {
    return this.rendered !== undefined;
  }

  /** Brings the Workspace up to date; returns member files whose diagnostics changed. */
  analyze(): Set<string> {
    const changed = this.ws.analyze();
    if (!this.rendered && this.bySource.size === 0) return changed;
    // Rendered (or just un-rendered): findings may land in other members, so re-bucket them.
    const out = new Set<string>();
    for (const src of changed) {
      for (const t of this.targetsOf(src)) out.add(t);
      const now = this.rendered ? this.ws.diagnostics(src) : [];
      for (const t of this.targetsOf(src)) this.byTarget.get(t)?.delete(src);
      if (now.length) this.bySource.set(src, now);
      else this.bySource.delete(src);
      for (const d of now) {
        let s = this.byTarget.get(d.fileId);
        if (!s) this.byTarget.set(d.fileId, (s = new Set()));
        s.add(src);
        out.add(d.fileId);
      }
    }
    return out;
  }

  private targetsOf(src: string): Set<string> {
    return new Set((this.bySource.get(src) ?? []).map(d => d.fileId));
  }

  /** The diagnostics this unit places in one file (notes included). */
  diagnosticsFor(id: string): LocatedDiagnostic[] {
    const notes: UnitNote[] = [];
    for (const n of this.notes) {
      if (n.fileId !== id) continue;
      // Notes obey the rules setting like findings do (render-unavailable: off silences it).
      const s = this.ws.configuration.rules[n.code];
      if (s === 'off') continue;
      notes.push(s ? { ...n, severity: s === 'info' ? 'information' : s } : n);
    }
    let out: LocatedDiagnostic[];
    if (this.rendered || this.bySource.size) {
      out = [];
      for (const src of this.byTarget.get(id) ?? [])
        for (const d of this.bySource.get(src) ?? []) if (d.fileId === id) out.push(d);
    } else {
      out = this.fed.has(id) ? this.ws.diagnostics(id) : [];
    }
    if (!notes.length) return out;
    return [
      ...notes.map(n => ({
        ...n,
        source: 'kube-netlint' as const,
        href: noteHref(n.code),
        related: n.related ?? [],
        fixes: [],
      })),
      ...out,
    ];
  }

  /** Definitions in the unit (cheap: pickers sort units by it). */
  objectCount(): number {
    return this.ws.cluster.facts.size;
  }

  /** Objects in the unit: one defined twice (object-duplicate) is one object, as it is everywhere else. */
  distinctObjectCount(): number {
    const cluster = this.ws.cluster;
    const repeated = new Set<string>();
    let n = 0;
    for (const { resource } of cluster.allFacts()) {
      const key = identityKey(resource);
      if (cluster.definitions(key).size > 1) {
        if (repeated.has(key)) continue;
        repeated.add(key);
      }
      n++;
    }
    return n;
  }
}

/** The three render codes share one page. */
function noteHref(code: string): string {
  return ruleDocUrl(code.startsWith('render-') ? 'render-failed' : code);
}
