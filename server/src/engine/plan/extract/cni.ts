import type { Anchor } from '../../parse/locate';
import { parseCidr } from '../cidr';
import type { CniNetworkSummary } from '../model';
import { JsonDoc, JNode, items, prop, str, hasPlaceholder } from '../text/jsonDoc';
import { Contribution, CniConfigRef, notEvaluated } from './contribution';

/** Calico/Canal replace these host-local subnet tokens with the node's podCIDR. */
export function isPodCidrToken(s: string): boolean {
  return /^usepodcidr(ipv6)?$/i.test(s.trim());
}

/** The plugin objects of a config: `plugins[]` for a list, the object itself for a single-plugin `.conf`. */
export function pluginsOf(cfg: JNode): { node: JNode; index: number }[] {
  const list = prop(cfg, 'plugins');
  if (list) return items(list).map((node, index) => ({ node, index }));
  return [{ node: cfg, index: -1 }];
}

/** Adds a CNI config (and, for multus, its delegates) to a contribution; returns the network summaries. */
export function readCniConfig(ref: CniConfigRef, out: Contribution): CniNetworkSummary[] {
  const { doc, node } = ref;
  if (node.type !== 'object') return [];
  out.cniConfigs.push(ref);
  const name = str(prop(node, 'name')) ?? ref.nadName;
  const summary: CniNetworkSummary = {
    name,
    fileId: doc.fileId,
    where: doc.where,
    pluginTypes: [],
    context: ref.context,
    subnets: [],
  };
  const summaries = [summary];
  out.networks.push(summary);
  const role = ref.context === 'nad' ? 'multus' : 'cni';
  for (const { node: p } of pluginsOf(node)) {
    const type = str(prop(p, 'type'));
    if (type) summary.pluginTypes.push(type);
    if (type === 'bridge') summary.bridge = str(prop(p, 'bridge')) ?? 'cni0';
    if (type === 'flannel') summary.bridge = str(prop(prop(p, 'delegate'), 'bridge')) ?? 'cni0';
    readIpam(doc, prop(p, 'ipam'), name, type, role, out, summary);
    if (type === 'multus' || prop(p, 'delegates')) {
      for (const d of items(prop(p, 'delegates'))) {
        summaries.push(
          ...readCniConfig({ doc, node: d, context: 'delegate', parentVersion: str(prop(node, 'cniVersion')) }, out),
        );
      }
    }
  }
  return summaries;
}

