/**
 * Which entries the workspace offers (for quick picks and code lenses), and which entry the
 * cursor is on (an Ingress rule, a Service port, a workload or one of its containers).
 */
import type { Workspace } from '../workspace';
import type { Resource } from '../model/resource';
import type { ServiceInfo } from '../model/service';
import type { IngressBackend } from '../model/ingress';
import type { RouteInfo } from '../model/gateway';
import { isGatewayParent } from '../model/gateway';
import type { PodTemplate } from '../model/workload';
import type { Path } from '../parse/locate';
import type { EntryKind } from './entry';
import type { SourceLink } from './model';

export interface EntrySuggestion {
  value: string;
  kind: EntryKind | 'destination';
  label: string;
  description: string;
  source?: SourceLink;
}
export interface EntrySuggestions {
  entries: EntrySuggestion[];
  destinations: EntrySuggestion[];
}

function link(ws: Workspace, r: Resource, path: Path): SourceLink {
  return { fileId: r.fileId, range: ws.rangeIn(r.fileId, { doc: r.doc, path }) };
}

export function ingressEntry(b: IngressBackend): string {
  return `ingress:${b.host ?? ''}${b.httpPath && b.httpPath.startsWith('/') ? b.httpPath : '/'}`;
}

/** Entries for the rules of an HTTPRoute: one per parent Gateway, hostname and path match. */
export function gatewayEntries(route: RouteInfo): { value: string; rule: number; path: Path }[] {
  const out: { value: string; rule: number; path: Path }[] = [];
  const hosts = route.hostnames.length ? route.hostnames.map(h => (h.startsWith('*.') ? `www${h.slice(1)}` : h)) : [''];
  for (const p of route.parentRefs) {
    if (!isGatewayParent(p)) continue;
    for (const rule of route.rules) {
      const paths = rule.matches.length
        ? rule.matches.map(m => ({ value: m.pathType === 'RegularExpression' ? undefined : m.pathValue, path: m.path }))
        : [{ value: '/', path: rule.path }];
      for (const host of hosts)
        for (const m of paths)
          if (m.value !== undefined && m.value.startsWith('/'))
            out.push({ value: `gateway:${p.namespace}/${p.name}/${host}${m.value}`, rule: rule.index, path: m.path });
    }
  }
  return out;
}

export function serviceEntry(svc: ServiceInfo, portIndex = 0): { from?: string; to?: string } {
  const r = svc.resource;
  const sp = svc.ports[portIndex] ?? svc.ports[0];
  if (svc.type === 'LoadBalancer')
    return {
      from: svc.loadBalancerIPs[0]
        ? `lb:${svc.loadBalancerIPs[0]}${sp?.port ? `:${sp.port}` : ''}`
        : `lb:${r.namespace}/${r.name}${sp?.port ? `:${sp.port}` : ''}`,
    };
  if (svc.type === 'NodePort')
    return {
      from: sp?.nodePort
        ? `nodeport:${sp.nodePort}`
        : `nodeport:${r.namespace}/${r.name}${sp?.port ? `:${sp.port}` : ''}`,
    };
  if (svc.externalIPs.length) return { from: `externalip:${svc.externalIPs[0]}${sp?.port ? `:${sp.port}` : ''}` };
  return { to: `${r.name}.${r.namespace}:${sp?.port ?? sp?.name ?? 80}` };
}

function uniqueServices(ws: Workspace): ServiceInfo[] {
  const seen = new Set<string>();
  const out: ServiceInfo[] = [];
  for (const f of [...ws.cluster.allFacts()].sort((a, b) => (a.resource.id < b.resource.id ? -1 : 1))) {
    if (!f.service) continue;
    const k = `${f.resource.namespace}/${f.resource.name}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(f.service);
  }
  return out;
}

function uniqueTemplates(ws: Workspace): PodTemplate[] {
  const seen = new Set<string>();
  const out: PodTemplate[] = [];
  for (const f of [...ws.cluster.allFacts()].sort((a, b) => (a.resource.id < b.resource.id ? -1 : 1))) {
    if (!f.template) continue;
    const k = `${f.resource.kind}/${f.resource.namespace}/${f.resource.name}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(f.template);
  }
  return out;
}

