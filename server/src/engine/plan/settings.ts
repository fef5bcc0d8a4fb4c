import { isObj } from '../model/resource';
import { parseCidr, splitList, Cidr } from './cidr';
import type { Encapsulation } from './model';
import { dictOf } from '../model/dict';

/**
 * `plan:` in .kube-netlint.yaml (or VS Code `kubeNetlint.plan.*`): what no file declares.
 * Documented in docs/address-plan.md.
 */
export interface PlanSettings {
  podCIDRs: Cidr[];
  serviceCIDRs: Cidr[];
  nodeNetworks: Cidr[];
  /** undefined: docker0's default applies; null: no Docker on the nodes. */
  dockerBridge?: Cidr | null;
  nodeMask: { ipv4?: number; ipv6?: number };
  clusterDomain?: string;
  cni?: { plugin: string; bridge?: string; encapsulation?: Encapsulation };
  problems: string[];
}

const ENCAPS: Encapsulation[] = ['vxlan', 'ipip', 'host-gw', 'wireguard', 'udp', 'geneve', 'none'];

export function readPlanSettings(extra: Record<string, unknown>): PlanSettings {
  const s: PlanSettings = { podCIDRs: [], serviceCIDRs: [], nodeNetworks: [], nodeMask: {}, problems: [] };
  const raw = isObj(extra.plan) ? dictOf(extra.plan) : extra.plan;
  if (raw === undefined || raw === null) return s;
  if (!isObj(raw)) {
    s.problems.push('plan: must be a mapping');
    return s;
  }
  // editor settings arrive with empty strings / zeros for "not set"
  for (const [k, v] of Object.entries(raw))
    if (v === '' || v === 0 || v === null || (Array.isArray(v) && v.length === 0)) delete raw[k];
  const cidrs = (key: string): Cidr[] => {
    const v = raw[key];
    if (v === undefined || v === null) return [];
    const list = Array.isArray(v) ? v.map(String) : typeof v === 'string' ? splitList(v).map(x => x.text) : undefined;
    if (!list) {
      s.problems.push(`plan.${key}: expected a CIDR or a list of CIDRs`);
      return [];
    }
    const out: Cidr[] = [];
    for (const t of list) {
      const c = parseCidr(t);
      if (!c) s.problems.push(`plan.${key}: "${t}" is not a CIDR`);
      else if (c.hostBitsSet && key !== 'nodeNetworks')
        s.problems.push(`plan.${key}: "${t}" has host bits set; the network is ${c.network}`);
      else out.push(key === 'nodeNetworks' ? parseCidr(c.network)! : c);
    }
    return out;
  };
  s.podCIDRs = cidrs('podCIDR');
  s.serviceCIDRs = cidrs('serviceCIDR');
  s.nodeNetworks = cidrs('nodeNetworks');
  const docker = raw.dockerBridge;
  if (docker === 'none' || docker === false) s.dockerBridge = null;
  else if (typeof docker === 'string') {
    const c = parseCidr(docker);
    if (c) s.dockerBridge = parseCidr(c.network)!;
    else s.problems.push(`plan.dockerBridge: "${docker}" is not a CIDR (or "none")`);
  }
  const mask = raw.nodeCidrMaskSize;
  const okMask = (v: unknown, max: number) => typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= max;
  if (typeof mask === 'number') {
    if (okMask(mask, 32)) s.nodeMask.ipv4 = mask;
    else s.problems.push('plan.nodeCidrMaskSize: expected a prefix length');
  } else if (isObj(mask)) {
    if (mask.ipv4 !== undefined) {
      if (okMask(mask.ipv4, 32)) s.nodeMask.ipv4 = mask.ipv4 as number;
      else s.problems.push('plan.nodeCidrMaskSize.ipv4: expected 1-32');
    }
    if (mask.ipv6 !== undefined) {
      if (okMask(mask.ipv6, 128)) s.nodeMask.ipv6 = mask.ipv6 as number;
      else s.problems.push('plan.nodeCidrMaskSize.ipv6: expected 1-128');
    }
  } else if (mask !== undefined) s.problems.push('plan.nodeCidrMaskSize: expected a number or {ipv4, ipv6}');
  if (typeof raw.clusterDomain === 'string' && raw.clusterDomain) s.clusterDomain = raw.clusterDomain;
  const cni = raw.cni;
  if (typeof cni === 'string' && cni) s.cni = { plugin: cni };
  else if (isObj(cni) && typeof cni.plugin === 'string') {
    const enc =
      typeof cni.encapsulation === 'string' && (ENCAPS as string[]).includes(cni.encapsulation)
        ? (cni.encapsulation as Encapsulation)
        : undefined;
    if (cni.encapsulation !== undefined && !enc) s.problems.push(`plan.cni.encapsulation: one of ${ENCAPS.join(', ')}`);
    s.cni = { plugin: cni.plugin, bridge: typeof cni.bridge === 'string' ? cni.bridge : undefined, encapsulation: enc };
  } else if (cni !== undefined) s.problems.push('plan.cni: expected a plugin name or {plugin, bridge, encapsulation}');
  return s;
}
