/**
 * What a pod's resolver does with a name, given the resolv.conf kubelet writes:
 *   search <ns>.svc.<domain> svc.<domain> <domain>
 *   options ndots:5
 * A name with fewer than 5 dots is tried with each search suffix first, then as given; a name
 * with 5 or more dots (or a trailing dot) is tried as given first. Cluster DNS answers
 * `<svc>.<ns>.svc.<domain>` for every Service of the workspace.
 */
import type { Cluster } from '../cluster/cluster';
import type { ServiceInfo } from '../model/service';

export interface DnsQuery {
  name: string;
  answer: 'NXDOMAIN' | 'hit' | 'not-tried';
}

export interface DnsResult {
  queries: DnsQuery[];
  service?: ServiceInfo;
  fqdn?: string;
  searchPath: string[];
  /** The part of the name that looked like a Service, for "did you mean" hints. */
  wantedService?: { name: string; namespace: string };
}

export function searchPath(ns: string, domain: string): string[] {
  return [`${ns}.svc.${domain}`, `svc.${domain}`, domain];
}

export function resolveServiceName(cluster: Cluster, name: string, clientNs: string, domain: string): DnsResult {
  const search = searchPath(clientNs, domain);
  const absolute = name.endsWith('.');
  const bare = absolute ? name.slice(0, -1) : name;
  const dots = (bare.match(/\./g) ?? []).length;
  const candidates: string[] = [];
  if (absolute) candidates.push(bare);
  else if (dots < 5) candidates.push(...search.map(s => `${bare}.${s}`), bare);
  else candidates.push(bare, ...search.map(s => `${bare}.${s}`));

  const queries: DnsQuery[] = [];
  let result: DnsResult = { queries, searchPath: search };
  for (const q of candidates) {
    if (result.service) {
      queries.push({ name: q, answer: 'not-tried' });
      continue;
    }
    const svc = lookup(cluster, q, domain);
    queries.push({ name: q, answer: svc ? 'hit' : 'NXDOMAIN' });
    if (svc) result = { ...result, service: svc, fqdn: q };
  }
  if (!result.service) {
    // Guess the Service the caller meant from the first form that looked like one.
    const parts = bare.split('.');
    result.wantedService = { name: parts[0], namespace: parts.length > 1 && parts[1] !== 'svc' ? parts[1] : clientNs };
  }
  return result;
}

function lookup(cluster: Cluster, fqdn: string, domain: string): ServiceInfo | undefined {
  const suffix = `.svc.${domain}`;
  if (!fqdn.endsWith(suffix)) return undefined;
  const head = fqdn.slice(0, -suffix.length).split('.');
  if (head.length !== 2) return undefined;
  const [name, ns] = head;
  const found = [...cluster.services(ns, name)].sort((a, b) => (a.resource.fileId < b.resource.fileId ? -1 : 1));
  return found[0];
}
