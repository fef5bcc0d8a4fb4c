import type { Path } from '../parse/locate';
import { Resource, asArray, asObj, get, isObj } from './resource';
import { LabelExpression, readLabelSelector } from './workload';

export interface Selector {
  matchLabels: Record<string, string>;
  matchExpressions: LabelExpression[];
}

export interface PolicyPeer {
  podSelector: Selector | undefined;
  namespaceSelector: Selector | undefined;
  ipBlock: { cidr: string; except: string[] } | undefined;
  path: Path;
}

export interface PolicyPort {
  protocol: string;
  port: number | string | undefined;
  endPort: number | undefined;
}

export interface PolicyRule {
  index: number;
  peers: PolicyPeer[];
  ports: PolicyPort[];
  path: Path;
}

export interface NetworkPolicyInfo {
  resource: Resource;
  podSelector: Selector;
  podSelectorPath: Path;
  policyTypes: ('Ingress' | 'Egress')[];
  ingress: PolicyRule[];
  egress: PolicyRule[];
}

export function networkPolicyOf(r: Resource): NetworkPolicyInfo | undefined {
  if (r.kind !== 'NetworkPolicy') return undefined;
  const spec = asObj(r.value.spec) ?? {};
  const specPath = [...r.base, 'spec'];
  const ps = asObj(spec.podSelector) ?? {};
  const ingress = readRules(spec.ingress, 'from', [...specPath, 'ingress']);
  const egress = readRules(spec.egress, 'to', [...specPath, 'egress']);
  let policyTypes = asArray(spec.policyTypes).filter(
    (t): t is 'Ingress' | 'Egress' => t === 'Ingress' || t === 'Egress',
  );
  // API default: Ingress always, Egress when egress rules are present.
  if (!Array.isArray(spec.policyTypes)) policyTypes = spec.egress ? ['Ingress', 'Egress'] : ['Ingress'];
  return {
    resource: r,
    podSelector: readLabelSelector(ps),
    podSelectorPath: [...specPath, 'podSelector'],
    policyTypes,
    ingress,
    egress,
  };
}

function readRules(v: unknown, peerKey: 'from' | 'to', path: Path): PolicyRule[] {
  return asArray(v).map((rule, i) => {
    const peers: PolicyPeer[] = [];
    asArray(get(rule, peerKey)).forEach((p, pi) => {
      if (!isObj(p)) return;
      const ip = asObj(p.ipBlock);
      peers.push({
        podSelector: isObj(p.podSelector) ? readLabelSelector(p.podSelector) : undefined,
        namespaceSelector: isObj(p.namespaceSelector) ? readLabelSelector(p.namespaceSelector) : undefined,
        ipBlock: ip ? { cidr: String(ip.cidr ?? ''), except: asArray(ip.except).map(String) } : undefined,
        path: [...path, i, peerKey, pi],
      });
    });
    const ports = asArray(get(rule, 'ports')).map(p => ({
      protocol: String(get(p, 'protocol') ?? 'TCP'),
      port: get(p, 'port') as number | string | undefined,
      endPort: typeof get(p, 'endPort') === 'number' ? (get(p, 'endPort') as number) : undefined,
    }));
    return { index: i, peers, ports, path: [...path, i] };
  });
}
