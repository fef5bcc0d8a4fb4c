import { parseAllDocuments } from 'yaml';
import { loadYamlValue, yamlDocumentValue } from '../../parse/yamlFile';
import { YAML_PARSE_OPTIONS, duplicateKeys } from '../../parse/duplicateKeys';
import type { Anchor, Path } from '../../parse/locate';
import { SourceLocator } from '../../parse/locate';
import type { FileState } from '../../workspace';
import { Resource, asArray, asObj, get, isObj } from '../../model/resource';
import { Family, parseCidr, splitList } from '../cidr';
import type { Component, Encapsulation, Role } from '../model';
import { JsonDoc, prop, str, value as jvalue, hasPlaceholder } from '../text/jsonDoc';
import { TextMap, scalarTextMap } from '../text/textMap';
import { Contribution, EntryDraft, emptyContribution, notEvaluated } from './contribution';
import { jsonProblems, looksLikeCni, readCniConfig } from './cni';
import { own } from '../../model/dict';

/** Reads values and anchors from a resource, or from YAML embedded in a string of one. */
interface Src {
  fileId: string;
  get(path: Path): unknown;
  anchor(path: Path): Anchor;
}

function resourceSrc(r: Resource): Src {
  return { fileId: r.fileId, get: p => get(r.value, ...p), anchor: p => ({ doc: r.doc, path: [...r.base, ...p] }) };
}

/** YAML embedded in a string (kind kubeadmConfigPatches, kubeadm-config ConfigMap): anchors map back through the string. */
function embeddedSrcs(fileId: string, text: string, map: TextMap | undefined, fallback: Anchor): Src[] {
  let docs;
  try {
    docs = parseAllDocuments(text, YAML_PARSE_OPTIONS);
  } catch {
    return [];
  }
  if (!Array.isArray(docs)) return [];
  const locator = new SourceLocator(text);
  return docs.map((d, i) => {
    const v = d.errors.length || duplicateKeys([d]).length ? undefined : yamlDocumentValue(d, text).value;
    return {
      fileId,
      get: (p: Path) => get(v, ...p),
      anchor: (p: Path): Anchor => {
        if (!map) return fallback;
        const [s, e] = locator.offsetsOf({ doc: i, path: p });
        return { offsets: map.toFile(s, e) };
      },
    };
  });
}

const CNI_KEYS = /^(cni-conf\.json|cni_network_config|cni-config|cni-network-config|.*\.conflist|.*\.conf)$/;
const CALICO_POOL_API = /^(projectcalico\.org|crd\.projectcalico\.org)\//;
const WORKLOAD = new Set([
  'Pod',
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'ReplicationController',
]);
export const MULTUS_ANNOTATION = 'k8s.v1.cni.cncf.io/networks';

/** Whether a resource can contribute to the plan (cheap: used to decide whether a file matters). */
export function resourceRelevant(r: Resource): boolean {
  switch (r.kind) {
    case 'ConfigMap': {
      const data = asObj(r.value.data);
      return (
        !!data &&
        (r.name === 'cilium-config' ||
          Object.keys(data).some(
            k =>
              CNI_KEYS.test(k) ||
              k === 'net-conf.json' ||
              k === 'ClusterConfiguration' ||
              k === 'config.conf' ||
              k.startsWith('cluster-pool-'),
          ))
      );
    }
    case 'NetworkAttachmentDefinition':
    case 'ClusterConfiguration':
    case 'KubeProxyConfiguration':
    case 'Installation':
    case 'ServiceCIDR':
      return true;
    case 'IPPool':
    case 'Node':
      return CALICO_POOL_API.test(r.apiVersion);
    case 'Cluster':
      return r.apiVersion.startsWith('kind.x-k8s.io') || r.apiVersion.startsWith('cluster.x-k8s.io');
    case 'Service':
      return typeof get(r.value, 'spec', 'clusterIP') === 'string' || Array.isArray(get(r.value, 'spec', 'clusterIPs'));
    case 'CronJob':
      return true;
    default:
      return WORKLOAD.has(r.kind);
  }
}

/** Reads every plan source of a YAML file. */
export function readYamlFile(file: FileState): Contribution {
  const out = emptyContribution(file.fileId);
  for (const r of file.resources) {
    if (!resourceRelevant(r)) continue;
    readResource(file, r, out);
  }
  if (!file.resources.length && K3S_HINT.test(file.text)) readK3s(file, out);
  if (out.clusterDefinition) for (const e of out.entries) if (e.component !== 'docker') e.scope = file.fileId;
  for (const m of out.nodeMasks) if (out.clusterDefinition) m.scope = file.fileId;
  for (const d of out.domains) if (out.clusterDefinition) d.scope = file.fileId;
  return out;
}

