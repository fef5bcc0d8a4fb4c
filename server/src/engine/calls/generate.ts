/**
 * NetworkPolicies that allow exactly the discovered calls: a default deny (ingress and egress)
 * per namespace with workloads, DNS egress to the cluster DNS (kube-system kube-dns/CoreDNS,
 * UDP and TCP 53), and per workload one ingress policy listing its callers and one egress policy
 * listing what it calls, each rule with the pod ports the calls arrive on. Workloads exposed
 * outside the cluster (LoadBalancer/NodePort Services, Ingress/Route) also admit addresses
 * outside the cluster (`ipBlock 0.0.0.0/0`, which matches no pod) on those ports.
 *
 * Pods are picked by the smallest label set that tells the workload apart from the other
 * workloads of its namespace: its controller's selector, else its whole pod label set.
 */
import { stringify } from 'yaml';
import type { Workspace } from '../workspace';
import { workloadSelectorOf } from '../model/workload';
import { connectivityOf } from '../connectivity';
import type { ConnectivityModel, Protocol, Workload } from '../connectivity';
import { callVerdicts, serviceWorkloads, workloadIdOf } from './verdict';
import { dictOf } from '../model/dict';
import { addTo } from '../collections';

export interface GeneratedPolicies {
  /** The NetworkPolicy objects, in output order. */
  policies: Record<string, unknown>[];
  /** Discovered connections they allow: `src id => dst id port/proto`. */
  edges: { src: Workload; dst: Workload; port: number; protocol: Protocol }[];
  /** What the generator could not express (identical pods, unresolved ports). */
  notes: string[];
}

type Labels = Record<string, string>;
const NS_LABEL = 'kubernetes.io/metadata.name';

function matches(sel: Labels, labels: Readonly<Labels>): boolean {
  return Object.entries(sel).every(([k, v]) => labels[k] === v);
}

/** Labels that select `w` and no other workload of its namespace, when such a set exists. */
function podSelectorFor(w: Workload, model: ConnectivityModel, notes: string[]): Labels {
  const others = model.workloads.filter(o => o !== w && o.namespace === w.namespace);
  const candidates: Labels[] = [];
  for (const r of w.resources) {
    const sel = workloadSelectorOf(r);
    if (sel && !sel.defaulted && !sel.matchExpressions.length && Object.keys(sel.matchLabels).length)
      candidates.push(sel.matchLabels);
  }
  candidates.push(dictOf(w.labels));
  for (const c of candidates) if (Object.keys(c).length && !others.some(o => matches(c, o.labels))) return c;
  notes.push(`${w.id}: its pod labels also match other workloads of ${w.namespace}; their policies share rules`);
  return dictOf(w.labels);
}

function dnsName(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 200) || 'workload'
  );
}

function peer(sel: Labels, ns: string, from: string): Record<string, unknown> {
  const p: Record<string, unknown> = { podSelector: Object.keys(sel).length ? { matchLabels: sel } : {} };
  if (ns !== from) p.namespaceSelector = { matchLabels: { [NS_LABEL]: ns } };
  return p;
}

