/**
 * Illustrative pods: manifests say how many replicas a workload has, not where they run or which
 * address they get. The tracer needs both to tell same-node from cross-node delivery, so it
 * places replica i of every workload on node (i mod N) and numbers pods per node in a stable
 * order (namespace, kind, name). Every hop that uses these facts says they are illustrative.
 */
import { IPv4, IPv4CidrRange } from 'ip-num';
import type { Cluster } from '../cluster/cluster';
import type { PodTemplate } from '../model/workload';
import { PlanFacts, nodePodBlock, nodeAddress } from './adapters';

export interface PlacedPod {
  name: string;
  ip: string;
  node: string;
  nodeIndex: number;
  nodeIP: string;
  podBlock: string;
}

export function nodeName(index: number): string {
  return `node-${index + 1}`;
}

export class Placement {
  private readonly perTemplateStart = new Map<PodTemplate, number>();

  constructor(
    cluster: Cluster,
    private readonly plan: PlanFacts,
    private readonly nodes = 3,
  ) {
    const templates: PodTemplate[] = [];
    const seen = new Set<string>();
    for (const f of cluster.allFacts()) {
      if (!f.template || f.template.hostNetwork) continue;
      const key = `${f.resource.kind}/${f.resource.namespace}/${f.resource.name}`;
      // The same workload written in two files is one set of pods.
      if (seen.has(key)) continue;
      seen.add(key);
      templates.push(f.template);
    }
    templates.sort(
      (a, b) =>
        cmp(a.namespace, b.namespace) ||
        cmp(a.owner.kind, b.owner.kind) ||
        cmp(a.owner.name, b.owner.name) ||
        cmp(a.owner.fileId, b.owner.fileId),
    );
    // Replica i lands on node i mod N; a workload's pods on one node take consecutive host numbers.
    let next = 0;
    for (const t of templates) {
      this.perTemplateStart.set(t, next);
      next += Math.ceil(Math.max(1, t.replicas) / this.nodes);
    }
  }

  /** Replica `i` of a template. Templates not seen at construction (duplicates) share their twin's numbers. */
  pod(t: PodTemplate, i: number): PlacedPod {
    const nodeIndex = i % this.nodes;
    const start = this.startOf(t);
    const host = 2 + start + Math.floor(i / this.nodes);
    const block = nodePodBlock(this.plan, nodeIndex);
    const range = IPv4CidrRange.fromCidr(block);
    const last = range.getLast().getValue();
    let v = range.getFirst().getValue() + BigInt(host);
    if (v >= last) v = range.getFirst().getValue() + 2n + (v % (last - range.getFirst().getValue() - 2n));
    const nodeIP = t.hostNetwork ? nodeAddress(this.plan, nodeIndex) : undefined;
    return {
      name: podName(t, i),
      ip: nodeIP ?? IPv4.fromNumber(v).toString(),
      node: nodeName(nodeIndex),
      nodeIndex,
      nodeIP: nodeAddress(this.plan, nodeIndex),
      podBlock: block,
    };
  }

  private startOf(t: PodTemplate): number {
    const direct = this.perTemplateStart.get(t);
    if (direct !== undefined) return direct;
    for (const [other, n] of this.perTemplateStart) {
      if (other.owner.kind === t.owner.kind && other.namespace === t.namespace && other.owner.name === t.owner.name)
        return n;
    }
    return 0;
  }
}

/** Illustrative pod names, as the kube-proxy model names synthesised endpoints (`<workload>-<i>`). */
export function podName(t: PodTemplate, i: number): string {
  return t.owner.kind === 'Pod' ? t.owner.name : `${t.owner.name}-${i}`;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