function readResource(file: FileState, r: Resource, out: Contribution): void {
  const src = resourceSrc(r);
  switch (r.kind) {
    case 'ConfigMap':
      return readConfigMap(file, r, out);
    case 'NetworkAttachmentDefinition':
      return readNad(file, r, out);
    case 'ClusterConfiguration':
      out.clusterDefinition = true;
      return readKubeadm(src, out, 'kubeadm');
    case 'KubeProxyConfiguration':
      return readKubeProxy(src, out);
    case 'Cluster':
      return r.apiVersion.startsWith('cluster.x-k8s.io') ? readCapi(r, out) : readKind(file, r, out);
    case 'IPPool':
      return readIpPool(src, r, out);
    case 'Installation':
      return readInstallation(src, out);
    case 'Node':
      return readCalicoNode(src, r, out);
    case 'ServiceCIDR':
      asArray(get(r.value, 'spec', 'cidrs')).forEach((_, i) =>
        addList(src, ['spec', 'cidrs', i], out, 'service', 'kubernetes', `ServiceCIDR ${r.name}`),
      );
      return;
    case 'Service':
      return readService(r, out);
    default:
      return readWorkload(src, r, out);
  }
}

// ---- addresses -----------------------------------------------------------------------------

interface AddOpts {
  pair?: boolean;
  ipam?: 'kcm' | 'cni';
  blockMask?: number;
  blockMaskSource?: Anchor;
  owner?: string;
  origin?: 'declared' | 'default';
  note?: string;
  yields?: boolean;
}

/** Reads a comma/space separated list of CIDRs at `path` and adds each as a plan entry. */
function addList(
  src: Src,
  path: Path,
  out: Contribution,
  role: Role,
  component: Component,
  label: string,
  opts: AddOpts = {},
): EntryDraft[] {
  const raw = src.get(path);
  if (typeof raw !== 'string') return [];
  return addValues(src, src.anchor(path), raw, out, role, component, label, opts);
}

/** Adds the CIDRs of a written list; `anchor` covers the scalar, findings narrow to each item. */
function addValues(
  src: Src,
  anchor: Anchor,
  raw: string,
  out: Contribution,
  role: Role,
  component: Component,
  label: string,
  opts: AddOpts = {},
): EntryDraft[] {
  if (hasPlaceholder(raw)) {
    out.findings.push(notEvaluated(src.fileId, anchor, raw.trim(), label));
    return [];
  }
  const added: EntryDraft[] = [];
  const items = splitList(raw);
  if (opts.pair ?? (role === 'pod' || role === 'service')) {
    const fams = items.map(i => parseCidr(i.text)?.family);
    if (items.length > 2 || (items.length === 2 && fams[0] !== undefined && fams[0] === fams[1])) {
      out.findings.push({
        rule: 'cidr-invalid',
        severity: 'error',
        fileId: src.fileId,
        anchor,
        related: [],
        fixes: [],
        message: `${label}: "${raw.trim()}" — expected one (IPv4 or IPv6) CIDR, or two CIDRs, one of each family, for dual-stack networking (kubeadm and the API server reject anything else).`,
      });
    }
  }
  for (const item of items) {
    out.addresses.push({ fileId: src.fileId, anchor, text: item.text, expect: 'cidr', label, yamlValue: true });
    const cidr = parseCidr(item.text);
    if (!cidr) continue;
    const e = entry(cidr, role, component, label, { fileId: src.fileId, anchor }, opts);
    out.entries.push(e);
    added.push(e);
  }
  return added;
}

function entry(
  cidr: NonNullable<ReturnType<typeof parseCidr>>,
  role: Role,
  component: Component,
  label: string,
  source: { fileId: string; anchor: Anchor },
  opts: AddOpts,
): EntryDraft {
  return {
    cidr,
    role,
    component,
    label,
    origin: opts.origin ?? 'declared',
    source,
    scope: '',
    ipam: opts.ipam,
    blockMask: opts.blockMask,
    blockMaskSource: opts.blockMaskSource ? { fileId: source.fileId, anchor: opts.blockMaskSource } : undefined,
    owner: opts.owner,
    note: opts.note,
    yieldsToClusterPodSubnet: opts.yields,
  };
}

function addDefault(
  text: string,
  role: Role,
  component: Component,
  label: string,
  source: { fileId: string; anchor: Anchor },
  note: string,
  out: Contribution,
  opts: AddOpts = {},
): void {
  out.entries.push(entry(parseCidr(text)!, role, component, label, source, { ...opts, origin: 'default', note }));
}

