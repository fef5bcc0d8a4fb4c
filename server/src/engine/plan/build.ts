import { parseCidr, sameNetwork } from './cidr';
import type { AddressPlan, CniMode, PlanEntry, Setting } from './model';
import type { Contribution, EntryDraft } from './extract/contribution';
import type { PlanSettings } from './settings';
import { own } from '../model/dict';

export const DOCKER0_DEFAULT = '172.17.0.0/16';

/** Where a value lives, for deciding which values must agree (see `comparable`). */
export interface Placed {
  scope: string;
  source?: { fileId: string };
}

function dirOf(fileId: string): string {
  const i = Math.max(fileId.lastIndexOf('/'), fileId.lastIndexOf('\\'));
  return i < 0 ? '' : fileId.slice(0, i);
}

/**
 * Whether two values belong to the same cluster. With at most one cluster definition (kind /
 * kubeadm file) the whole workspace is one cluster. With several, each is its own cluster (or
 * an alternative): values of different definitions are never compared, and file-backed values
 * outside any definition are compared only with values in the same folder — a folder of
 * alternative configs from different projects must not read as one broken cluster.
 */
export function comparable(a: Placed, b: Placed, scopes: number): boolean {
  if (a.scope && b.scope) return a.scope === b.scope;
  if (scopes <= 1) return true;
  const fa = a.source?.fileId,
    fb = b.source?.fileId;
  if (!fa || !fb) return true;
  return dirOf(fa) === dirOf(fb);
}

const CLUSTER_POD = new Set(['kubeadm', 'kind', 'k3s', 'kube-controller-manager', 'settings']);
export function isClusterPodSubnet(e: PlanEntry | EntryDraft): boolean {
  return e.role === 'pod' && CLUSTER_POD.has(e.component) && e.origin !== 'assumed';
}

const CNI_PRIORITY = ['settings', 'flannel', 'calico', 'cilium', 'weave', 'kindnet', 'bridge', 'ptp'];
const PLUGIN_OF: Record<string, string> = {
  flannel: 'flannel',
  calico: 'calico',
  'cilium-cni': 'cilium',
  'weave-net': 'weave',
};