export function listEntries(ws: Workspace): EntrySuggestions {
  const entries: EntrySuggestion[] = [];
  const destinations: EntrySuggestion[] = [];
  const seen = new Set<string>();
  const add = (list: EntrySuggestion[], s: EntrySuggestion) => {
    const k = `${s.kind}|${s.value}`;
    if (seen.has(k)) return;
    seen.add(k);
    list.push(s);
  };
  for (const f of ws.cluster.allFacts()) {
    for (const b of f.backends) {
      if (b.isDefault) continue;
      add(entries, {
        value: ingressEntry(b),
        kind: 'ingress',
        label: `${b.host ?? '(any host)'}${b.httpPath ?? '/'}`,
        description: `Ingress ${f.resource.namespace}/${f.resource.name} → ${b.serviceName}:${b.port ?? '?'}`,
        source: link(ws, f.resource, b.path),
      });
    }
  }
  for (const f of ws.cluster.allFacts()) {
    if (f.route?.kind !== 'HTTPRoute') continue;
    for (const g of gatewayEntries(f.route)) {
      const rule = f.route.rules[g.rule];
      add(entries, {
        value: g.value,
        kind: 'gateway',
        label: g.value.slice('gateway:'.length),
        description: `HTTPRoute ${f.resource.namespace}/${f.resource.name} → ${rule.backendRefs.map(b => `${b.name}:${b.port ?? '?'}`).join(', ') || 'no backends'}`,
        source: link(ws, f.resource, g.path),
      });
    }
  }
  for (const svc of uniqueServices(ws)) {
    const r = svc.resource;
    svc.ports.forEach((p, i) => {
      if (svc.type === 'NodePort' || svc.type === 'LoadBalancer') {
        const value = p.nodePort ? `nodeport:${p.nodePort}` : `nodeport:${r.namespace}/${r.name}:${p.port}`;
        add(entries, {
          value,
          kind: 'nodeport',
          label: value.slice(9),
          description: `Service ${r.namespace}/${r.name} port ${p.port}`,
          source: link(ws, r, p.path),
        });
      }
      if (svc.type === 'LoadBalancer') {
        const e = serviceEntry(svc, i).from!;
        add(entries, {
          value: e,
          kind: 'lb',
          label: e.slice(3),
          description: `LoadBalancer Service ${r.namespace}/${r.name}`,
          source: link(ws, r, p.path),
        });
      }
      for (const ip of svc.externalIPs)
        add(entries, {
          value: `externalip:${ip}:${p.port}`,
          kind: 'externalip',
          label: `${ip}:${p.port}`,
          description: `Service ${r.namespace}/${r.name}`,
          source: link(ws, r, p.path),
        });
      if (svc.type !== 'ExternalName' && p.port)
        add(destinations, {
          value: `${r.name}.${r.namespace}:${p.port}`,
          kind: 'destination',
          label: `${r.name}.${r.namespace}:${p.port}`,
          description: `Service ${r.namespace}/${r.name}${p.name ? ` port ${p.name}` : ''}`,
          source: link(ws, r, p.path),
        });
    });
  }
  for (const t of uniqueTemplates(ws)) {
    const r = t.owner;
    add(entries, {
      value: `pod:${r.namespace}/${r.name}`,
      kind: 'pod',
      label: `${r.namespace}/${r.name}`,
      description: `${r.kind}, ${t.replicas} replica(s)`,
      source: link(ws, r, [...r.base, 'metadata', 'name']),
    });
    for (const c of t.containers) {
      if (c.role === 'init') continue;
      add(entries, {
        value: `container:${r.namespace}/${r.name}/${c.name}`,
        kind: 'container',
        label: `${r.namespace}/${r.name}/${c.name}`,
        description: `container of ${r.kind} ${r.name}`,
        source: link(ws, r, c.path),
      });
      for (const p of c.ports)
        if (p.containerPort)
          add(destinations, {
            value: `localhost:${p.containerPort}`,
            kind: 'destination',
            label: `localhost:${p.containerPort}`,
            description: `${c.name} in ${r.namespace}/${r.name}`,
            source: link(ws, r, p.path),
          });
    }
  }
  return { entries, destinations };
}

function contains(ws: Workspace, r: Resource, path: Path, offset: number): boolean {
  const f = ws.file(r.fileId);
  if (!f) return false;
  const [s, e] = f.locator.offsetsOf({ doc: r.doc, path });
  return offset >= s && offset <= e;
}

/** The entry (and destination) suggested by the cursor position, if it is on something traceable. */
export function entryAt(ws: Workspace, fileId: string, offset: number): { from?: string; to?: string } | undefined {
  const file = ws.file(fileId);
  if (!file) return undefined;
  const r = file.resources.find(x => contains(ws, x, x.base, offset));
  if (!r) return undefined;
  const facts = ws.cluster.facts.get(r.id);
  if (!facts) return undefined;
  if (facts.route?.kind === 'HTTPRoute') {
    const all = gatewayEntries(facts.route);
    const hit =
      all.find(g => contains(ws, r, g.path, offset)) ??
      all.find(g => contains(ws, r, facts.route!.rules[g.rule].path, offset)) ??
      all[0];
    return hit ? { from: hit.value } : undefined;
  }
  if (facts.backends.length) {
    const rules = facts.backends.filter(b => !b.isDefault);
    const hit =
      rules.find(b => contains(ws, r, b.path.slice(0, -1), offset)) ??
      rules.find(b => contains(ws, r, b.path.slice(0, -4), offset)) ??
      rules[0];
    return hit ? { from: ingressEntry(hit) } : undefined;
  }
  if (facts.service) {
    const svc = facts.service;
    const idx = svc.ports.findIndex(p => contains(ws, r, p.path, offset));
    const e = serviceEntry(svc, Math.max(0, idx));
    if (e.to && !e.from) {
      // A caller for a ClusterIP Service: some other workload of the same namespace.
      const selected = (t: PodTemplate) =>
        !!svc.selector && Object.entries(svc.selector).every(([k, v]) => t.labels[k] === v);
      const caller = [...ws.cluster.templatesInNamespace(r.namespace)]
        .sort((a, b) => (a.owner.id < b.owner.id ? -1 : 1))
        .find(t => !selected(t));
      if (caller) e.from = `pod:${caller.owner.namespace}/${caller.owner.name}`;
    }
    return e;
  }
  if (facts.template) {
    const t = facts.template;
    const c = t.containers.find(x => contains(ws, r, x.path, offset));
    if (c) {
      const port = c.ports.find(p => contains(ws, r, p.path, offset)) ?? c.ports[0];
      return {
        from: `container:${r.namespace}/${r.name}/${c.name}`,
        to: port?.containerPort ? `localhost:${port.containerPort}` : undefined,
      };
    }
    return { from: `pod:${r.namespace}/${r.name}` };
  }
  return undefined;
}