// ---- kubeadm / kube-proxy / kind -------------------------------------------------------------

/** kubeadm extraArgs: a map in v1beta3, a list of {name, value} in v1beta4. */
function extraArg(src: Src, base: Path, name: string): { value: string; path: Path } | undefined {
  const args = src.get(base);
  if (Array.isArray(args)) {
    const i = args.findIndex(a => isObj(a) && a.name === name);
    if (i >= 0) return { value: String((args[i] as Record<string, unknown>).value ?? ''), path: [...base, i, 'value'] };
  } else if (isObj(args) && Object.prototype.hasOwnProperty.call(args, name))
    return { value: String(args[name]), path: [...base, name] };
  return undefined;
}

function readKubeadm(src: Src, out: Contribution, label: string, defaultsAnchor?: Anchor): void {
  const cm = ['controllerManager', 'extraArgs'];
  const alloc = extraArg(src, cm, 'allocate-node-cidrs');
  if (alloc && alloc.value.toLowerCase() === 'false') out.allocateNodeCidrs = false;
  const ipam = out.allocateNodeCidrs === false ? 'cni' : 'kcm';
  const pods = addList(src, ['networking', 'podSubnet'], out, 'pod', 'kubeadm', `${label} networking.podSubnet`, {
    ipam,
  });
  const clusterCidr = extraArg(src, cm, 'cluster-cidr');
  if (clusterCidr && !pods.length)
    addList(src, clusterCidr.path, out, 'pod', 'kube-controller-manager', `${label} controllerManager --cluster-cidr`, {
      ipam,
    });
  const svc = addList(
    src,
    ['networking', 'serviceSubnet'],
    out,
    'service',
    'kubeadm',
    `${label} networking.serviceSubnet`,
  );
  if (!svc.length && src.get(['networking', 'serviceSubnet']) === undefined) {
    const at = defaultsAnchor ?? src.anchor(src.get(['networking']) !== undefined ? ['networking'] : ['kind']);
    addDefault(
      '10.96.0.0/12',
      'service',
      'kubeadm',
      `${label} networking.serviceSubnet`,
      { fileId: src.fileId, anchor: at },
      'kubeadm default (DefaultServicesSubnet) when serviceSubnet is not set',
      out,
    );
  }
  const domain = src.get(['networking', 'dnsDomain']);
  if (typeof domain === 'string')
    out.domains.push({
      value: domain,
      origin: 'declared',
      source: { fileId: src.fileId, anchor: src.anchor(['networking', 'dnsDomain']) },
      label: `${label} networking.dnsDomain`,
      scope: '',
    });
  for (const [name, family] of [
    ['node-cidr-mask-size', 0],
    ['node-cidr-mask-size-ipv4', 4],
    ['node-cidr-mask-size-ipv6', 6],
  ] as const) {
    const a = extraArg(src, cm, name);
    if (!a) continue;
    const n = Number(a.value);
    if (Number.isInteger(n))
      out.nodeMasks.push({
        family,
        value: n,
        source: { fileId: src.fileId, anchor: src.anchor(a.path) },
        label: `${label} controllerManager --${name}`,
        scope: '',
      });
  }
}

function readKubeProxy(src: Src, out: Contribution): void {
  addList(src, ['clusterCIDR'], out, 'pod', 'kube-proxy', 'KubeProxyConfiguration clusterCIDR', { ipam: 'kcm' });
}

const KIND_DEFAULTS = {
  pod: { 4: '10.244.0.0/16', 6: 'fd00:10:244::/56' },
  service: { 4: '10.96.0.0/16', 6: 'fd00:10:96::/112' },
} as const;

