import { Cidr, containsCidr, overlaps, sameNetwork } from '../cidr';
import { overlappingPairs } from '../overlapIndex';
import type { PlanEntry, Role } from '../model';
import type { Severity } from '../../findings';
import { PlanRule, PlanRuleContext, where } from './rule';

const ROLE_NAME: Record<Role, string> = {
  pod: 'pod network',
  service: 'service network',
  node: 'node network',
  'docker-bridge': 'docker bridge',
  'docker-pool': 'docker address pool',
  cni: 'CNI network',
  multus: 'Multus network',
};

/**
 * Which pairs of roles must not overlap. Several declarations of the pod network are one
 * network (pod-cidr-mismatch checks that they agree); a node's CNI config carves its subnet
 * from the pod network; docker0 is carved from docker's pools; several standalone CNI configs
 * on a host are alternatives (only the first is used). Everything else must be disjoint.
 */
function checked(a: PlanEntry, b: PlanEntry): boolean {
  if (a.origin === 'assumed' || b.origin === 'assumed') return false;
  if (a.role === b.role) {
    if (a.role === 'pod')
      return (
        !!a.owner &&
        a.owner === b.owner &&
        a.component === b.component &&
        a.component !== 'flannel' &&
        !sameNetwork(a.cidr, b.cidr)
      );
    if (a.role === 'multus') return a.owner !== b.owner && !sameNetwork(a.cidr, b.cidr);
    return false;
  }
  const pair = [a.role, b.role].sort().join('+');
  return pair !== 'cni+pod' && pair !== 'docker-bridge+docker-pool';
}

function severity(a: PlanEntry, b: PlanEntry): Severity {
  const [pod, svc] =
    a.role === 'pod' && b.role === 'service'
      ? [a, b]
      : b.role === 'pod' && a.role === 'service'
        ? [b, a]
        : [undefined, undefined];
  if (pod && svc) {
    // kube-controller-manager carves the service range out of the cluster CIDR; a CNI with its own IPAM does not
    if (pod.ipam === 'kcm' && containsCidr(pod.cidr, svc.cidr) && !sameNetwork(pod.cidr, svc.cidr)) return 'warning';
    return 'error';
  }
  if ([a, b].some(e => e.component === 'docker' && e.origin === 'default')) return 'warning';
  if (a.role === 'multus' && b.role === 'multus') return 'warning';
  return 'error';
}

function consequence(a: PlanEntry, b: PlanEntry): string {
  const roles = new Set([a.role, b.role]);
  if (roles.has('pod') && roles.has('service')) {
    const pod = a.role === 'pod' ? a : b;
    return pod.ipam === 'kcm' && severity(a, b) === 'warning'
      ? 'kube-controller-manager skips the service range when it hands out node pod CIDRs, so this works, but addresses are ambiguous in routes, NetworkPolicies and logs'
      : pod.ipam === 'kcm'
        ? 'node pod CIDRs and Service ClusterIPs can collide (kube-controller-manager: "no remaining CIDRs left to allocate" when the service range covers the cluster CIDR)'
        : `${pod.owner ?? 'the CNI'} assigns pod IPs from the whole pool without knowing the service range, so a pod can get an address that is also a ClusterIP (e.g. kube-dns) and traffic to it breaks`;
  }
  if (roles.has('service'))
    return 'kube-proxy DNATs traffic to ClusterIPs, so addresses of the other network inside the service range are unreachable from pods';
  if (roles.has('node'))
    return 'routes for the overlapping part point into the cluster, so nodes (or hosts on that network) become unreachable from pods';
  if (roles.has('docker-bridge') || roles.has('docker-pool'))
    return "on nodes running Docker, docker0's route shadows this range, so traffic to the overlapping addresses goes to local containers instead";
  return 'two networks would hand out or route the same addresses, so traffic to them goes to whichever route wins on each node';
}

/** Where a range comes from, in words without parentheses around them: label, spelling, origin. */
function origin(e: PlanEntry): string {
  const written = e.cidr.text === e.cidr.network ? '' : `, written as ${e.cidr.text}`;
  const how = e.origin === 'declared' ? '' : e.origin === 'setting' ? ', a user setting' : `, ${e.origin}`;
  return `${e.label}${written}${how}`;
}

/** For each entry, the indices of the entries whose ranges overlap it, in ascending order. */
export type OverlapFinder = (cidrs: readonly Cidr[]) => number[][];

/** The rule over any way of finding the overlapping pairs (the test compares with all pairs). */
export function cidrOverlapWith(findOverlaps: OverlapFinder): PlanRule {
  return {
    id: 'cidr-overlap',
    defaultSeverity: 'error',
    summary: 'Two networks of the cluster address plan overlap (pod, service, node, docker, CNI, Multus ranges).',
    check(ctx) {
      checkOverlaps(ctx, findOverlaps);
    },
  };
}

export const cidrOverlap: PlanRule = cidrOverlapWith(cidrs => overlappingPairs(cidrs));

function checkOverlaps(ctx: PlanRuleContext, findOverlaps: OverlapFinder): void {
  const entries = ctx.plan.entries;
  const overlapping = findOverlaps(entries.map(e => e.cidr));
  entries.forEach((a, ai) => {
    if (!a.source) return;
    const groups = new Map<string, PlanEntry[]>();
    for (const bi of overlapping[ai]) {
      const b = entries[bi];
      if (a === b || !overlaps(a.cidr, b.cidr) || !checked(a, b) || !ctx.comparable(a, b)) continue;
      if (
        b.source &&
        a.source &&
        b.source.fileId === a.source.fileId &&
        JSON.stringify(b.source.anchor) === JSON.stringify(a.source.anchor)
      )
        continue;
      const key = `${b.role}|${b.cidr.network}`;
      const g = groups.get(key);
      if (g) g.push(b);
      else groups.set(key, [b]);
    }
    for (const group of groups.values()) {
      const b = group[0];
      const rel = containsCidr(a.cidr, b.cidr)
        ? sameNetwork(a.cidr, b.cidr)
          ? 'is the same range as'
          : 'contains'
        : containsCidr(b.cidr, a.cidr)
          ? 'lies inside'
          : 'overlaps';
      // The labels may hold parentheses of their own (`Multus network "storage" (macvlan)`), so
      // the message wraps none of them in parentheses: one clause per side instead.
      const others =
        group.length > 1
          ? `, declared ${group.length} times: ${group.map(g => where(ctx.ws, g.source)).join(', ')}`
          : b.source
            ? ` at ${where(ctx.ws, b.source)}`
            : b.note
              ? ` — ${b.note}`
              : '';
      ctx.report({
        fileId: a.source.fileId,
        anchor: a.source.anchor,
        exact: a.cidr.text,
        severity: severity(a, b),
        message: `${ROLE_NAME[a.role]} ${a.cidr.network} ${rel} the ${ROLE_NAME[b.role]} ${b.cidr.network}: ${consequence(a, b)}. This range comes from ${origin(a)}; the ${ROLE_NAME[b.role]} from ${origin(b)}${others}. Choose ranges that do not overlap.`,
        related: group
          .filter(g => g.source)
          .slice(0, 5)
          .map(g => ({
            fileId: g.source!.fileId,
            anchor: g.source!.anchor,
            message: `${ROLE_NAME[g.role]} ${g.cidr.network} (${g.label})`,
          })),
      });
    }
  });
}