function portList(ports: { port: number; protocol: Protocol }[]): Record<string, unknown>[] {
  const seen = new Set<string>();
  const out: Record<string, unknown>[] = [];
  for (const p of [...ports].sort((a, b) => a.protocol.localeCompare(b.protocol) || a.port - b.port)) {
    const k = `${p.protocol}/${p.port}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ protocol: p.protocol, port: p.port });
  }
  return out;
}

/** The policies for one unit. */
export function generatePolicies(ws: Workspace): GeneratedPolicies {
  const model = connectivityOf(ws);
  const notes: string[] = [];
  const edges: GeneratedPolicies['edges'] = [];
  const seen = new Set<string>();
  for (const v of callVerdicts(ws))
    for (const t of v.targets) {
      const k = `${v.source.id}\u0000${t.workload.id}\u0000${t.port}/${t.protocol}`;
      if (seen.has(k)) continue;
      seen.add(k);
      edges.push({ src: v.source, dst: t.workload, port: t.port, protocol: t.protocol });
    }
  edges.sort(
    (a, b) =>
      a.src.id.localeCompare(b.src.id) ||
      a.dst.id.localeCompare(b.dst.id) ||
      a.protocol.localeCompare(b.protocol) ||
      a.port - b.port,
  );
  const selectors = new Map<Workload, Labels>();
  const sel = (w: Workload) => {
    let s = selectors.get(w);
    if (!s) selectors.set(w, (s = podSelectorFor(w, model, notes)));
    return s;
  };
  const exposed = externalExposure(ws, model);
  const namespaces = [...new Set(model.workloads.filter(w => !w.virtualMachine).map(w => w.namespace))].sort();
  const policies: Record<string, unknown>[] = [];
  const policy = (name: string, ns: string, spec: Record<string, unknown>) =>
    policies.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name, namespace: ns, labels: { 'app.kubernetes.io/managed-by': 'kube-netlint' } },
      spec,
    });
  for (const ns of namespaces) {
    policy('default-deny', ns, { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    policy('allow-dns', ns, {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { [NS_LABEL]: 'kube-system' } },
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            },
          ],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
      ],
    });
  }
  const workloads = [...new Set([...edges.map(e => e.src), ...edges.map(e => e.dst), ...exposed.keys()])].sort((a, b) =>
    a.id.localeCompare(b.id),
  );
  for (const w of workloads) {
    const callers = groupBy(
      edges.filter(e => e.dst === w),
      e => e.src,
    );
    const ingress: Record<string, unknown>[] = [...callers].map(([src, es]) => ({
      from: [peer(sel(src), src.namespace, w.namespace)],
      ports: portList(es),
    }));
    const outside = exposed.get(w);
    if (outside?.length) ingress.push({ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: portList(outside) });
    if (ingress.length)
      policy(`${dnsName(w.name)}-ingress`, w.namespace, {
        podSelector: { matchLabels: sel(w) },
        policyTypes: ['Ingress'],
        ingress,
      });
    const callees = groupBy(
      edges.filter(e => e.src === w),
      e => e.dst,
    );
    if (callees.size)
      policy(`${dnsName(w.name)}-egress`, w.namespace, {
        podSelector: { matchLabels: sel(w) },
        policyTypes: ['Egress'],
        egress: [...callees].map(([dst, es]) => ({
          to: [peer(sel(dst), dst.namespace, w.namespace)],
          ports: portList(es),
        })),
      });
  }
  return { policies, edges, notes };
}

function groupBy<T, K>(items: T[], key: (t: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const i of items) addTo(m, key(i), i);
  return m;
}

/** Pod ports reachable from outside the cluster: LoadBalancer/NodePort Services and Ingress/Route backends. */
function externalExposure(
  ws: Workspace,
  model: ConnectivityModel,
): Map<Workload, { port: number; protocol: Protocol }[]> {
  const out = new Map<Workload, { port: number; protocol: Protocol }[]>();
  const add = (w: Workload, port: number, protocol: Protocol) => addTo(out, w, { port, protocol });
  for (const f of ws.cluster.allFacts()) {
    const svc = f.service;
    if (!svc || (svc.type !== 'LoadBalancer' && svc.type !== 'NodePort')) continue;
    for (const w of serviceWorkloads(model, svc))
      for (const p of svc.ports) {
        const t = p.targetPort === undefined || p.targetPort === 0 ? p.port : p.targetPort;
        const n =
          typeof t === 'number'
            ? t
            : typeof t === 'string'
              ? (w.ports.find(x => x.name === t && x.protocol === p.protocol)?.port ??
                (/^[0-9]+$/.test(t) ? Number(t) : undefined))
              : undefined;
        if (n !== undefined) add(w, n, p.protocol);
      }
  }
  for (const w of model.workloads) {
    const e = model.exposure.get(w.id);
    if (!e) continue;
    for (const proto of e.connections.protocols())
      for (const [a, b] of e.connections.ranges(proto)) if (b - a < 64) for (let p = a; p <= b; p++) add(w, p, proto);
  }
  return out;
}

/** The policies as one multi-document YAML text. */
export function policiesYaml(g: GeneratedPolicies): string {
  const head = [
    '# NetworkPolicies generated by kube-netlint from the calls its workloads are configured to make.',
    `# ${g.edges.length} discovered connection(s); default deny per namespace; DNS egress to kube-system kube-dns.`,
    ...g.notes.map(n => `# note: ${n}`),
  ];
  return `${head.join('\n')}\n${g.policies.map(p => `---\n${stringify(p, { lineWidth: 0 })}`).join('')}`;
}

export { workloadIdOf };
