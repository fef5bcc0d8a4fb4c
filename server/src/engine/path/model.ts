/**
 * The traffic path model: what the tracer produces and what every front end (CLI text, JSON,
 * webview, Markdown) renders. Plain data only, so it crosses the LSP boundary unchanged and the
 * webview bundle can import this file without pulling in the engine.
 */

export type Lane = 'client' | 'dns' | 'node-netfilter' | 'network' | 'pod';

export const LANES: readonly Lane[] = ['client', 'dns', 'node-netfilter', 'network', 'pod'];

export const LANE_TITLES: Record<Lane, string> = {
  client: 'client',
  dns: 'DNS',
  'node-netfilter': 'node netfilter',
  network: 'network',
  pod: 'pod',
};

export interface SourcePosition {
  line: number;
  character: number;
}
export interface SourceRange {
  start: SourcePosition;
  end: SourcePosition;
}

/** A place in the workspace a hop comes from; `fileId` is a path (CLI) or a URI (server). */
export interface SourceLink {
  fileId: string;
  range: SourceRange;
  label?: string;
}

export type HopStatus = 'ok' | 'failed';

export interface Hop {
  /** Stable within one model ("h3", "b1.h2"): the webview keys focus and clicks by it. */
  id: string;
  lane: Lane;
  title: string;
  /** Plain-text lines; never markup. Front ends escape them. */
  detail: string[];
  status: HopStatus;
  /** The diagnostic rule that explains a failed (or suspicious) hop. */
  rule?: string;
  /**
   * Set when the hop fails because the entry or destination names an object the workspace does
   * not have (`Service shop/cartt`): the question was about nothing, so the CLI answers with an
   * input error (exit 2) rather than a broken path (exit 1).
   */
  missing?: string;
  /** The YAML (or plan entry) that causes this hop; clicking the hop reveals it. */
  source?: SourceLink;
  /** Load-balanced alternatives that follow this hop (kube-proxy endpoints, headless DNS answers). */
  branches?: Branch[];
}

export interface Branch {
  id: string;
  label: string;
  /** Chance that a new connection takes this branch (0..1). */
  probability: number;
  /** How kube-proxy writes it, e.g. "0.5000000000", or a phrase when no statistic rule applies. */
  probabilityText: string;
  hops: Hop[];
  status: HopStatus;
}

export interface PathModel {
  /** The entry as written (`ingress:shop.example.com/cart`). */
  from: string;
  to?: string;
  title: string;
  hops: Hop[];
  /** ok when at least one branch reaches a container; failed otherwise. */
  status: HopStatus;
  /** Facts the trace assumed (illustrative IPs, default CIDRs, …). */
  assumptions: string[];
}

/** Every hop of a model in display order (depth first), with the branch it belongs to. */
export function walkHops(model: PathModel): { hop: Hop; branch?: Branch; depth: number }[] {
  const out: { hop: Hop; branch?: Branch; depth: number }[] = [];
  const visit = (hops: Hop[], branch: Branch | undefined, depth: number) => {
    for (const h of hops) {
      out.push({ hop: h, branch, depth });
      for (const b of h.branches ?? []) visit(b.hops, b, depth + 1);
    }
  };
  visit(model.hops, undefined, 0);
  return out;
}
