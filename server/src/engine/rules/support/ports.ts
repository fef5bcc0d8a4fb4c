import type { Container, ContainerPort, PodTemplate } from '../../model/workload';

/** Containers whose ports are live while the pod serves: main containers and native sidecars. */
export function servingContainers(t: PodTemplate): Container[] {
  return t.containers.filter(c => c.role !== 'init');
}

export interface PortMatch {
  container: Container;
  port: ContainerPort;
}

export function portsByName(t: PodTemplate, name: string): PortMatch[] {
  const out: PortMatch[] = [];
  for (const c of servingContainers(t))
    for (const p of c.ports) if (p.name === name) out.push({ container: c, port: p });
  return out;
}

export function portsByNumber(t: PodTemplate, n: number): PortMatch[] {
  const out: PortMatch[] = [];
  for (const c of servingContainers(t))
    for (const p of c.ports) if (p.containerPort === n) out.push({ container: c, port: p });
  return out;
}

export function declaresAnyPort(t: PodTemplate): boolean {
  return servingContainers(t).some(c => c.ports.length > 0);
}

export function describePort(p: ContainerPort): string {
  return `${p.name ? `${p.name} ` : ''}${p.containerPort ?? '?'}/${p.protocol}`;
}

/** IANA_SVC_NAME: ≤15 chars, lowercase letters, digits and '-', at least one letter, no leading, trailing or double '-'. */
export function ianaSvcNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name.length > 15) return `it is ${name.length} characters long (at most 15)`;
  if (!/^[a-z0-9-]+$/.test(name)) return 'it may contain only lowercase letters, digits and "-"';
  if (!/[a-z]/.test(name)) return 'it must contain at least one letter';
  if (name.startsWith('-') || name.endsWith('-')) return 'it must not start or end with "-"';
  if (name.includes('--')) return 'it must not contain "--"';
  return undefined;
}

/** DNS-1123 label (Service port names): ≤63 chars, lowercase alnum and '-', alnum at both ends. */
export function dnsLabelProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name.length > 63) return `it is ${name.length} characters long (at most 63)`;
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name))
    return 'it must consist of lowercase letters, digits and "-", and start and end with a letter or digit';
  return undefined;
}

/** A valid IANA_SVC_NAME derived from an invalid one, for quick fixes. */
export function suggestIanaName(name: string): string {
  let s = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  if (s.length > 15) s = s.slice(0, 15).replace(/-$/, '');
  if (!/[a-z]/.test(s)) s = `p${s}`.slice(0, 15);
  return s || 'port';
}

/**
 * The pod template an object defines itself, for checks on the template's own text. A borrowed
 * template (an Argo Rollout's workloadRef) is checked where it is written, on the Deployment.
 */
export function ownTemplate(
  f: { resource: { id: string }; template?: PodTemplate } | undefined,
): PodTemplate | undefined {
  const t = f?.template;
  return t && t.source.id === f.resource.id ? t : undefined;
}
