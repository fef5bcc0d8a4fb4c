import type { Resource } from '../model/resource';
import type { Path } from '../parse/locate';
import type { PodTemplate, Protocol } from '../model/workload';
import type { ServiceInfo } from '../model/service';
import { AddressCandidate, findAddresses } from './address';
import { Field, fieldsOf } from './fields';
import { ClassifyContext, HostForm, classify, fieldTakesBareHosts, nameTakesBareHosts } from './classify';
import { ConfigLookup, StringSource, stringSources } from './sources';

/**
 * One address a workload calls, located at the characters that name it: `hostRange` (and
 * `portRange`, possibly in another source for HOST/PORT pairs) are decoded offsets inside the
 * source's text.
 */
export interface Call {
  from: PodTemplate;
  container: string;
  source: StringSource;
  hostRange: [number, number];
  host: string;
  namespace: string;
  service: string;
  pod?: string;
  form: HostForm;
  scheme?: string;
  port?: number;
  portImplicit: boolean;
  portSource?: StringSource;
  portRange?: [number, number];
  protocol: Protocol;
  /** Definitions of the Service in the unit (several when alternatives define it); empty: missing. */
  services: ServiceInfo[];
  reportMissing: boolean;
}

export interface DiscoverContext extends Omit<ClassifyContext, 'namespace'> {
  services(ns: string, name: string): ServiceInfo[];
  /** Services of that name in any namespace (for objects whose namespace is left to `kubectl -n`). */
  servicesNamed(name: string): ServiceInfo[];
  /** Whether the Service's pods include this template's (a workload calling itself through its own Service is not an edge). */
  selects(svc: ServiceInfo, t: PodTemplate): boolean;
  lookup: ConfigLookup;
}

/** Literal words that are never a host, even in a variable named like one (`SERVER=true`). */
const LITERALS = new Set(['true', 'false', 'yes', 'no', 'none', 'null', 'on', 'off', 'enabled', 'disabled', 'auto']);

/** Services every cluster has without a manifest: the API server and cluster DNS are not workload calls. */
const BUILTIN = new Set(['default/kubernetes', 'kube-system/kube-dns']);

const HOST_SUFFIX = /^(.*?)[_-]?(SERVICE_HOST|HOSTNAME|HOST|ADDR|ADDRESS|SERVER)$/i;