function readKind(file: FileState, r: Resource, out: Contribution): void {
  out.clusterDefinition = true;
  const src = resourceSrc(r);
  // Patches are merged over the kubeadm config kind generates, so what they set wins.
  const before = out.entries.length;
  asArray(r.value.kubeadmConfigPatches).forEach((p, i) => {
    if (typeof p !== 'string') return;
    const path: Path = [...r.base, 'kubeadmConfigPatches', i];
    const map = scalarTextMap(file.text, file.locator.nodeAt(r.doc, path), p);
    for (const inner of embeddedSrcs(r.fileId, p, map, { doc: r.doc, path })) {
      const kind = inner.get(['kind']);
      if (kind === 'ClusterConfiguration')
        readKubeadm(inner, out, 'kind kubeadmConfigPatches ClusterConfiguration', { doc: r.doc, path });
      else if (kind === 'KubeProxyConfiguration') readKubeProxy(inner, out);
    }
  });
  const patched = out.entries.slice(before).filter(e => e.origin === 'declared');
  // the kubeadm default service range does not apply to kind: kind always sets its own
  for (let i = out.entries.length - 1; i >= before; i--)
    if (out.entries[i].origin === 'default') out.entries.splice(i, 1);
  const fam = String(src.get(['networking', 'ipFamily']) ?? 'ipv4');
  const families: Family[] = fam === 'ipv6' ? [6] : fam === 'dual' ? [4, 6] : [4];
  const at = src.anchor(src.get(['networking']) !== undefined ? ['networking'] : ['kind']);
  for (const role of ['pod', 'service'] as const) {
    if (patched.some(e => e.role === role)) continue;
    const key = role === 'pod' ? 'podSubnet' : 'serviceSubnet';
    const added = addList(
      src,
      ['networking', key],
      out,
      role,
      'kind',
      `kind networking.${key}`,
      role === 'pod' ? { ipam: 'kcm' } : {},
    );
    if (added.length || src.get(['networking', key]) !== undefined) continue;
    for (const f of families) {
      addDefault(
        KIND_DEFAULTS[role][f],
        role,
        'kind',
        `kind networking.${key}`,
        { fileId: r.fileId, anchor: at },
        `kind default for ipFamily ${fam}`,
        out,
        role === 'pod' ? { ipam: 'kcm' } : {},
      );
    }
  }
  if (src.get(['networking', 'disableDefaultCNI']) !== true) {
    out.cniModes.push({
      plugin: 'kindnet',
      encapsulation: 'none',
      origin: 'default',
      source: { fileId: r.fileId, anchor: at },
    });
  }
}

// ---- ConfigMaps: embedded CNI JSON, flannel, kubeadm, kube-proxy, Cilium --------------------

function embeddedJson(file: FileState, r: Resource, path: Path, text: string, where: string): JsonDoc {
  const map = scalarTextMap(file.text, file.locator.nodeAt(r.doc, [...r.base, ...path]), text);
  return map
    ? new JsonDoc(r.fileId, map, where)
    : new JsonDoc(r.fileId, TextMap.identity(text), where, { doc: r.doc, path: [...r.base, ...path] });
}

function readConfigMap(file: FileState, r: Resource, out: Contribution): void {
  const data = asObj(r.value.data) ?? {};
  const src = resourceSrc(r);
  for (const [key, v] of Object.entries(data)) {
    if (typeof v !== 'string') continue;
    const where = `ConfigMap ${r.namespace}/${r.name} key ${key}`;
    if (key === 'net-conf.json') {
      readFlannelNetConf(embeddedJson(file, r, ['data', key], v, where), out);
      continue;
    }
    if (CNI_KEYS.test(key) && v.trim().startsWith('{')) {
      const doc = embeddedJson(file, r, ['data', key], v, where);
      jsonProblems(doc, out, `The CNI config in ${where}`);
      if (doc.root && looksLikeCni(doc.root)) readCniConfig({ doc, node: doc.root, context: 'configmap' }, out);
      continue;
    }
    if (key === 'ClusterConfiguration' || key === 'config.conf') {
      const map = scalarTextMap(file.text, file.locator.nodeAt(r.doc, [...r.base, 'data', key]), v);
      for (const inner of embeddedSrcs(r.fileId, v, map, { doc: r.doc, path: [...r.base, 'data', key] })) {
        const kind = inner.get(['kind']);
        if (kind === 'ClusterConfiguration') {
          out.clusterDefinition = true;
          readKubeadm(inner, out, `${where} ClusterConfiguration`);
        } else if (kind === 'KubeProxyConfiguration') readKubeProxy(inner, out);
      }
    }
  }
  if ('cluster-pool-ipv4-cidr' in data || 'cluster-pool-ipv6-cidr' in data || r.name === 'cilium-config')
    readCilium(src, data, out);
}

