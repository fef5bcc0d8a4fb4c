/**
 * Which networks each workload sits on.
 *
 * - Primary network: the cluster's pod network, unless the namespace has a primary OVN-Kubernetes
 *   user-defined network. A `UserDefinedNetwork` with `role: Primary` serves its own namespace; a
 *   `ClusterUserDefinedNetwork` with `role: Primary` serves the namespaces its selector picks.
 *   Either only takes effect in namespaces labelled `k8s.ovn.org/primary-user-defined-network`
 *   (OVN-Kubernetes requires the label at namespace creation) and never in `default` or
 *   `openshift-*`. A labelled namespace that no (C)UDN here serves is still off the pod network
 *   (its pods get no default-network interface); it is taken to have its own UDN. Primary networks
 *   are isolated from each other: pods on different ones cannot connect at all.
 * - Secondary networks: Multus attachments. A pod's `k8s.v1.cni.cncf.io/networks` annotation
 *   (or a VM's `multus` network) names a NetworkAttachmentDefinition (`name`, `ns/name`,
 *   `name@iface` or the JSON list form, which may also give the interface's `ips`). The NAD must
 *   exist in that namespace. Attachments with the same NAD name are one network. NetworkPolicies
 *   do not apply there; MultiNetworkPolicies (`k8s.v1.cni.cncf.io/policy-for`) do.
 */
import type { Resource } from '../model/resource';
import { asArray, asObj, asString, get, isObj } from '../model/resource';
import { readLabelSelector } from '../model/workload';
import { parseCidr4 } from './addresses';
import { selects } from './matchers';
import type { Workload } from './workloads';

export interface NetworkAssignment {
  /** Unique key: `pod-network`, `udn:<ns>`, `cudn:<name>`, `nad:<name>`. */
  key: string;
  /** The name netpol-analyzer prints: the namespace for a UDN, the object name for a CUDN or NAD. */
  name: string;
  role: 'primary' | 'secondary';
  resource: 'pod-network' | 'UDN' | 'CUDN' | 'NAD';
}

export const PRIMARY_POD_NETWORK: NetworkAssignment = {
  key: 'pod-network',
  name: 'pod-network',
  role: 'primary',
  resource: 'pod-network',
};

export const PRIMARY_UDN_LABEL = 'k8s.ovn.org/primary-user-defined-network';

export interface WorkloadNetworks {
  primary: NetworkAssignment;
  secondary: NetworkAssignment[];
  /** Addresses of the workload's interface on a secondary network (from the attachment's `ips`), by network key. */
  addresses: Map<string, number[]>;
}

export interface Networks {
  /** Workloads off the default network (the pod network without attachments); absent means the default. */
  byWorkload: Map<string, WorkloadNetworks>;
  /** The unit declares user-defined networks, attachments or virtual machines. */
  multiNetwork: boolean;
}

const MULTI_NETWORK_KINDS = new Set([
  'UserDefinedNetwork',
  'ClusterUserDefinedNetwork',
  'NetworkAttachmentDefinition',
  'VirtualMachine',
]);

function primaryRole(spec: unknown): boolean {
  const role = asString(get(spec, 'layer2', 'role')) ?? asString(get(spec, 'layer3', 'role'));
  return role === 'Primary';
}

function reservedNamespace(ns: string): boolean {
  return ns === 'default' || ns.startsWith('openshift-');
}

/** A requested attachment: the NAD's namespace and name, and the addresses asked for. */
export interface Attachment {
  namespace: string | undefined;
  name: string;
  ips: string[];
}

export function parseAttachments(value: string | undefined): Attachment[] {
  if (!value) return [];
  const text = value.trim();
  if (text.startsWith('[')) {
    try {
      return asArray(JSON.parse(text))
        .map(e => ({
          namespace: asString(get(e, 'namespace')),
          name: asString(get(e, 'name')) ?? '',
          ips: asArray(get(e, 'ips')).map(String),
        }))
        .filter(a => a.name);
    } catch {
      return [];
    }
  }
  return text
    .split(',')
    .map(s => s.trim().replace(/@.*$/, ''))
    .filter(Boolean)
    .map(s => {
      const i = s.indexOf('/');
      return i >= 0
        ? { namespace: s.slice(0, i), name: s.slice(i + 1), ips: [] }
        : { namespace: undefined, name: s, ips: [] };
    });
}

