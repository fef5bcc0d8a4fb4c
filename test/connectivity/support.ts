import { Workspace } from '../../server/src/engine';
import { connectivityOf, formatConnections } from '../../server/src/engine/connectivity';
import type { ConnectivityModel, Endpoint } from '../../server/src/engine/connectivity';

/** A workspace of inline YAML files (name → text). */
export function workspaceOf(files: Record<string, string>): Workspace {
  const ws = new Workspace();
  for (const [name, text] of Object.entries(files)) ws.setFile(`/ws/${name}`, text);
  ws.analyze();
  return ws;
}

export function modelOf(files: Record<string, string>): ConnectivityModel {
  return connectivityOf(workspaceOf(files));
}

/** The txt lines of a model. */
export function linesOf(m: ConnectivityModel): string[] {
  return formatConnections(m, m.connections(), 'txt').split('\n').filter(Boolean);
}

export function wl(m: ConnectivityModel, id: string): Endpoint {
  const w = m.workload(id);
  if (!w) throw new Error(`no workload ${id}; have ${m.workloads.map(x => x.id).join(', ')}`);
  return { kind: 'workload', workload: w };
}

/** A Deployment with labels and container ports (`name:port/PROTO` or `port`). */
export function deployment(ns: string, name: string, labels: Record<string, string>, ports: string[] = []): string {
  const portYaml = ports
    .map(p => {
      const m = /^(?:([a-z0-9-]+):)?(\d+)(?:\/(TCP|UDP|SCTP))?$/.exec(p)!;
      return `        - containerPort: ${m[2]}${m[1] ? `\n          name: ${m[1]}` : ''}${m[3] ? `\n          protocol: ${m[3]}` : ''}`;
    })
    .join('\n');
  const labelYaml = Object.entries(labels)
    .map(([k, v]) => `        ${k}: ${v}`)
    .join('\n');
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  selector:
    matchLabels:
${labelYaml.replace(/^ {8}/gm, '      ')}
  template:
    metadata:
      labels:
${labelYaml}
    spec:
      containers:
      - name: main
        image: example
${ports.length ? `        ports:\n${portYaml}` : ''}
`;
}

export function namespace(name: string, labels: Record<string, string> = {}): string {
  const l = Object.entries(labels)
    .map(([k, v]) => `    ${k}: ${v}`)
    .join('\n');
  return `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n${l ? `  labels:\n${l}\n` : ''}`;
}
