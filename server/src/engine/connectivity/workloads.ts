/**
 * Workloads: the pods a manifest stamps out, grouped by owner. A controller object (Deployment,
 * StatefulSet, …, a KubeVirt VirtualMachine) is one workload named after itself, unless another
 * controller owns it (a Deployment's ReplicaSet): then it belongs to that owner. A Pod is grouped
 * under the controller its `ownerReferences` name (a pod list exported from a live cluster shows
 * `ReplicaSet`, `DaemonSet`, `Job` owners); a Pod without a controller is a workload of its own,
 * `[Pod]`. Pods of one owner are alike by construction (one template), so the first one's labels
 * and ports stand for the group.
 */
import type { Resource } from '../model/resource';
import { asArray, asObj, asString, asStringMap, get, isObj } from '../model/resource';
import type { Path } from '../parse/locate';
import { asProtocolName, Protocol } from './ports';
import type { SourceRef } from './types';
import { Attachment, parseAttachments } from './networks';
import { dictOf, own } from '../model/dict';
import { addTo } from '../collections';
import { parse as parseYaml } from 'yaml';

export interface WorkloadPort {
  name: string | undefined;
  protocol: Protocol;
  port: number;
  source: SourceRef;
}

export interface Workload {
  /** `namespace/name[Kind]`, netpol-analyzer's name for it. */
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  readonly kind: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Ports declared by the running containers (not init containers), in declaration order. */
  readonly ports: readonly WorkloadPort[];
  /** The object that defines it: the controller, or the first pod of the group. */
  readonly source: SourceRef;
  /** Every object grouped into it (the controller, or its pods). */
  readonly resources: readonly Resource[];
  /** KubeVirt virtual machine (a VirtualMachine object). */
  readonly virtualMachine: boolean;
  /** Multus secondary network attachments the pods request. */
  readonly attachments: readonly Attachment[];
}

const TEMPLATES: Record<string, readonly string[]> = {
  Deployment: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
  DeploymentConfig: ['spec', 'template'],
  VirtualMachine: ['spec', 'template'],
};

export const MULTUS_ANNOTATION = 'k8s.v1.cni.cncf.io/networks';

/** KubeVirt runs a VM inside a `virt-launcher-*` pod; the VirtualMachine object is the workload. */
function isVirtLauncher(r: Resource): boolean {
  return r.name.startsWith('virt-launcher-') || r.labels['kubevirt.io'] === 'virt-launcher';
}

interface Owner {
  kind: string;
  name: string;
}

function controllerOf(r: Resource): Owner | undefined {
  for (const ref of asArray(get(r.value, 'metadata', 'ownerReferences'))) {
    if (!isObj(ref) || ref.controller !== true) continue;
    const kind = asString(ref.kind) ?? '';
    const name = asString(ref.name) ?? '';
    // A static pod's mirror is "owned" by its Node: it runs on its own, as a bare pod.
    if (kind === 'Node' || !name) return undefined;
    return { kind: kind || 'Pod', name };
  }
  return undefined;
}

function readPorts(r: Resource, specPath: Path, spec: Record<string, unknown>, vm: boolean): WorkloadPort[] {
  const out: WorkloadPort[] = [];
  const containers = vm ? [] : asArray(spec.containers);
  containers.forEach((c, ci) => {
    asArray(get(c, 'ports')).forEach((p, pi) => {
      if (!isObj(p) || typeof p.containerPort !== 'number') return;
      const protocol = asProtocolName(p.protocol);
      if (!protocol) return;
      out.push({
        name: asString(p.name),
        protocol,
        port: p.containerPort,
        source: { fileId: r.fileId, anchor: { doc: r.doc, path: [...specPath, 'containers', ci, 'ports', pi] } },
      });
    });
  });
  if (vm) {
    // A VM declares ports on its interfaces (masquerade/bridge binding): `domain.devices.interfaces[].ports`.
    asArray(get(spec, 'domain', 'devices', 'interfaces')).forEach((iface, ii) => {
      asArray(get(iface, 'ports')).forEach((p, pi) => {
        if (!isObj(p) || typeof p.port !== 'number') return;
        const protocol = asProtocolName(p.protocol);
        if (!protocol) return;
        out.push({
          name: asString(p.name),
          protocol,
          port: p.port,
          source: {
            fileId: r.fileId,
            anchor: { doc: r.doc, path: [...specPath, 'domain', 'devices', 'interfaces', ii, 'ports', pi] },
          },
        });
      });
    });
  }
  return out;
}

/**
 * Static addresses the guest gives its interfaces through cloud-init `networkData` (NoCloud or
 * ConfigDrive volume), by guest interface name: netplan v2 `ethernets.<if>.addresses`, or v1
 * `config[]` physical entries with `subnets[].address`.
 */