function readIpam(
  doc: JsonDoc,
  ipam: JNode | undefined,
  name: string | undefined,
  pluginType: string | undefined,
  role: 'cni' | 'multus',
  out: Contribution,
  summary: CniNetworkSummary,
): void {
  if (!ipam || ipam.type !== 'object') return;
  const type = str(prop(ipam, 'type'));
  const label = `${role === 'multus' ? 'Multus network' : 'CNI network'} ${name ? `"${name}"` : '(unnamed)'}${pluginType ? ` (${pluginType})` : ''}`;
  const subnet = (n: JNode | undefined, what: string) => {
    if (!n) return;
    const text = str(n);
    if (text === undefined) return;
    const anchor = doc.anchor(n);
    // placeholders are reported once per document by jsonProblems
    if (hasPlaceholder(text) || isPodCidrToken(text)) return;
    out.addresses.push({ fileId: doc.fileId, anchor, text, expect: 'cidr', label: `${label} ${what}` });
    const cidr = parseCidr(text);
    if (!cidr) return;
    summary.subnets.push(cidr);
    out.entries.push({
      cidr,
      role,
      component: role,
      label: `${label} ipam ${what}`,
      origin: 'declared',
      source: { fileId: doc.fileId, anchor },
      scope: '',
      owner: name,
    });
  };
  const ip = (n: JNode | undefined, what: string) => {
    const text = str(n);
    if (!n || text === undefined) return;
    const anchor: Anchor = doc.anchor(n);
    if (hasPlaceholder(text)) return;
    out.addresses.push({ fileId: doc.fileId, anchor, text, expect: 'ip', label: `${label} ${what}` });
  };
  if (type === 'static') {
    for (const a of items(prop(ipam, 'addresses'))) {
      const addr = prop(a, 'address');
      const text = str(addr);
      if (addr && text !== undefined && !hasPlaceholder(text))
        out.addresses.push({
          fileId: doc.fileId,
          anchor: doc.anchor(addr),
          text,
          expect: 'host-cidr',
          label: `${label} static address`,
        });
      ip(prop(a, 'gateway'), 'static gateway');
    }
  } else {
    subnet(prop(ipam, 'subnet'), 'subnet');
    ip(prop(ipam, 'rangeStart'), 'rangeStart');
    ip(prop(ipam, 'rangeEnd'), 'rangeEnd');
    ip(prop(ipam, 'gateway'), 'gateway');
    items(prop(ipam, 'ranges')).forEach((set, si) => {
      items(set).forEach((r, ri) => {
        subnet(prop(r, 'subnet'), `ranges[${si}][${ri}].subnet`);
        ip(prop(r, 'rangeStart'), `ranges[${si}][${ri}].rangeStart`);
        ip(prop(r, 'rangeEnd'), `ranges[${si}][${ri}].rangeEnd`);
        ip(prop(r, 'gateway'), `ranges[${si}][${ri}].gateway`);
      });
    });
  }
  for (const r of items(prop(ipam, 'routes'))) {
    const dst = prop(r, 'dst');
    const text = str(dst);
    if (dst && text !== undefined && !hasPlaceholder(text))
      out.addresses.push({
        fileId: doc.fileId,
        anchor: doc.anchor(dst),
        text,
        expect: 'cidr',
        label: `${label} route dst`,
      });
    ip(prop(r, 'gw'), 'route gw');
  }
}

/** Reports placeholders and JSON syntax errors of an embedded or file CNI config. */
export function jsonProblems(doc: JsonDoc, out: Contribution, what: string): void {
  for (const p of doc.placeholders) {
    out.findings.push(
      notEvaluated(
        doc.fileId,
        doc.anchorAt(p.start, p.end),
        p.text,
        `a value of ${what.charAt(0).toLowerCase()}${what.slice(1)}`,
      ),
    );
  }
  for (const e of doc.errors) {
    out.findings.push({
      rule: 'cni-config-invalid',
      severity: 'error',
      fileId: doc.fileId,
      anchor: doc.anchorAt(e.offset, e.offset + Math.max(1, e.length)),
      related: [],
      fixes: [],
      message: `${what} is not valid JSON (${doc.errorMessage(e)}); libcni fails with "error parsing configuration list". Fix the JSON syntax here.`,
    });
  }
}

const KNOWN_TYPES = new Set([
  'bridge',
  'ptp',
  'macvlan',
  'ipvlan',
  'host-device',
  'vlan',
  'loopback',
  'dummy',
  'tap',
  'portmap',
  'bandwidth',
  'tuning',
  'firewall',
  'sbr',
  'vrf',
  'win-bridge',
  'win-overlay',
  'flannel',
  'calico',
  'cilium-cni',
  'weave-net',
  'multus',
  'sriov',
  'ovn-k8s-cni-overlay',
  'aws-cni',
  'antrea',
  'kube-ovn',
  'whereabouts',
]);

/** A JSON object that looks like a CNI network config rather than any JSON (package.json also has "name" and "type"). */
export function looksLikeCni(node: JNode | undefined): boolean {
  if (!node || node.type !== 'object') return false;
  if (prop(node, 'cniVersion') || prop(node, 'delegates') || items(prop(node, 'plugins')).some(p => !!prop(p, 'type')))
    return true;
  const type = str(prop(node, 'type'));
  return !!type && (!!prop(node, 'ipam') || !!prop(node, 'delegate') || KNOWN_TYPES.has(type));
}
