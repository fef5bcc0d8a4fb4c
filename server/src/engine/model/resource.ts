import type { Path } from '../parse/locate';
import { dict } from './dict';

/** One Kubernetes object read from a file: where it is, what it is, and its raw value. */
export interface Resource {
  /** Stable within a file version: `<fileId>#<doc>[.<item>]`. */
  readonly id: string;
  readonly fileId: string;
  /** Index of the YAML document in the file. */
  readonly doc: number;
  /** Path from the document root to this object (non-empty for `kind: List` items). */
  readonly base: Path;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  /** True when the namespace came from metadata, false when it is the configured default. */
  readonly namespaceExplicit: boolean;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly value: Record<string, unknown>;
}

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function asObj(v: unknown): Obj | undefined {
  return isObj(v) ? v : undefined;
}

export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function asString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/**
 * Reads a string map (labels, selectors, annotations) into an object without a prototype (see
 * dict.ts), so any key is just a key; non-string values are stringified as the API server would
 * reject or coerce them.
 */
export function asStringMap(v: unknown): Record<string, string> {
  const out = dict<string>();
  if (!isObj(v)) return out;
  for (const [k, x] of Object.entries(v)) {
    if (x === null || x === undefined) continue;
    out[k] = typeof x === 'string' ? x : textOf(x);
  }
  return out;
}

/** String(x), or the object tag for values that cannot be converted (no prototype, no toString). */
function textOf(x: unknown): string {
  try {
    return String(x);
  } catch {
    return Object.prototype.toString.call(x);
  }
}

export function get(v: unknown, ...path: (string | number)[]): unknown {
  let cur = v;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

/**
 * Built-in kinds the API server keeps outside namespaces; a namespace in their name would be one
 * the manifests never gave them (the default namespace filled in).
 */
const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'StorageClass',
  'CSIDriver',
  'CSINode',
  'VolumeAttachment',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'APIService',
  'PriorityClass',
  'RuntimeClass',
  'IngressClass',
  'GatewayClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'CertificateSigningRequest',
  'PodSecurityPolicy',
  'FlowSchema',
  'PriorityLevelConfiguration',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
  'ClusterUserDefinedNetwork',
]);

export function displayName(r: Resource): string {
  return CLUSTER_SCOPED_KINDS.has(r.kind) ? `${r.kind} ${r.name}` : `${r.kind} ${r.namespace}/${r.name}`;
}

/** API group, kind, namespace and name: what the API server keys an object by. */
export function identityKey(r: Resource): string {
  const slash = r.apiVersion.indexOf('/');
  // The API server ignores a namespace written on a cluster-scoped object: with or without one, it is the same object.
  const ns = CLUSTER_SCOPED_KINDS.has(r.kind) ? '' : r.namespace;
  return `${slash < 0 ? '' : r.apiVersion.slice(0, slash)}/${r.kind}/${ns}/${r.name}`;
}

/** The identity Kubernetes uses: two documents with the same key describe the same object. */
export function objectKey(r: Resource): string {
  return `${r.kind}/${r.namespace}/${r.name}`;
}