function readCilium(src: Src, data: Record<string, unknown>, out: Contribution): void {
  const ipam = typeof data.ipam === 'string' ? data.ipam : 'cluster-pool';
  if (ipam !== 'cluster-pool' && ipam !== 'cluster-pool-v2beta') return;
  for (const f of [4, 6] as const) {
    const key = `cluster-pool-ipv${f}-cidr`;
    const maskKey = `cluster-pool-ipv${f}-mask-size`;
    const mask = Number(data[maskKey] ?? (f === 4 ? 24 : 120));
    const opts: AddOpts = {
      pair: false,
      ipam: 'cni',
      owner: 'cilium',
      blockMask: Number.isInteger(mask) ? mask : undefined,
      blockMaskSource: data[maskKey] !== undefined ? src.anchor(['data', maskKey]) : undefined,
    };
    const added = addList(src, ['data', key], out, 'pod', 'cilium', `Cilium ${key}`, opts);
    const enabled = f === 4 ? data['enable-ipv4'] !== 'false' : data['enable-ipv6'] === 'true';
    if (!added.length && data[key] === undefined && enabled) {
      addDefault(
        f === 4 ? '10.0.0.0/8' : 'fd00::/104',
        'pod',
        'cilium',
        `Cilium ${key}`,
        { fileId: src.fileId, anchor: src.anchor(['metadata', 'name']) },
        'Cilium cluster-pool default',
        out,
        opts,
      );
    }
  }
  const tunnel = String(data['tunnel-protocol'] ?? data.tunnel ?? 'vxlan');
  const native = data['routing-mode'] === 'native' || tunnel === 'disabled';
  out.cniModes.push({
    plugin: 'cilium',
    encapsulation: native ? 'none' : tunnel === 'geneve' ? 'geneve' : 'vxlan',
    origin: 'declared',
    source: { fileId: src.fileId, anchor: src.anchor(['metadata', 'name']) },
  });
}

const FLANNEL_BACKENDS: Record<string, Encapsulation> = {
  vxlan: 'vxlan',
  'host-gw': 'host-gw',
  wireguard: 'wireguard',
  udp: 'udp',
  ipip: 'ipip',
};

function readFlannelNetConf(doc: JsonDoc, out: Contribution): void {
  jsonProblems(doc, out, `flannel net-conf.json in ${doc.where}`);
  const root = doc.root;
  if (!root || root.type !== 'object') return;
  out.flannel.push({ doc, node: root, scope: '' });
  for (const [key, f] of [
    ['Network', 4],
    ['IPv6Network', 6],
  ] as const) {
    const n = prop(root, key);
    const text = str(n);
    if (!n || text === undefined) continue;
    const anchor = doc.anchor(n);
    if (hasPlaceholder(text)) continue;
    out.addresses.push({ fileId: doc.fileId, anchor, text, expect: 'cidr', label: `flannel net-conf.json ${key}` });
    const cidr = parseCidr(text);
    if (!cidr) continue;
    const lenNode = prop(root, f === 4 ? 'SubnetLen' : 'IPv6SubnetLen');
    const len = jvalue(lenNode);
    const block = typeof len === 'number' ? len : f === 4 ? (cidr.prefix > 22 ? cidr.prefix + 2 : 24) : 64;
    out.entries.push({
      cidr,
      role: 'pod',
      component: 'flannel',
      label: `flannel net-conf.json ${key}`,
      origin: 'declared',
      source: { fileId: doc.fileId, anchor },
      scope: '',
      ipam: 'kcm',
      owner: 'flannel',
      blockMask: block,
      blockMaskSource: lenNode ? { fileId: doc.fileId, anchor: doc.anchor(lenNode) } : undefined,
    });
  }
  const backend = str(prop(prop(root, 'Backend'), 'Type'));
  out.cniModes.push({
    // flannel's code falls back to udp when Backend is absent, although its docs say vxlan
    plugin: 'flannel',
    bridge: 'cni0',
    encapsulation: backend ? (own(FLANNEL_BACKENDS, backend) ?? 'unknown') : 'udp',
    origin: backend ? 'declared' : 'default',
    source: { fileId: doc.fileId, anchor: doc.anchor(prop(prop(root, 'Backend'), 'Type') ?? root) },
  });
}

function readNad(file: FileState, r: Resource, out: Contribution): void {
  const config = get(r.value, 'spec', 'config');
  const nadAnchor: Anchor = { doc: r.doc, path: [...r.base, 'metadata', 'name'] };
  const ref = {
    name: r.name,
    namespace: r.namespace,
    fileId: r.fileId,
    anchor: nadAnchor,
  } as Contribution['nads'][number];
  out.nads.push(ref);
  if (typeof config !== 'string' || !config.trim()) return;
  const doc = embeddedJson(
    file,
    r,
    ['spec', 'config'],
    config,
    `NetworkAttachmentDefinition ${r.namespace}/${r.name} spec.config`,
  );
  jsonProblems(doc, out, `The CNI config of NetworkAttachmentDefinition ${r.name}`);
  if (doc.root && doc.root.type === 'object') {
    const cfg = { doc, node: doc.root, context: 'nad' as const, nadName: r.name, nadAnchor };
    ref.config = cfg;
    readCniConfig(cfg, out);
  }
}

// ---- Calico ------------------------------------------------------------------------------------

function calicoMode(ipip: unknown, vxlan: unknown): Encapsulation {
  const on = (v: unknown) => typeof v === 'string' && /^(always|crosssubnet)$/i.test(v);
  return on(vxlan) ? 'vxlan' : on(ipip) ? 'ipip' : 'none';
}

