import type { Resource } from './resource';

/** API groups served by Kubernetes itself; everything else is a custom resource. */
const BUILTIN_GROUPS =
  /^(v1|apps\/|batch\/|extensions\/|networking\.k8s\.io\/|policy\/|rbac\.authorization\.k8s\.io\/|storage\.k8s\.io\/|apiextensions\.k8s\.io\/|admissionregistration\.k8s\.io\/|autoscaling\/|coordination\.k8s\.io\/|discovery\.k8s\.io\/|scheduling\.k8s\.io\/|node\.k8s\.io\/|certificates\.k8s\.io\/|apiregistration\.k8s\.io\/|events\.k8s\.io\/|flowcontrol\.apiserver\.k8s\.io\/)/;

export function isBuiltinApiVersion(apiVersion: string): boolean {
  return BUILTIN_GROUPS.test(apiVersion);
}

export function isCustomResource(r: Resource): boolean {
  return r.apiVersion !== '' && !isBuiltinApiVersion(r.apiVersion) && r.kind !== 'CustomResourceDefinition';
}

/** The group of an apiVersion (`""` for the core group `v1`). */
export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}
