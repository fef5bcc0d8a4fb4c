import { AddressCandidate, DEFAULT_PORTS, isNonServiceHost } from './address';
import type { Field } from './fields';

/** How a host names a Service: `cart`, `cart.shop`, `cart.shop.svc`, `cart.shop.svc.cluster.local`, `web-0.web[.shop…]`. */
export type HostForm = 'short' | 'ns' | 'svc' | 'fqdn' | 'pod';

export interface ResolvedHost {
  namespace: string;
  service: string;
  /** StatefulSet pod name for `pod.svc…` hosts. */
  pod?: string;
  form: HostForm;
}

export interface ClassifyContext {
  /** Namespace of the calling workload (short names resolve there). */
  namespace: string;
  clusterDomain: string;
  serviceExists(ns: string, name: string): boolean;
  namespaceKnown(ns: string): boolean;
}

/**
 * Names that say "this value is where to connect": REDIS_ADDR, CART_SERVICE_HOST,
 * spring.data.mongodb.uri, OTEL_EXPORTER_OTLP_ENDPOINT, --redis-addr, host.
 */
const ADDRESS_NAME =
  /(^|[_.-])(host|hosts|hostname|addr|address|addresses|url|urls|uri|uris|endpoint|endpoints|server|servers|broker|brokers|bootstrap[_.-]?servers|dsn)$/i;
/** Names that say "this is a label, not a destination", even when a Service happens to share the word. */
const NOT_ADDRESS_NAME =
  /(^|[_.-])(name|names|id|ids|user|username|password|passwd|database|db|dbname|schema|topic|queue|bucket|label|tag|version|mode|level|type|profile|env|environment|namespace|cluster|app|application|component|region|zone|key|secret|token)$/i;

export function nameSaysAddress(name: string): boolean {
  return ADDRESS_NAME.test(name);
}

/** A name like REDIS or CART_SERVICE: a bare Service name standing alone there is an address. */
function namesBareAddress(name: string): boolean {
  return name !== '' && !NOT_ADDRESS_NAME.test(name) && /^[A-Z0-9_]+$/.test(name);
}

/**
 * Whether a bare host (no port, no scheme, no `.svc`) can be a call in this field. When not,
 * only marked candidates matter (see `findAddresses`), which spares looking up every word of a
 * config file as a Service.
 */
export function fieldTakesBareHosts(field: Field): boolean {
  return !field.strong && nameTakesBareHosts(field.name);
}

/** Whether a bare host can be a call in a (not free-text) field of this name. */
export function nameTakesBareHosts(name: string): boolean {
  return nameSaysAddress(name) || namesBareAddress(name);
}

let lastDomain = { raw: '', suffix: '' };
/** `.svc.cluster.local` for `Cluster.Local.` (empty without a domain); remembers the last one (one per unit). */
function svcSuffix(raw: string): string {
  if (lastDomain.raw !== raw) {
    const domain = raw.toLowerCase().replace(/\.$/, '');
    lastDomain = { raw, suffix: domain ? `.svc.${domain}` : '' };
  }
  return lastDomain.suffix;
}

/** Which Service a host names, if it can name one at all. */
export function resolveHost(host: string, ctx: ClassifyContext): ResolvedHost | undefined {
  if (isNonServiceHost(host)) return undefined;
  // Most candidates are one label (`cart`): no split, no domain to compare.
  if (!host.includes('.')) return { service: host, namespace: ctx.namespace, form: 'short' };
  const suffix = svcSuffix(ctx.clusterDomain);
  const form: HostForm | undefined =
    suffix && host.endsWith(suffix) ? 'fqdn' : host.endsWith('.svc') ? 'svc' : undefined;
  if (form) {
    const labels = host.slice(0, -(form === 'fqdn' ? suffix : '.svc').length).split('.');
    if (labels.length === 2) return { service: labels[0], namespace: labels[1], form };
    if (labels.length === 3) return { pod: labels[0], service: labels[1], namespace: labels[2], form };
    return undefined;
  }
  // Without `.svc`, a host names a Service in at most three labels (`web-0.web.shop`); the many
  // outside names (`api.partners.example.com`) are turned away before they are split.
  if (dotsUpTo3(host) === 3) return undefined;
  const labels = host.split('.');
  if (labels.length === 2) {
    if (ctx.namespaceKnown(labels[1])) return { service: labels[0], namespace: labels[1], form: 'ns' };
    if (ctx.serviceExists(ctx.namespace, labels[1]))
      return { pod: labels[0], service: labels[1], namespace: ctx.namespace, form: 'pod' };
    return undefined;
  }
  if (ctx.namespaceKnown(labels[2]) && ctx.serviceExists(labels[2], labels[1]))
    return { pod: labels[0], service: labels[1], namespace: labels[2], form: 'pod' };
  return undefined;
}

/** The number of dots in `s`, counted up to 3. */
function dotsUpTo3(s: string): number {
  let n = 0;
  for (let i = s.indexOf('.'); i >= 0 && n < 3; i = s.indexOf('.', i + 1)) n++;
  return n;
}

export interface Reading {
  host: ResolvedHost;
  exists: boolean;
  /** Whether a missing Service is worth a diagnostic (the value unmistakably names a cluster address). */
  reportMissing: boolean;
  port?: number;
  /** The port came from the scheme's default, not from the text. */
  portImplicit: boolean;
}

/**
 * Whether a candidate inside a field is a call to a Service. The bar rises with the doubt: an
 * explicit `.svc` name always is; a name the unit defines as a Service is, when it carries a
 * port or scheme or stands alone where an address is expected; a name the unit does not define
 * is only reported when the field's name says it is an address and the value is that address.
 */
export function classify(c: AddressCandidate, field: Field, ctx: ClassifyContext): Reading | undefined {
  const host = resolveHost(c.host, ctx);
  if (!host) return undefined;
  const exists = ctx.serviceExists(host.namespace, host.service);
  const explicit = host.form === 'svc' || host.form === 'fqdn';
  const portOrScheme = c.port !== undefined || c.scheme !== undefined;
  const says = nameSaysAddress(field.name);
  let address: boolean;
  let reportMissing = false;
  if (explicit) {
    // TLS server names and the like spell a Service's DNS name without calling it.
    address = !NOT_ADDRESS_NAME.test(field.name);
    // A namespace the unit says nothing about belongs to another installation: no verdict on it.
    reportMissing = address && ctx.namespaceKnown(host.namespace);
  } else if (field.strong) {
    address = exists && portOrScheme;
  } else if (exists) {
    address = portOrScheme || says || (c.whole && namesBareAddress(field.name));
  } else {
    // `ledger.shop:9000` with shop a namespace of the unit reads as an address under any name.
    const nsWithPort = host.form === 'ns' && c.port !== undefined && c.leading;
    address = nsWithPort || (says && c.leading && (host.form === 'short' || host.form === 'ns' || host.form === 'pod'));
    reportMissing = address;
  }
  if (!address) return undefined;
  const implicit = c.port === undefined && c.scheme !== undefined ? DEFAULT_PORTS[c.scheme] : undefined;
  return {
    host,
    exists,
    reportMissing,
    port: c.port ?? implicit,
    portImplicit: c.port === undefined && implicit !== undefined,
  };
}