function cloudInitAddresses(spec: Record<string, unknown>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const v of asArray(spec.volumes)) {
    const text =
      asString(get(v, 'cloudInitNoCloud', 'networkData')) ?? asString(get(v, 'cloudInitConfigDrive', 'networkData'));
    if (!text) continue;
    let doc: unknown;
    try {
      doc = parseYaml(text);
    } catch {
      continue;
    }
    const add = (iface: string, addrs: unknown[]) => {
      const list = addrs.map(a => (typeof a === 'string' ? a : asString(get(a, 'address')))).filter(Boolean);
      if (list.length) out.set(iface, [...(out.get(iface) ?? []), ...(list as string[])]);
    };
    const network = isObj(get(doc, 'network')) ? get(doc, 'network') : doc;
    const ethernets = asObj(get(network, 'ethernets'));
    if (ethernets) for (const [iface, cfg] of Object.entries(ethernets)) add(iface, asArray(get(cfg, 'addresses')));
    for (const c of asArray(get(network, 'config')))
      if (asString(get(c, 'type')) === 'physical') add(asString(get(c, 'name')) ?? '', asArray(get(c, 'subnets')));
  }
  return out;
}

/**
 * A VM's Multus networks: `spec.template.spec.networks[].multus.networkName`, with the static
 * addresses cloud-init gives the matching guest interface (guest `ethN` is the N-th entry of
 * `domain.devices.interfaces`; an address on an interface that cannot be placed so belongs to the
 * VM's only Multus network, when it has one).
 */
function vmAttachments(spec: Record<string, unknown>): Attachment[] {
  const out: Attachment[] = [];
  const byNetwork = new Map<string, Attachment[]>();
  for (const n of asArray(spec.networks)) {
    const name = asString(get(n, 'multus', 'networkName'));
    if (!name) continue;
    const atts = parseAttachments(name);
    out.push(...atts);
    const netName = asString(get(n, 'name'));
    if (netName) byNetwork.set(netName, atts);
  }
  if (!out.length) return out;
  const interfaces = asArray(get(spec, 'domain', 'devices', 'interfaces'));
  for (const [iface, addrs] of cloudInitAddresses(spec)) {
    const m = /^eth(\d+)$/.exec(iface);
    const placed = m && Number(m[1]) < interfaces.length;
    const target = placed
      ? byNetwork.get(asString(get(interfaces[Number(m![1])], 'name')) ?? '')
      : byNetwork.size === 1
        ? [...byNetwork.values()][0]
        : undefined;
    for (const a of target ?? []) a.ips.push(...addrs);
  }
  return out;
}

interface Piece {
  id: string;
  namespace: string;
  name: string;
  kind: string;
  labels: Record<string, string>;
  ports: WorkloadPort[];
  source: SourceRef;
  virtualMachine: boolean;
  attachments: Attachment[];
}

const pieces = new WeakMap<Resource, Piece | null>();

/** What one resource contributes to a workload; computed once per resource version. */
function pieceOf(r: Resource): Piece | undefined {
  const hit = pieces.get(r);
  if (hit !== undefined) return hit ?? undefined;
  const p = readPiece(r);
  pieces.set(r, p ?? null);
  return p;
}

