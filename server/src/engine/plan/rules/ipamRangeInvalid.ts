import { parseCidr, parseIp, containsIp, overlaps, bitsOf, formatIp, Cidr } from '../cidr';
import { pluginsOf, isPodCidrToken } from '../extract/cni';
import type { CniConfigRef } from '../extract/contribution';
import { JNode, items, prop, str, hasPlaceholder } from '../text/jsonDoc';
import type { PlanFinding, PlanRule } from './rule';

interface RangeView {
  subnet?: Cidr;
  subnetNode?: JNode;
  node: JNode;
  label: string;
}

/**
 * host-local range checks: the ones libcni's allocator enforces (range sets, overlaps, start/end
 * in subnet, subnet size) and the ones it does not but that break allocation (gateway outside
 * the subnet, rangeStart after rangeEnd — containernetworking/plugins#1292).
 */
export const ipamRangeInvalid: PlanRule = {
  id: 'ipam-range-invalid',
  defaultSeverity: 'error',
  summary:
    'host-local/static IPAM ranges that cannot allocate: start/end/gateway outside the subnet, inverted or overlapping ranges, mixed families.',
  check(ctx) {
    for (const c of ctx.contributions) for (const ref of c.cniConfigs) checkRef(ref, f => ctx.report(f));
  },
};

function checkRef(ref: CniConfigRef, report: (f: PlanFinding) => void): void {
  const { doc } = ref;
  const at = (n: JNode, message: string) => report({ fileId: doc.fileId, anchor: doc.anchor(n), message });
  const version = str(prop(ref.node, 'cniVersion')) ?? ref.parentVersion;
  for (const { node: p } of pluginsOf(ref.node)) {
    const ipam = prop(p, 'ipam');
    const type = str(prop(ipam, 'type'));
    if (!ipam || ipam.type !== 'object') continue;
    if (type === 'static') {
      for (const a of items(prop(ipam, 'addresses'))) {
        const addr = parseCidr(str(prop(a, 'address')) ?? '');
        const gwNode = prop(a, 'gateway');
        const gw = parseIp(str(gwNode) ?? '');
        if (addr && gw && gwNode && !containsIp(addr, gw))
          at(
            gwNode,
            `gateway ${gw.text} is outside the address's network ${addr.network}; the default route cannot be installed. Use an address inside ${addr.network}.`,
          );
      }
      continue;
    }
    if (type !== 'host-local') continue;
    const sets: RangeView[][] = [];
    if (prop(ipam, 'subnet')) sets.push([view(ipam, 'ipam')]);
    const rangesNode = prop(ipam, 'ranges');
    items(rangesNode).forEach((set, si) => {
      if (set.type !== 'array' || !items(set).length) {
        at(set, `invalid range set ${si}: empty range set. Each entry of "ranges" is a list of {subnet, …} objects.`);
        return;
      }
      sets.push(items(set).map((r, ri) => view(r, `ranges[${si}][${ri}]`)));
    });
    if (!sets.length) {
      if (!ranged(ipam))
        at(
          prop(ipam, 'type')!,
          'host-local has no "ranges" and no "subnet": it fails with "no IP ranges specified". Add "ranges": [[{"subnet": "…"}]].',
        );
      continue;
    }
    sets.forEach((set, si) => {
      const fams = new Set(set.filter(r => r.subnet).map(r => r.subnet!.family));
      if (fams.size > 1)
        at(
          set[0].node.parent ?? set[0].node,
          `invalid range set ${si}: mixed address families. Put IPv4 and IPv6 subnets in separate range sets.`,
        );
      for (let i = 0; i < set.length; i++)
        for (let j = i + 1; j < set.length; j++) {
          const a = set[i].subnet,
            b = set[j].subnet;
          if (a && b && overlaps(a, b))
            at(
              set[j].subnetNode!,
              `invalid range set ${si}: subnets ${a.network} and ${b.network} overlap. Remove or shrink one of them.`,
            );
        }
      for (const r of set) checkRange(r, at);
    });
    for (let i = 0; i < sets.length; i++)
      for (let j = i + 1; j < sets.length; j++) {
        const hit = sets[j].find(b => b.subnet && sets[i].some(a => a.subnet && overlaps(a.subnet, b.subnet!)));
        if (hit)
          at(
            hit.subnetNode!,
            `range set ${j} overlaps with ${i} (host-local error): every range set must hand out distinct addresses. Make the subnets disjoint.`,
          );
      }
    if (version && /^0\.[12]\./.test(version)) {
      for (const f of [4, 6] as const) {
        const count = sets.filter(s => s.some(r => r.subnet?.family === f)).length;
        if (count > 1)
          at(
            rangesNode ?? ipam,
            `CNI version ${version} does not support more than 1 address per family; use cniVersion 0.3.0 or later for several IPv${f} range sets.`,
          );
      }
    }
  }
}

function ranged(ipam: JNode): boolean {
  return !!prop(ipam, 'ranges') || !!prop(ipam, 'subnet');
}

function view(node: JNode, label: string): RangeView {
  const subnetNode = prop(node, 'subnet');
  const text = str(subnetNode);
  const subnet = text && !hasPlaceholder(text) && !isPodCidrToken(text) ? parseCidr(text) : undefined;
  return { subnet, subnetNode, node, label };
}

function checkRange(r: RangeView, at: (n: JNode, m: string) => void): void {
  const s = r.subnet;
  if (!s) return;
  if (s.prefix > bitsOf(s.family) - 2)
    at(
      r.subnetNode!,
      `Network ${s.network} too small to allocate from (host-local needs at least a /${bitsOf(s.family) - 2}). Use a larger subnet.`,
    );
  const ip = (k: string) => {
    const n = prop(r.node, k);
    const v = parseIp(str(n) ?? '');
    return v && n ? { n, v } : undefined;
  };
  const start = ip('rangeStart'),
    end = ip('rangeEnd'),
    gw = ip('gateway');
  if (start && !containsIp(s, start.v))
    at(
      start.n,
      `RangeStart ${start.v.text} not in network ${s.network}. Use an address between ${formatIp(s.family, s.first + 1n)} and ${formatIp(s.family, s.last)}.`,
    );
  if (end && !containsIp(s, end.v))
    at(end.n, `RangeEnd ${end.v.text} not in network ${s.network}. Use an address inside ${s.network}.`);
  if (gw && !containsIp(s, gw.v))
    at(
      gw.n,
      `gateway ${gw.v.text} is outside subnet ${s.network} (host-local does not check this; the bridge/route setup fails or traffic is blackholed). Use an address inside ${s.network}, usually ${formatIp(s.family, s.first + 1n)}.`,
    );
  if (start && end && containsIp(s, start.v) && containsIp(s, end.v) && start.v.value > end.v.value)
    at(
      start.n,
      `rangeStart ${start.v.text} is after rangeEnd ${end.v.text}: the range is empty and allocation fails. Swap them.`,
    );
}
