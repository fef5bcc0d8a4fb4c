/**
 * Entry and destination syntax shared by the CLI (`--from`/`--to`), the LSP request and the
 * quick picks:
 *   ingress:<host>/<path>          ingress:/<path> for rules without a host
 *   gateway:<ns>/<gateway>/<host><path>   gateway:<ns>/<gateway>//<path> without a Host
 *   nodeport:<port>                nodeport:<node>:<port>, nodeport:<ns>/<service>[:<port>]
 *   lb:<ip>[:<port>]               lb:<ns>/<service>[:<port>] (no address in the YAML yet)
 *   externalip:<ip>[:<port>]
 *   pod:<ns>/<workload>            pod:<workload> (default namespace)
 *   container:<ns>/<workload>/<container>
 * Destinations: `<name>[.<ns>[.svc[.<domain>]]]:<port>` or `localhost:<port>`.
 */

export type Entry =
  | { kind: 'ingress'; host: string | undefined; path: string }
  | { kind: 'gateway'; namespace: string; gateway: string; host: string | undefined; path: string }
  | {
      kind: 'nodeport';
      node: string | undefined;
      port: number | undefined;
      service?: { namespace: string | undefined; name: string };
    }
  | {
      kind: 'lb' | 'externalip';
      address: string | undefined;
      service?: { namespace: string | undefined; name: string };
      port: number | string | undefined;
    }
  | { kind: 'pod'; namespace: string | undefined; workload: string }
  | { kind: 'container'; namespace: string | undefined; workload: string; container: string };

export type EntryKind = Entry['kind'];

export const ENTRY_KINDS: { kind: EntryKind; label: string; example: string }[] = [
  { kind: 'ingress', label: 'Ingress host and path', example: 'ingress:shop.example.com/cart' },
  {
    kind: 'gateway',
    label: 'Gateway API: Gateway, host and path',
    example: 'gateway:infra/public/shop.example.com/cart',
  },
  { kind: 'nodeport', label: 'NodePort', example: 'nodeport:30080' },
  { kind: 'lb', label: 'LoadBalancer IP (or Service)', example: 'lb:203.0.113.10' },
  { kind: 'externalip', label: 'externalIP', example: 'externalip:198.51.100.7:80' },
  { kind: 'pod', label: 'Pod of a workload calling a DNS name', example: 'pod:shop/frontend' },
  { kind: 'container', label: 'Container calling localhost', example: 'container:shop/frontend/web' },
];

export type Destination = { kind: 'dns'; name: string; port: number | string } | { kind: 'localhost'; port: number };