function readPiece(r: Resource): Piece | undefined {
  const source = { fileId: r.fileId, anchor: { doc: r.doc, path: [...r.base, 'metadata', 'name'] } };
  if (r.kind === 'Pod') {
    if (isVirtLauncher(r)) return undefined;
    const owner = controllerOf(r);
    const name = owner ? owner.name : r.name;
    const kind = owner ? owner.kind : 'Pod';
    return {
      id: `${r.namespace}/${name}[${kind}]`,
      namespace: r.namespace,
      name,
      kind,
      labels: dictOf(r.labels),
      ports: readPorts(r, [...r.base, 'spec'], asObj(r.value.spec) ?? {}, false),
      source,
      virtualMachine: false,
      attachments: parseAttachments(r.annotations[MULTUS_ANNOTATION]),
    };
  }
  const rel = own(TEMPLATES, r.kind);
  if (!rel) return undefined;
  if (r.kind === 'VirtualMachine' && !r.apiVersion.startsWith('kubevirt.io/')) return undefined;
  const tpl = get(r.value, ...rel);
  if (!isObj(tpl)) return undefined;
  const vm = r.kind === 'VirtualMachine';
  const spec = asObj(tpl.spec) ?? {};
  // A controller run by another workload controller (a Deployment's ReplicaSet, a CronJob's Job)
  // stamps out that owner's pods: it is part of the owner's workload, as the pods it creates are.
  // (An owner of another kind, such as an operator's custom resource, leaves the name alone.)
  const ctl = controllerOf(r);
  const owner = ctl && own(TEMPLATES, ctl.kind) ? ctl : undefined;
  const name = owner ? owner.name : r.name;
  const kind = owner ? owner.kind : r.kind;
  return {
    id: `${r.namespace}/${name}[${kind}]`,
    namespace: r.namespace,
    name,
    kind,
    labels: asStringMap(get(tpl, 'metadata', 'labels')),
    ports: readPorts(r, [...r.base, ...rel, 'spec'], spec, vm),
    source,
    virtualMachine: vm,
    attachments: vm
      ? vmAttachments(spec)
      : parseAttachments(asStringMap(get(tpl, 'metadata', 'annotations'))[MULTUS_ANNOTATION]),
  };
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The workloads among `resources`, sorted by id. A workload made of exactly the same resource
 * objects as one in `previous` is that same object, so caches keyed by workload survive edits
 * elsewhere.
 */
export function collectWorkloads(resources: readonly Resource[], previous?: ReadonlyMap<string, Workload>): Workload[] {
  const byId = new Map<string, { piece: Piece; resources: Resource[] }>();
  for (const r of resources) {
    const p = pieceOf(r);
    if (!p) continue;
    const prev = byId.get(p.id);
    if (prev) prev.resources.push(r);
    else byId.set(p.id, { piece: p, resources: [r] });
  }
  // The previous order holds when no workload appeared (the common edit): no sort.
  let ids = previous && previous.size === byId.size ? [...previous.keys()] : undefined;
  if (!ids || !ids.every(id => byId.has(id))) ids = [...byId.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return ids.map(id => {
    const { piece, resources: rs } = byId.get(id)!;
    const old = previous?.get(id);
    if (old && sameList(old.resources, rs)) return old;
    return { ...piece, resources: rs };
  });
}

/** The port a workload declares under `name` (the first declaration wins, as in netpol-analyzer and kubelet). */
export function namedPort(w: Pick<Workload, 'ports'>, name: string): WorkloadPort | undefined {
  return w.ports.find(p => p.name === name);
}

/** Workloads after a change of their resources (see updateWorkloads). */
export interface WorkloadUpdate {
  /** Sorted by id, as collectWorkloads returns them; unchanged workloads are the same objects. */
  workloads: readonly Workload[];
  /** Workloads of the previous list that are not in this one (replaced or gone), by id. */
  gone: Workload[];
  /** Workloads of this list that were not in the previous one (new versions or new ids), by id. */
  fresh: Workload[];
  /** [old, new] pairs when every workload id stayed (the common edit), else undefined. */
  replaced: [Workload, Workload][] | undefined;
}

function byIdOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Where `id` is, or would go, in a list sorted by id. */
export function positionOf(list: readonly Workload[], id: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].id < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * What collectWorkloads would return for the previous workload resources less `removed` plus
 * `added` (appended, as a partition of the new resource list has them), computed from the
 * workloads those objects belong to only: their resource lists lose the removed objects and gain
 * the added ones at the end, in that order, as a full pass would list them.
 */
export function updateWorkloads(
  previous: readonly Workload[],
  byId: Pick<ReadonlyMap<string, Workload>, 'get'>,
  removed: readonly Resource[],
  added: readonly Resource[],
): WorkloadUpdate {
  const dropped = new Set(removed);
  const ids = new Set<string>();
  for (const r of removed) {
    const p = pieceOf(r);
    if (p) ids.add(p.id);
  }
  const joining = new Map<string, Resource[]>();
  for (const r of added) {
    const p = pieceOf(r);
    if (!p) continue;
    ids.add(p.id);
    addTo(joining, p.id, r);
  }
  const out: WorkloadUpdate = { workloads: previous, gone: [], fresh: [], replaced: [] };
  let list: Workload[] | undefined;
  for (const id of [...ids].sort(byIdOrder)) {
    const old = byId.get(id);
    const rs = old ? old.resources.filter(r => !dropped.has(r)) : [];
    rs.push(...(joining.get(id) ?? []));
    if (old && sameList(old.resources, rs)) continue;
    const w = rs.length ? { ...pieceOf(rs[0])!, resources: rs } : undefined;
    list ??= [...previous];
    const at = positionOf(list, id);
    if (old) out.gone.push(old);
    if (w) out.fresh.push(w);
    if (old && w) {
      list[at] = w;
      out.replaced?.push([old, w]);
    } else if (old) {
      list.splice(at, 1);
      out.replaced = undefined;
    } else if (w) {
      list.splice(at, 0, w);
      out.replaced = undefined;
    }
  }
  if (list) out.workloads = list;
  return out;
}