function readIpPool(src: Src, r: Resource, out: Contribution): void {
  const bs = get(r.value, 'spec', 'blockSize');
  const cidr = parseCidr(String(get(r.value, 'spec', 'cidr') ?? ''));
  const block = typeof bs === 'number' ? bs : cidr?.family === 6 ? 122 : 26;
  addList(src, ['spec', 'cidr'], out, 'pod', 'calico', `Calico IPPool ${r.name}`, {
    ipam: 'cni',
    owner: 'calico',
    blockMask: block,
    blockMaskSource: typeof bs === 'number' ? src.anchor(['spec', 'blockSize']) : undefined,
  });
  out.cniModes.push({
    plugin: 'calico',
    encapsulation: calicoMode(get(r.value, 'spec', 'ipipMode'), get(r.value, 'spec', 'vxlanMode')),
    origin: 'declared',
    source: { fileId: r.fileId, anchor: src.anchor(['spec']) },
  });
}

function readInstallation(src: Src, out: Contribution): void {
  asArray(src.get(['spec', 'calicoNetwork', 'ipPools'])).forEach((p, i) => {
    const base: Path = ['spec', 'calicoNetwork', 'ipPools', i];
    const bs = get(p, 'blockSize');
    const cidr = parseCidr(String(get(p, 'cidr') ?? ''));
    addList(src, [...base, 'cidr'], out, 'pod', 'calico', `Calico Installation ipPools[${i}]`, {
      ipam: 'cni',
      owner: 'calico',
      blockMask: typeof bs === 'number' ? bs : cidr?.family === 6 ? 122 : 26,
      blockMaskSource: typeof bs === 'number' ? src.anchor([...base, 'blockSize']) : undefined,
    });
    const enc = String(get(p, 'encapsulation') ?? 'IPIP');
    out.cniModes.push({
      plugin: 'calico',
      encapsulation: /vxlan/i.test(enc) ? 'vxlan' : /ipip/i.test(enc) ? 'ipip' : 'none',
      origin: get(p, 'encapsulation') ? 'declared' : 'default',
      source: { fileId: src.fileId, anchor: src.anchor(base) },
    });
  });
}

function readCalicoNode(src: Src, r: Resource, out: Contribution): void {
  for (const key of ['ipv4Address', 'ipv6Address']) {
    const v = get(r.value, 'spec', 'bgp', key);
    if (typeof v !== 'string') continue;
    const anchor = src.anchor(['spec', 'bgp', key]);
    out.addresses.push({
      fileId: r.fileId,
      anchor,
      text: v,
      expect: 'host-cidr',
      label: `Calico Node ${r.name} ${key}`,
      yamlValue: true,
    });
    const c = parseCidr(v);
    if (c)
      out.entries.push(
        entry(
          parseCidr(c.network)!,
          'node',
          'calico',
          `Calico Node ${r.name} spec.bgp.${key} ${v}`,
          { fileId: r.fileId, anchor },
          {},
        ),
      );
  }
}

// ---- workloads: Calico / Weave env, Multus annotations -------------------------------------

function podPaths(r: Resource): { spec: Path; meta: Path } | undefined {
  if (r.kind === 'Pod') return { spec: ['spec'], meta: ['metadata'] };
  if (r.kind === 'CronJob')
    return {
      spec: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
      meta: ['spec', 'jobTemplate', 'spec', 'template', 'metadata'],
    };
  return { spec: ['spec', 'template', 'spec'], meta: ['spec', 'template', 'metadata'] };
}

