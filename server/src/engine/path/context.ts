import type { Workspace } from '../workspace';
import type { Cluster } from '../cluster/cluster';
import type { Resource } from '../model/resource';
import type { Path } from '../parse/locate';
import type { Hop, HopStatus, Lane, SourceLink } from './model';
import { PlanFacts, Where, planFacts } from './adapters';
import { Placement } from './placement';
import { namespaceLabels } from './policy';

export interface HopInit { detail?: string[]; status?: HopStatus; rule?: string; source?: Where | SourceLink; sourceLabel?: string }

/** What every step of a trace shares: the workspace, the plan, pod placement and hop numbering. */
export class TraceContext {
  readonly cluster: Cluster;
  readonly plan: PlanFacts;
  readonly placement: Placement;
  readonly nsLabels: Map<string, Record<string, string>>;
  readonly assumptions = new Set<string>();
  private next = 0;

  constructor(readonly ws: Workspace) {
    this.cluster = ws.cluster;
    this.plan = planFacts(ws);
    this.placement = new Placement(ws.cluster, this.plan);
    this.nsLabels = namespaceLabels(ws.cluster);
  }

  get defaultNamespace(): string { return this.ws.configuration.defaultNamespace; }

  hop(lane: Lane, title: string, init: HopInit = {}): Hop {
    const h: Hop = { id: `h${++this.next}`, lane, title, detail: init.detail ?? [], status: init.status ?? 'ok' };
    if (init.rule) h.rule = init.rule;
    if (init.source) h.source = 'anchor' in init.source ? this.link(init.source, init.sourceLabel) : init.source;
    return h;
  }

  failed(lane: Lane, title: string, init: HopInit = {}): Hop {
    return this.hop(lane, title, { ...init, status: 'failed' });
  }

  link(w: Where, label?: string): SourceLink {
    const l: SourceLink = { fileId: w.fileId, range: this.ws.rangeIn(w.fileId, w.anchor) };
    if (label) l.label = label;
    return l;
  }

  at(r: Resource, path: Path = [...r.base, 'metadata', 'name']): Where {
    return { fileId: r.fileId, anchor: { doc: r.doc, path } };
  }

  assume(text: string): void { this.assumptions.add(text); }
}