/** The calls one workload's pod template makes. */
export function callsOf(t: PodTemplate, ctx: DiscoverContext): Call[] {
  const sources = stringSources(t, ctx.lookup);
  // The env values by container and name, for HOST/PORT pairs: built when a call first needs it.
  let env: Map<string, StringSource> | undefined;
  const envOf = () => {
    if (env) return env;
    env = new Map();
    for (const s of sources) if (s.mode === 'value' && s.container !== '') env.set(`${s.container}\u0000${s.name}`, s);
    return env;
  };
  const implicit = !t.owner.namespaceExplicit;
  // Objects without metadata.namespace land wherever `kubectl apply -n` puts them: a short name
  // from or to such an object may mean a Service that the workspace files under another namespace.
  const floats = (s: ServiceInfo, short: boolean) => (short && implicit) || !s.resource.namespaceExplicit;
  const floating = (name: string, short = true) =>
    ctx
      .servicesNamed(name)
      .filter(s => floats(s, short))
      // Index order changes with edits; the reading must not.
      .sort(
        (a, b) =>
          a.resource.namespace.localeCompare(b.resource.namespace) || a.resource.id.localeCompare(b.resource.id),
      );
  const cctx: ClassifyContext = {
    ...ctx,
    namespace: t.namespace,
    // Asked for every candidate word: a test, not floating()'s sorted copy.
    serviceExists: (ns, name) =>
      ctx.serviceExists(ns, name) || (ns === t.namespace && ctx.servicesNamed(name).some(s => floats(s, true))),
  };
  const out: Call[] = [];
  const seen = new Set<string>();
  let previous: StringSource | undefined;
  for (const src of sources) {
    const prevText = previous && previous.mode === 'args' && previous.owner === src.owner ? previous.text : undefined;
    previous = src;
    for (const { field, candidates } of scanned(src, prevText, t.owner)) {
      for (const c of candidates) {
        const reading = classify(c, field, cctx);
        if (!reading) continue;
        if (!reading.exists && LITERALS.has(c.host)) continue;
        const { host } = reading;
        if (BUILTIN.has(`${host.namespace}/${host.service}`) && !ctx.serviceExists(host.namespace, host.service))
          continue;
        let services = reading.exists ? ctx.services(host.namespace, host.service) : [];
        if (!services.length) services = floating(host.service, host.form === 'short');
        if (services.length && !reading.exists) reading.reportMissing = false;
        if (services.some(s => ctx.selects(s, t))) continue;
        const call: Call = {
          from: t,
          container: src.container,
          source: src,
          hostRange: [field.offset + c.hostStart, field.offset + c.hostEnd],
          host: c.host,
          namespace: services[0]?.resource.namespace ?? host.namespace,
          service: host.service,
          form: host.form,
          port: reading.port,
          portImplicit: reading.portImplicit,
          protocol: c.scheme === 'udp' ? 'UDP' : 'TCP',
          services,
          reportMissing: reading.reportMissing,
        };
        if (host.pod) call.pod = host.pod;
        if (c.scheme) call.scheme = c.scheme;
        if (c.portStart !== undefined && c.portEnd !== undefined) {
          call.portSource = src;
          call.portRange = [field.offset + c.portStart, field.offset + c.portEnd];
        } else if (call.port === undefined && src.mode === 'value' && src.container) {
          pairPort(call, src, envOf());
        }
        const key = `${src.owner.id}\u0000${src.path.join('.')}\u0000${call.hostRange[0]}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(call);
      }
    }
  }
  return out;
}

interface Scanned {
  field: Field;
  candidates: AddressCandidate[];
}

/** The fields of a source and the candidates in each that may be calls: a pure function of the source's strings. */
function scan(src: StringSource, prevText: string | undefined): Scanned[] {
  // Templated values are filled in elsewhere: what is written is not what the program reads.
  if (/\$\(|\$\{|\{\{/.test(src.text) && src.mode === 'value') return [];
  const out: Scanned[] = [];
  for (const field of fieldsOf(src, prevText, nameTakesBareHosts)) {
    if (/\$\(|\$\{|\{\{|%\{|<%/.test(field.text)) continue;
    const candidates = findAddresses(field.text, !fieldTakesBareHosts(field));
    if (candidates.length) out.push({ field, candidates });
  }
  return out;
}

/**
 * Per ConfigMap/Secret key as read: `mode name` → scan. Keyed by the source's path, which
 * sources.ts reads once per object and key (with the text) and shares among the sources made from
 * it; an object, not the text, so that no lookup hashes a whole file's contents.
 */
const configScans = new WeakMap<Path, Map<string, Scanned[]>>();

/**
 * A ConfigMap or Secret key is scanned once per object, not once per workload loading it and per
 * way it is loaded (envFrom and a volume read the same key), and survives edits to other files.
 */
function scanned(src: StringSource, prevText: string | undefined, workload: Resource): Scanned[] {
  if (src.owner === workload || src.mode === 'args') return scan(src, prevText);
  let byUse = configScans.get(src.path);
  if (!byUse) configScans.set(src.path, (byUse = new Map()));
  const key = `${src.mode}\u0000${src.name}`;
  let out = byUse.get(key);
  if (!out) byUse.set(key, (out = scan(src, undefined)));
  return out;
}

/** REDIS_HOST + REDIS_PORT, CART_SERVICE_HOST + CART_SERVICE_PORT: the port from the sibling variable. */
function pairPort(call: Call, src: StringSource, env: Map<string, StringSource>): void {
  const m = HOST_SUFFIX.exec(src.name);
  if (!m) return;
  const prefix = m[1];
  // A bare PORT is usually the workload's own listening port, not the peer's.
  if (!prefix) return;
  const sep = src.name.includes('-') && !src.name.includes('_') ? '-' : '_';
  const names = [`${prefix}${sep}PORT`, `${prefix}${sep}SERVICE_PORT`, `${prefix}${sep}port`];
  for (const n of names) {
    const p = env.get(`${src.container}\u0000${n}`);
    if (!p) continue;
    const text = p.text.trim();
    if (!/^[0-9]{1,5}$/.test(text)) continue;
    const port = Number(text);
    if (port < 1 || port > 65535) continue;
    const at = p.text.indexOf(text);
    call.port = port;
    call.portSource = p;
    call.portRange = [at, at + text.length];
    return;
  }
}

/** Display name of a workload: `Deployment shop/cart`. */
export function workloadName(r: Resource): string {
  return `${r.kind} ${r.namespace}/${r.name}`;
}