function readWorkload(src: Src, r: Resource, out: Contribution): void {
  const paths = podPaths(r);
  if (!paths) return;
  const ann = get(r.value, ...paths.meta, 'annotations', MULTUS_ANNOTATION);
  if (typeof ann === 'string') {
    const path = [...paths.meta, 'annotations', MULTUS_ANNOTATION];
    out.annotations.push({
      fileId: r.fileId,
      resource: r,
      anchor: src.anchor(path),
      path: [...r.base, ...path],
      text: ann,
      namespace: r.namespace,
    });
  }
  for (const list of ['initContainers', 'containers']) {
    asArray(get(r.value, ...paths.spec, list)).forEach((c, ci) => {
      if (!isObj(c)) return;
      const cpath: Path = [...paths.spec, list, ci];
      controlPlaneFlags(src, c, cpath, out);
      const image = String(c.image ?? '');
      const env = asArray(c.env);
      const envIdx = (name: string) => env.findIndex(e => isObj(e) && e.name === name);
      const envVal = (name: string) => {
        const i = envIdx(name);
        return i >= 0 ? get(env[i], 'value') : undefined;
      };
      const nameAnchor = src.anchor([...cpath, 'name']);
      // init containers share the images but not the pool settings
      const main = list === 'containers';
      if (main && (c.name === 'calico-node' || /calico\/node/.test(image))) {
        for (const f of [4, 6] as const) {
          const key = `CALICO_IPV${f}POOL_CIDR`;
          const i = envIdx(key);
          const bsRaw = envVal(`CALICO_IPV${f}POOL_BLOCK_SIZE`);
          const block = bsRaw !== undefined && Number.isInteger(Number(bsRaw)) ? Number(bsRaw) : f === 4 ? 26 : 122;
          if (i >= 0 && String(envVal(key)).toLowerCase() !== 'none') {
            addList(src, [...cpath, 'env', i, 'value'], out, 'pod', 'calico', `calico-node env ${key}`, {
              ipam: 'cni',
              owner: 'calico',
              blockMask: block,
            });
          } else if (i < 0 && f === 4 && envVal('NO_DEFAULT_POOLS') !== 'true') {
            addDefault(
              '192.168.0.0/16',
              'pod',
              'calico',
              'Calico default IPv4 pool (CALICO_IPV4POOL_CIDR not set)',
              { fileId: r.fileId, anchor: nameAnchor },
              'calico-node creates 192.168.0.0/16 when CALICO_IPV4POOL_CIDR is unset and kubeadm declares no podSubnet',
              out,
              { ipam: 'cni', owner: 'calico', blockMask: block, yields: true },
            );
          }
        }
        out.cniModes.push({
          plugin: 'calico',
          encapsulation: calicoMode(envVal('CALICO_IPV4POOL_IPIP') ?? 'Always', envVal('CALICO_IPV4POOL_VXLAN')),
          origin: 'declared',
          source: { fileId: r.fileId, anchor: nameAnchor },
        });
      }
      if (main && (c.name === 'weave' || /weave-kube/.test(image))) {
        const i = envIdx('IPALLOC_RANGE');
        if (i >= 0)
          addList(src, [...cpath, 'env', i, 'value'], out, 'pod', 'weave', 'Weave IPALLOC_RANGE', {
            ipam: 'cni',
            owner: 'weave',
          });
        else
          addDefault(
            '10.32.0.0/12',
            'pod',
            'weave',
            'Weave IPALLOC_RANGE',
            { fileId: r.fileId, anchor: nameAnchor },
            'Weave Net default when IPALLOC_RANGE is not set (launch.sh)',
            out,
            { ipam: 'cni', owner: 'weave' },
          );
        out.cniModes.push({
          plugin: 'weave',
          bridge: 'weave',
          encapsulation: 'vxlan',
          origin: 'default',
          source: { fileId: r.fileId, anchor: nameAnchor },
        });
      }
    });
  }
}

function readService(r: Resource, out: Contribution): void {
  const src = resourceSrc(r);
  const add = (path: Path, v: unknown) => {
    if (typeof v !== 'string' || v === '' || v === 'None' || hasPlaceholder(v)) return;
    out.services.push({
      fileId: r.fileId,
      anchor: src.anchor(path),
      text: v,
      service: `${r.namespace}/${r.name}`,
      resource: r,
    });
  };
  const ip = get(r.value, 'spec', 'clusterIP');
  add(['spec', 'clusterIP'], ip);
  asArray(get(r.value, 'spec', 'clusterIPs')).forEach((v, i) => {
    if (v !== ip) add(['spec', 'clusterIPs', i], v);
  });
}

/** kube-controller-manager / kube-apiserver flags in static pod manifests (what kubeadm generates from its config). */
function controlPlaneFlags(src: Src, c: Record<string, unknown>, cpath: Path, out: Contribution): void {
  const image = String(c.image ?? '');
  for (const key of ['command', 'args']) {
    const argv = asArray(c[key]);
    const binary = argv
      .concat([c.name, image])
      .map(String)
      .find(a => /kube-(controller-manager|apiserver)/.test(a));
    if (!binary) continue;
    const kcm = /kube-controller-manager/.test(binary);
    argv.forEach((a, i) => {
      if (typeof a !== 'string') return;
      const m = /^--([a-z0-9-]+)=(.*)$/.exec(a.trim());
      if (!m) return;
      const [, flag, value] = m;
      const anchor = src.anchor([...cpath, key, i]);
      const who = kcm ? 'kube-controller-manager' : 'kube-apiserver';
      if (flag === 'service-cluster-ip-range')
        addValues(src, anchor, value, out, 'service', 'kubernetes', `${who} --service-cluster-ip-range`);
      else if (kcm && flag === 'cluster-cidr')
        addValues(src, anchor, value, out, 'pod', 'kube-controller-manager', 'kube-controller-manager --cluster-cidr', {
          ipam: 'kcm',
        });
      else if (kcm && flag === 'allocate-node-cidrs' && value.toLowerCase() === 'false') out.allocateNodeCidrs = false;
      else if (kcm && /^node-cidr-mask-size(-ipv[46])?$/.test(flag) && Number.isInteger(Number(value))) {
        out.nodeMasks.push({
          family: flag.endsWith('ipv4') ? 4 : flag.endsWith('ipv6') ? 6 : 0,
          value: Number(value),
          source: { fileId: src.fileId, anchor },
          label: `kube-controller-manager --${flag}`,
          scope: '',
        });
      }
    });
  }
}

