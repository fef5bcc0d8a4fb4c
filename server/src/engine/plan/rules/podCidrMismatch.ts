import { containsCidr, sameNetwork } from '../cidr';
import { isClusterPodSubnet } from '../build';
import type { PlanEntry } from '../model';
import { PlanRule, describe, where } from './rule';
import { own } from '../../model/dict';

type Need = 'equal' | 'contains' | 'within';

/** What each component's pod range must be relative to the cluster's pod subnet (kube-controller-manager --cluster-cidr). */
const NEED: Record<string, { need: Need; why: string }> = {
  'kube-proxy': {
    need: 'equal',
    why: 'kube-proxy uses clusterCIDR to tell pod traffic from external traffic; a different range breaks masquerading (lost return traffic) — kubeadm warns when they differ',
  },
  flannel: {
    need: 'contains',
    why: 'flannel takes each node\'s podCIDR from the cluster CIDR and fails with "subnet … specified in the flannel net config doesn\'t contain … PodCIDR of the … node" (flannel#1983)',
  },
  calico: {
    need: 'within',
    why: 'Calico pools should fall within --cluster-cidr; otherwise kube-proxy and policy treat pod traffic as external (calico#683)',
  },
  weave: {
    need: 'equal',
    why: "Weave allocates from IPALLOC_RANGE itself; kube-proxy's --cluster-cidr and the cluster CIDR must be the same range",
  },
};

function satisfied(need: Need, dep: PlanEntry, ref: PlanEntry): boolean {
  if (need === 'equal') return sameNetwork(dep.cidr, ref.cidr);
  if (need === 'contains') return containsCidr(dep.cidr, ref.cidr);
  return containsCidr(ref.cidr, dep.cidr);
}

const NEED_TEXT: Record<Need, string> = {
  equal: 'is not the same range as',
  contains: 'does not contain',
  within: 'is not inside',
};

export const podCidrMismatch: PlanRule = {
  id: 'pod-cidr-mismatch',
  defaultSeverity: 'error',
  summary:
    'The pod network declared by flannel, Calico, Weave or kube-proxy disagrees with the cluster pod subnet (kubeadm/kind podSubnet, --cluster-cidr).',
  check(ctx) {
    const pods = ctx.plan.entries.filter(e => e.role === 'pod' && e.origin !== 'assumed');
    const refs = pods.filter(isClusterPodSubnet);
    const proxies = pods.filter(e => e.component === 'kube-proxy');
    for (const dep of pods) {
      const spec = own(NEED, dep.component);
      if (!spec || !dep.source) continue;
      const candidates = (dep.component === 'weave' ? [...refs, ...proxies] : refs).filter(
        r => r !== dep && r.cidr.family === dep.cidr.family && ctx.comparable(r, dep),
      );
      if (!candidates.length) {
        if (dep.component === 'flannel') missingPodSubnet(ctx, dep);
        continue;
      }
      if (candidates.some(r => satisfied(spec.need, dep, r))) continue;
      const list = candidates.map(r => `${describe(r)} at ${where(ctx.ws, r.source)}`).join('; ');
      ctx.report({
        fileId: dep.source.fileId,
        anchor: dep.source.anchor,
        exact: dep.cidr.text,
        severity: dep.origin === 'default' ? 'warning' : 'error',
        message: `${describe(dep)} ${NEED_TEXT[spec.need]} the cluster pod subnet (${list}): ${spec.why}. Use the same pod network in both places.`,
        related: candidates
          .filter(r => r.source)
          .slice(0, 5)
          .map(r => ({
            fileId: r.source!.fileId,
            anchor: r.source!.anchor,
            message: `cluster pod subnet ${r.cidr.network} (${r.label})`,
          })),
      });
    }
  },
};

/** flannel with a kubeadm config that sets no podSubnet: nodes never get a podCIDR (flannel#1224, #728). */
function missingPodSubnet(ctx: Parameters<PlanRule['check']>[0], dep: PlanEntry): void {
  for (const c of ctx.contributions) {
    if (!c.clusterDefinition || c.allocateNodeCidrs === false) continue;
    const placed = { scope: c.fileId, source: { fileId: c.fileId } };
    if (!ctx.comparable(placed, dep)) continue;
    if (ctx.plan.entries.some(e => e.scope === c.fileId && isClusterPodSubnet(e))) continue;
    ctx.report({
      fileId: dep.source!.fileId,
      anchor: dep.source!.anchor,
      exact: dep.cidr.text,
      message: `flannel uses ${dep.cidr.network}, but the cluster definition in ${where(ctx.ws, { fileId: c.fileId, anchor: { offsets: [0, 0] } })} sets no pod subnet, so kube-controller-manager allocates no node podCIDRs and flannel fails with "node … pod cidr not assigned". Set networking.podSubnet (kubeadm init --pod-network-cidr) to ${dep.cidr.network}.`,
    });
  }
}