export function assignNetworks(
  resources: readonly Resource[],
  workloads: readonly Workload[],
  namespaces: ReadonlyMap<string, Readonly<Record<string, string>>>,
  declaredNamespaces: ReadonlySet<string>,
  warnings: string[],
): Networks {
  const primaryByNs = new Map<string, NetworkAssignment>();
  const nads = new Set<string>();
  let multiNetwork = false;
  const eligible = (ns: string, what: string): boolean => {
    if (!declaredNamespaces.has(ns)) {
      warnings.push(`${what}: namespace ${ns} is not declared here; ignored`);
      return false;
    }
    if (!(PRIMARY_UDN_LABEL in (namespaces.get(ns) ?? {}))) {
      warnings.push(`${what}: namespace ${ns} lacks the label ${PRIMARY_UDN_LABEL}, so it stays on the pod network`);
      return false;
    }
    if (reservedNamespace(ns)) {
      warnings.push(`${what}: primary user-defined networks are not allowed in namespace ${ns}; ignored`);
      return false;
    }
    return true;
  };
  const claim = (ns: string, net: NetworkAssignment, what: string) => {
    const prev = primaryByNs.get(ns);
    if (prev) warnings.push(`${what}: namespace ${ns} already has the primary network ${prev.name}; ignored`);
    else primaryByNs.set(ns, net);
  };
  for (const r of resources) {
    if (MULTI_NETWORK_KINDS.has(r.kind)) multiNetwork = true;
    if (r.kind === 'UserDefinedNetwork') {
      const what = `UserDefinedNetwork ${r.namespace}/${r.name}`;
      if (!primaryRole(get(r.value, 'spec'))) continue;
      if (!eligible(r.namespace, what)) continue;
      claim(r.namespace, { key: `udn:${r.namespace}`, name: r.namespace, role: 'primary', resource: 'UDN' }, what);
    } else if (r.kind === 'NetworkAttachmentDefinition') {
      nads.add(`${r.namespace}/${r.name}`);
    }
  }
  for (const r of resources) {
    if (r.kind !== 'ClusterUserDefinedNetwork') continue;
    const spec = asObj(r.value.spec) ?? {};
    if (!primaryRole(spec.network)) continue;
    const selRaw = spec.namespaceSelector;
    if (!isObj(selRaw)) continue;
    const sel = readLabelSelector(selRaw);
    const what = `ClusterUserDefinedNetwork ${r.name}`;
    for (const ns of [...declaredNamespaces].sort()) {
      if (!selects(sel, namespaces.get(ns) ?? {})) continue;
      if (!eligible(ns, what)) continue;
      claim(ns, { key: `cudn:${r.name}`, name: r.name, role: 'primary', resource: 'CUDN' }, what);
    }
  }
  // A namespace labelled for a primary user-defined network that no (C)UDN here serves: its pods
  // still never join the pod network (OVN-Kubernetes gives them no default-network interface; they
  // wait for the namespace's primary network). The network is not declared in these files, so it is
  // taken to be the namespace's own UDN, isolated from every other network.
  const implied = new Map<string, NetworkAssignment>();
  const impliedFor = (ns: string): NetworkAssignment | undefined => {
    if (primaryByNs.has(ns) || !declaredNamespaces.has(ns) || reservedNamespace(ns)) return undefined;
    if (!(PRIMARY_UDN_LABEL in (namespaces.get(ns) ?? {}))) return undefined;
    let net = implied.get(ns);
    if (!net) {
      net = { key: `udn:${ns}`, name: ns, role: 'primary', resource: 'UDN' };
      implied.set(ns, net);
      warnings.push(
        `namespace ${ns} is labelled ${PRIMARY_UDN_LABEL} but no primary UserDefinedNetwork or ` +
          `ClusterUserDefinedNetwork here serves it; its pods are taken to be on its own primary UDN, not the pod network`,
      );
    }
    return net;
  };
  // Only workloads off the default (pod network, no attachment) get an entry.
  const byWorkload = new Map<string, WorkloadNetworks>();
  for (const w of workloads) {
    const primary = primaryByNs.get(w.namespace) ?? impliedFor(w.namespace);
    if (primary && implied.has(w.namespace)) multiNetwork = true;
    if (!primary && !w.attachments.length) continue;
    const secondary: NetworkAssignment[] = [];
    const addresses = new Map<string, number[]>();
    for (const a of w.attachments) {
      const ns = a.namespace ?? w.namespace;
      if (!nads.has(`${ns}/${a.name}`)) {
        warnings.push(`${w.id}: attachment ${ns}/${a.name} names no NetworkAttachmentDefinition; ignored`);
        continue;
      }
      const key = `nad:${a.name}`;
      if (!secondary.some(s => s.key === key))
        secondary.push({ key, name: a.name, role: 'secondary', resource: 'NAD' });
      const ips = a.ips
        .map(ip => parseCidr4(ip.replace(/\/\d+$/, ''))?.first)
        .filter((x): x is number => x !== undefined);
      if (ips.length) addresses.set(key, [...(addresses.get(key) ?? []), ...ips]);
    }
    secondary.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
    byWorkload.set(w.id, { primary: primary ?? PRIMARY_POD_NETWORK, secondary, addresses });
  }
  return { byWorkload, multiNetwork };
}

/** The NADs a MultiNetworkPolicy applies to (`k8s.v1.cni.cncf.io/policy-for`, `ns/name` or `name` in its own namespace). */
export function policyForRefs(r: Resource): { namespace: string; name: string }[] {
  const v = r.annotations['k8s.v1.cni.cncf.io/policy-for'];
  if (!v) return [];
  return v
    .split(',')
    .map(s => s.trim())
    .filter(Boolean)
    .map(s => {
      const i = s.indexOf('/');
      return i >= 0 ? { namespace: s.slice(0, i), name: s.slice(i + 1) } : { namespace: r.namespace, name: s };
    });
}

/**
 * Whether a MultiNetworkPolicy governs a workload's interface on the secondary network `name`: the
 * policy names the very NetworkAttachmentDefinition (namespace and name) the workload attaches
 * through. Same-named NADs in other namespaces are other attachments, which it does not cover.
 */
export function policyCoversAttachment(
  refs: readonly { namespace: string; name: string }[] | undefined,
  w: Pick<Workload, 'namespace' | 'attachments'>,
  name: string,
): boolean {
  if (!refs) return true;
  return w.attachments.some(
    a => a.name === name && refs.some(r => r.name === name && r.namespace === (a.namespace ?? w.namespace)),
  );
}