export class EntryError extends Error {}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export function parseEntry(text: string): Entry {
  const m = /^([a-z]+):(.*)$/i.exec(text.trim());
  if (!m)
    throw new EntryError(`"${text}" is not an entry; expected one of ${ENTRY_KINDS.map(k => k.example).join(', ')}`);
  const kind = m[1].toLowerCase();
  const rest = m[2];
  switch (kind) {
    case 'ingress': {
      const slash = rest.indexOf('/');
      const host = slash === -1 ? rest : rest.slice(0, slash);
      const path = slash === -1 ? '/' : rest.slice(slash);
      return { kind: 'ingress', host: host && host !== '*' ? host.toLowerCase() : undefined, path };
    }
    case 'gateway': {
      // <ns>/<gateway>/<host><path>: the first two slashes separate, the host runs to the next.
      const m2 = /^([a-z0-9.-]+)\/([a-z0-9.-]+)(?:\/([^/]*)(\/.*)?)?$/i.exec(rest);
      if (!m2) throw new EntryError(`"${text}": expected gateway:<ns>/<gateway>/<host>/<path>`);
      const host = m2[3];
      return {
        kind: 'gateway',
        namespace: m2[1],
        gateway: m2[2],
        host: host && host !== '*' ? host.toLowerCase() : undefined,
        path: m2[4] ?? '/',
      };
    }
    case 'nodeport': {
      if (/^\d+$/.test(rest)) return { kind: 'nodeport', node: undefined, port: port(rest, text) };
      const svc = /^(?:([a-z0-9.-]+)\/)?([a-z0-9.-]+)(?::(\d+))?$/.exec(rest);
      const nodeAndPort = /^([^:/]+):(\d+)$/.exec(rest);
      if (nodeAndPort && !rest.includes('/'))
        return { kind: 'nodeport', node: nodeAndPort[1], port: port(nodeAndPort[2], text) };
      if (svc && rest.includes('/'))
        return {
          kind: 'nodeport',
          node: undefined,
          port: svc[3] ? port(svc[3], text) : undefined,
          service: { namespace: svc[1], name: svc[2] },
        };
      throw new EntryError(
        `"${text}": expected nodeport:<port>, nodeport:<node>:<port> or nodeport:<ns>/<service>[:<port>]`,
      );
    }
    case 'lb':
    case 'loadbalancer':
    case 'externalip': {
      const k = kind === 'externalip' ? 'externalip' : 'lb';
      const ip = /^(\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:]+\])(?::(\d+))?$/i.exec(rest);
      if (ip) return { kind: k, address: ip[1].replace(/^\[|\]$/g, ''), port: ip[2] ? port(ip[2], text) : undefined };
      const svc = /^(?:([a-z0-9.-]+)\/)?([a-z0-9.-]+)(?::([a-z0-9-]+))?$/.exec(rest);
      if (svc && !IPV4.test(svc[2])) {
        const p = svc[3] === undefined ? undefined : /^\d+$/.test(svc[3]) ? port(svc[3], text) : svc[3];
        return { kind: k, address: undefined, service: { namespace: svc[1], name: svc[2] }, port: p };
      }
      throw new EntryError(`"${text}": expected ${k}:<ip>[:<port>] or ${k}:<ns>/<service>[:<port>]`);
    }
    case 'pod': {
      const parts = rest.split('/');
      if (parts.length === 1 && parts[0]) return { kind: 'pod', namespace: undefined, workload: parts[0] };
      if (parts.length === 2 && parts[0] && parts[1]) return { kind: 'pod', namespace: parts[0], workload: parts[1] };
      throw new EntryError(`"${text}": expected pod:<ns>/<workload>`);
    }
    case 'container': {
      const parts = rest.split('/');
      if (parts.length === 2 && parts[0] && parts[1])
        return { kind: 'container', namespace: undefined, workload: parts[0], container: parts[1] };
      // Only the first two slashes separate; the rest is the container name as written.
      if (parts.length >= 3 && parts.every(p => p !== undefined) && parts[0] && parts[1] && parts.slice(2).join('/'))
        return { kind: 'container', namespace: parts[0], workload: parts[1], container: parts.slice(2).join('/') };
      throw new EntryError(`"${text}": expected container:<ns>/<workload>/<container>`);
    }
    default:
      throw new EntryError(`unknown entry kind "${kind}"; expected ${ENTRY_KINDS.map(k => k.kind).join(', ')}`);
  }
}

export function parseDestination(text: string): Destination {
  const t = text.trim();
  const m = /^(.+):([a-z0-9-]+)$/i.exec(t);
  if (!m) throw new EntryError(`"${text}": expected <name>[.<ns>]:<port> or localhost:<port>`);
  const host = m[1].toLowerCase();
  const p = /^\d+$/.test(m[2]) ? port(m[2], text) : m[2];
  if (host === 'localhost' || host === '127.0.0.1' || host === '[::1]') {
    if (typeof p !== 'number') throw new EntryError(`"${text}": localhost needs a port number`);
    return { kind: 'localhost', port: p };
  }
  if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9.])?$/.test(host)) throw new EntryError(`"${text}": "${host}" is not a DNS name`);
  return { kind: 'dns', name: host, port: p };
}

function port(s: string, text: string): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new EntryError(`"${text}": port ${s} is not in 1-65535`);
  return n;
}

/** The canonical text of an entry (what the quick pick shows and the CLI accepts). */
export function formatEntry(e: Entry): string {
  switch (e.kind) {
    case 'ingress':
      return `ingress:${e.host ?? ''}${e.path}`;
    case 'gateway':
      return `gateway:${e.namespace}/${e.gateway}/${e.host ?? ''}${e.path}`;
    case 'nodeport':
      if (e.service)
        return `nodeport:${e.service.namespace ? `${e.service.namespace}/` : ''}${e.service.name}${e.port ? `:${e.port}` : ''}`;
      return `nodeport:${e.node ? `${e.node}:` : ''}${e.port}`;
    case 'lb':
    case 'externalip': {
      const target = e.address ?? `${e.service?.namespace ? `${e.service.namespace}/` : ''}${e.service?.name ?? ''}`;
      return `${e.kind}:${e.address?.includes(':') ? `[${target}]` : target}${e.port !== undefined ? `:${e.port}` : ''}`;
    }
    case 'pod':
      return `pod:${e.namespace ? `${e.namespace}/` : ''}${e.workload}`;
    case 'container':
      return `container:${e.namespace ? `${e.namespace}/` : ''}${e.workload}/${e.container}`;
  }
}