/** Cluster API `Cluster`: spec.clusterNetwork (becomes kubeadm's podSubnet / serviceSubnet). */
function readCapi(r: Resource, out: Contribution): void {
  out.clusterDefinition = true;
  const src = resourceSrc(r);
  for (const [role, key] of [
    ['pod', 'pods'],
    ['service', 'services'],
  ] as const) {
    asArray(get(r.value, 'spec', 'clusterNetwork', key, 'cidrBlocks')).forEach((_, i) =>
      addList(
        src,
        ['spec', 'clusterNetwork', key, 'cidrBlocks', i],
        out,
        role,
        'kubeadm',
        `Cluster API clusterNetwork.${key}.cidrBlocks[${i}]`,
        role === 'pod' ? { ipam: 'kcm', pair: false } : { pair: false },
      ),
    );
  }
  const domain = get(r.value, 'spec', 'clusterNetwork', 'serviceDomain');
  if (typeof domain === 'string')
    out.domains.push({
      value: domain,
      origin: 'declared',
      source: { fileId: r.fileId, anchor: src.anchor(['spec', 'clusterNetwork', 'serviceDomain']) },
      label: 'Cluster API clusterNetwork.serviceDomain',
      scope: '',
    });
}

const K3S_HINT = /^(cluster-cidr|service-cidr|cluster-dns|flannel-backend|cluster-domain)\s*:/m;

/** k3s / RKE2 `config.yaml` (keys are the server's flag names; no `kind`). */
function readK3s(file: FileState, out: Contribution): void {
  const v = loadYamlValue(file.text).value;
  if (!isObj(v) || 'kind' in v || 'apiVersion' in v) return;
  out.clusterDefinition = true;
  const src: Src = { fileId: file.fileId, get: p => get(v, ...p), anchor: p => ({ doc: 0, path: p }) };
  const at = (key: string) => ({ fileId: file.fileId, anchor: src.anchor([Object.keys(v as object)[0] ?? key]) });
  const pods = addList(src, ['cluster-cidr'], out, 'pod', 'k3s', 'k3s cluster-cidr', { ipam: 'kcm' });
  if (!pods.length && v['cluster-cidr'] === undefined)
    addDefault(
      '10.42.0.0/16',
      'pod',
      'k3s',
      'k3s cluster-cidr',
      at('cluster-cidr'),
      'k3s/RKE2 default when cluster-cidr is not set',
      out,
      { ipam: 'kcm' },
    );
  const svc = addList(src, ['service-cidr'], out, 'service', 'k3s', 'k3s service-cidr');
  if (!svc.length && v['service-cidr'] === undefined)
    addDefault(
      '10.43.0.0/16',
      'service',
      'k3s',
      'k3s service-cidr',
      at('service-cidr'),
      'k3s/RKE2 default when service-cidr is not set',
      out,
    );
  if (typeof v['cluster-domain'] === 'string')
    out.domains.push({
      value: v['cluster-domain'],
      origin: 'declared',
      source: { fileId: file.fileId, anchor: src.anchor(['cluster-domain']) },
      label: 'k3s cluster-domain',
      scope: '',
    });
  const backend = typeof v['flannel-backend'] === 'string' ? v['flannel-backend'] : 'vxlan';
  if (backend !== 'none') {
    const enc: Encapsulation =
      backend === 'host-gw'
        ? 'host-gw'
        : backend.startsWith('wireguard')
          ? 'wireguard'
          : backend === 'vxlan'
            ? 'vxlan'
            : 'unknown';
    out.cniModes.push({
      plugin: 'flannel',
      bridge: 'cni0',
      encapsulation: enc,
      origin: typeof v['flannel-backend'] === 'string' ? 'declared' : 'default',
      source: at('flannel-backend'),
    });
  }
}
