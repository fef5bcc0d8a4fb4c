import type { Workspace } from '../workspace';
import type { Cluster } from '../cluster/cluster';
import type { Resource } from '../model/resource';
import type { Path } from '../parse/locate';
import type { Hop, HopStatus, Lane, SourceLink } from './model';
import { PlanFacts, Where, planFacts, proxyPort } from './adapters';
import { Placement, PlacedPod } from './placement';
import type { PodTemplate } from '../model/workload';
import { proxySettings } from '../netfilter';
import { connectivityOf, ConnectivityModel } from '../connectivity';

export interface HopInit {
  detail?: string[];
  status?: HopStatus;
  rule?: string;
  source?: Where | SourceLink;
  sourceLabel?: string;
  /** See Hop.missing. */
  missing?: string;
}

/** What every step of a trace shares: the workspace, the plan, pod placement and hop numbering. */
export class TraceContext {
  readonly cluster: Cluster;
  readonly plan: PlanFacts;
  readonly placement: Placement;
  /** The unit's connectivity model: the NetworkPolicy verdicts of every hop come from it. */
  readonly connectivity: ConnectivityModel;
  readonly assumptions = new Set<string>();
  private next = 0;

  constructor(readonly ws: Workspace) {
    this.cluster = ws.cluster;
    this.plan = planFacts(ws);
    this.placement = new Placement(ws.cluster, this.plan, proxySettings(ws).nodes);
    this.connectivity = connectivityOf(ws);
  }

  get defaultNamespace(): string {
    return this.ws.configuration.defaultNamespace;
  }

  hop(lane: Lane, title: string, init: HopInit = {}): Hop {
    const h: Hop = { id: `h${++this.next}`, lane, title, detail: init.detail ?? [], status: init.status ?? 'ok' };
    if (init.rule) h.rule = init.rule;
    if (init.missing) h.missing = init.missing;
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

  assume(text: string): void {
    this.assumptions.add(text);
  }

  /**
   * Replica 0 of a workload as a client. When a Service selects it, the kube-proxy model has
   * already given that pod an address; reuse it so the same pod never shows two addresses.
   */
  clientPod(t: PodTemplate): PlacedPod {
    const placed = this.placement.pod(t, 0);
    for (const svc of this.cluster.servicesInNamespace(t.namespace)) {
      const sel = svc.selector;
      if (
        !sel ||
        !Object.keys(sel).length ||
        !Object.entries(sel).every(([k, v]) => t.labels[k] === v) ||
        !svc.ports[0]
      )
        continue;
      const pp = proxyPort(this.ws, svc, svc.ports[0], placed.node);
      const e = pp.endpoints.find(
        x =>
          x.source === 'illustrative' &&
          x.origin.kind === t.owner.kind &&
          x.origin.name === t.owner.name &&
          x.podName === placed.name,
      );
      if (e) return { ...placed, ip: e.ip };
    }
    return placed;
  }
}