/** Merges per-file contributions and user settings into one plan. */
export function buildPlan(contributions: readonly Contribution[], settings: PlanSettings): AddressPlan {
  const scopes = contributions.filter(c => c.clusterDefinition).map(c => c.fileId);
  const drafts: EntryDraft[] = [];
  for (const c of settings.podCIDRs)
    drafts.push({
      cidr: c,
      role: 'pod',
      component: 'settings',
      label: 'setting plan.podCIDR',
      origin: 'setting',
      scope: '',
      ipam: 'kcm',
    });
  for (const c of settings.serviceCIDRs)
    drafts.push({
      cidr: c,
      role: 'service',
      component: 'settings',
      label: 'setting plan.serviceCIDR',
      origin: 'setting',
      scope: '',
    });
  for (const c of settings.nodeNetworks)
    drafts.push({
      cidr: c,
      role: 'node',
      component: 'settings',
      label: 'setting plan.nodeNetworks',
      origin: 'setting',
      scope: '',
    });
  for (const c of contributions) drafts.push(...c.entries);

  // docker0: a setting, else daemon.json's bip, else the first subnet of its first pool, else the default
  const bip = drafts.find(d => d.role === 'docker-bridge');
  if (settings.dockerBridge)
    drafts.push({
      cidr: settings.dockerBridge,
      role: 'docker-bridge',
      component: 'settings',
      label: 'setting plan.dockerBridge (docker0)',
      origin: 'setting',
      scope: '',
    });
  else if (settings.dockerBridge === undefined && !bip) {
    const pool = drafts.find(d => d.role === 'docker-pool' && d.blockMask !== undefined);
    const first =
      pool && pool.blockMask! >= pool.cidr.prefix
        ? parseCidr(`${pool.cidr.network.split('/')[0]}/${pool.blockMask}`)
        : undefined;
    if (first && pool)
      drafts.push({
        cidr: first,
        role: 'docker-bridge',
        component: 'docker',
        label: 'docker bridge docker0 (first network of default-address-pools)',
        origin: 'default',
        source: pool.source,
        scope: '',
        note: 'docker0 takes the first network of the first local address pool when bip is not set',
      });
    else
      drafts.push({
        cidr: parseCidr(DOCKER0_DEFAULT)!,
        role: 'docker-bridge',
        component: 'docker',
        label: 'docker bridge docker0',
        origin: 'default',
        scope: '',
        note: 'Docker\'s default bridge network on any node running dockerd; set plan.dockerBridge ("none" if the nodes run no Docker)',
      });
  }

  // Calico's implicit pool yields to a declared cluster pod subnet
  const kept = drafts.filter(
    d =>
      !(
        d.yieldsToClusterPodSubnet &&
        drafts.some(
          o =>
            isClusterPodSubnet(o) &&
            o.origin !== 'default' &&
            o.cidr.family === d.cidr.family &&
            comparable(o, d, scopes.length),
        )
      ),
  );
  const entries: PlanEntry[] = kept.map((d, id) => ({ ...d, id }));
  let next = entries.length;

  const pick = (role: 'pod' | 'service', rank: (e: PlanEntry) => number): PlanEntry[] => {
    const out: PlanEntry[] = [];
    for (const e of entries.filter(e => e.role === role).sort((a, b) => rank(a) - rank(b) || a.id - b.id)) {
      if (!out.some(o => sameNetwork(o.cidr, e.cidr))) out.push(e);
    }
    return out;
  };
  const originRank = (e: PlanEntry) => ({ setting: 0, declared: 1, default: 2, assumed: 3 })[e.origin];
  const podCIDRs = pick(
    'pod',
    e => originRank(e) * 10 + (isClusterPodSubnet(e) ? 0 : e.component === 'kube-proxy' ? 1 : 2),
  );
  if (!podCIDRs.length) {
    const a: PlanEntry = {
      id: next++,
      cidr: parseCidr('10.244.0.0/16')!,
      role: 'pod',
      component: 'settings',
      label: 'pod network',
      origin: 'assumed',
      scope: '',
      ipam: 'kcm',
      note: 'no file or setting declares a pod network; 10.244.0.0/16 (the flannel/kind/minikube default) is assumed for illustrations — set plan.podCIDR',
    };
    entries.push(a);
    podCIDRs.push(a);
  }
  const serviceCIDRs = pick('service', originRank);
  if (!serviceCIDRs.length) {
    const a: PlanEntry = {
      id: next,
      cidr: parseCidr('10.96.0.0/12')!,
      role: 'service',
      component: 'settings',
      label: 'service network',
      origin: 'assumed',
      scope: '',
      note: "no file or setting declares a service range; kubeadm's default 10.96.0.0/12 is assumed — set plan.serviceCIDR",
    };
    entries.push(a);
    serviceCIDRs.push(a);
  }

  const mask = (family: 4 | 6): Setting<number> => {
    const fromSetting = family === 4 ? settings.nodeMask.ipv4 : settings.nodeMask.ipv6;
    if (fromSetting !== undefined)
      return { value: fromSetting, origin: 'setting', label: `setting plan.nodeCidrMaskSize` };
    // the single-stack --node-cidr-mask-size applies to the cluster's one family; a prefix over 32 can only be IPv6
    for (const c of contributions)
      for (const m of c.nodeMasks)
        if (m.family === family || (m.family === 0 && (m.value > 32 ? 6 : 4) === family))
          return { value: m.value, origin: 'declared', source: m.source, label: m.label };
    return {
      value: family === 4 ? 24 : 64,
      origin: 'default',
      label: `kube-controller-manager --node-cidr-mask-size-ipv${family} default`,
    };
  };

  let clusterDomain: Setting<string> = {
    value: 'cluster.local',
    origin: 'default',
    label: 'kubeadm dnsDomain default',
  };
  if (settings.clusterDomain)
    clusterDomain = { value: settings.clusterDomain, origin: 'setting', label: 'setting plan.clusterDomain' };
  else
    for (const c of contributions)
      for (const d of c.domains)
        if (clusterDomain.origin === 'default')
          clusterDomain = { value: d.value, origin: 'declared', source: d.source, label: d.label };

  const modes: CniMode[] = [];
  if (settings.cni)
    modes.push({
      plugin: settings.cni.plugin,
      bridge: settings.cni.bridge,
      encapsulation: settings.cni.encapsulation ?? 'unknown',
      origin: 'setting',
    });
  for (const c of contributions) modes.push(...c.cniModes);
  // A node CNI config without its manifest still tells the plugin; its documented defaults fill in the rest.
  for (const c of contributions)
    for (const n of c.networks) {
      if (n.context === 'nad') continue;
      const main = n.pluginTypes[0];
      const known = modes.some(m => m.plugin === own(PLUGIN_OF, main));
      if (main === 'flannel' && !known)
        modes.push({ plugin: 'flannel', bridge: n.bridge ?? 'cni0', encapsulation: 'vxlan', origin: 'default' });
      else if (main === 'calico' && !known) modes.push({ plugin: 'calico', encapsulation: 'ipip', origin: 'default' });
      else if (main === 'cilium-cni' && !known)
        modes.push({ plugin: 'cilium', encapsulation: 'vxlan', origin: 'default' });
      else if (main === 'weave-net' && !known)
        modes.push({ plugin: 'weave', bridge: 'weave', encapsulation: 'vxlan', origin: 'default' });
      else if (main === 'bridge' && n.bridge)
        modes.push({ plugin: 'bridge', bridge: n.bridge, encapsulation: 'none', origin: 'declared' });
      else if (main === 'ptp') modes.push({ plugin: 'ptp', encapsulation: 'none', origin: 'declared' });
    }
  const rank = (m: CniMode) => {
    const i = CNI_PRIORITY.indexOf(m.origin === 'setting' ? 'settings' : m.plugin);
    return i < 0 ? CNI_PRIORITY.length : i;
  };
  modes.sort((a, b) => rank(a) - rank(b));
  const seenModes = new Set<string>();
  const uniqueModes = modes.filter(m => {
    const k = `${m.plugin}|${m.bridge}|${m.encapsulation}`;
    if (seenModes.has(k)) return false;
    seenModes.add(k);
    return true;
  });

  return {
    entries,
    podCIDRs,
    serviceCIDRs,
    nodeNetworks: entries.filter(e => e.role === 'node'),
    nodeMask: { ipv4: mask(4), ipv6: mask(6) },
    clusterDomain,
    cni: uniqueModes,
    networks: contributions.flatMap(c => c.networks),
    scopes,
  };
}
