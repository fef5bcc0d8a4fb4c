/**
 * Ingress routing as the networking.k8s.io/v1 spec defines it: a host matches exactly or by a
 * single-label wildcard (`*.foo.com` matches `bar.foo.com`, not `foo.com` or `a.bar.foo.com`);
 * exact hosts win over wildcards, and rules without a host only see requests no host rule took.
 * Among the paths of the chosen rules the longest match wins, Exact before Prefix at equal
 * length; Prefix matches element-wise on `/`-separated segments (`/foo` matches `/foo/bar`, not
 * `/foobar`); ImplementationSpecific is treated as Prefix. Nothing matched: defaultBackend.
 */
import type { IngressBackend } from '../model/ingress';
import type { Resource } from '../model/resource';

export interface IngressCandidate {
  ingress: Resource;
  backend: IngressBackend;
}

export interface IngressMatch {
  ingress: Resource;
  backend: IngressBackend;
  how: 'exact-host' | 'wildcard-host' | 'any-host' | 'default-backend';
  /** How the path matched: "Exact /cart", "Prefix /api". */
  pathMatch?: string;
}

export function hostMatches(ruleHost: string, requestHost: string): boolean {
  const r = ruleHost.toLowerCase();
  const h = requestHost.toLowerCase();
  if (!r.startsWith('*.')) return r === h;
  const suffix = r.slice(1);
  if (!h.endsWith(suffix)) return false;
  const head = h.slice(0, -suffix.length);
  return head.length > 0 && !head.includes('.');
}

/** Length of the match (for precedence), or -1. */
export function pathMatchLength(
  pathType: string | undefined,
  rulePath: string | undefined,
  requestPath: string,
): number {
  const p = rulePath ?? '/';
  if (pathType === 'Exact') return requestPath === p ? p.length : -1;
  const ruleSegs = p.split('/').filter(s => s);
  const reqSegs = requestPath.split('/').filter(s => s);
  if (ruleSegs.length > reqSegs.length) return -1;
  for (let i = 0; i < ruleSegs.length; i++) if (ruleSegs[i] !== reqSegs[i]) return -1;
  return ruleSegs.join('/').length + 1;
}

export function matchIngress(
  candidates: IngressCandidate[],
  host: string | undefined,
  path: string,
): IngressMatch | undefined {
  const rules = candidates.filter(c => !c.backend.isDefault);
  const tiers: [IngressMatch['how'], IngressCandidate[]][] = [];
  if (host) {
    tiers.push([
      'exact-host',
      rules.filter(
        c => c.backend.host !== undefined && !c.backend.host.startsWith('*.') && hostMatches(c.backend.host, host),
      ),
    ]);
    tiers.push([
      'wildcard-host',
      rules.filter(c => c.backend.host?.startsWith('*.') && hostMatches(c.backend.host, host)),
    ]);
  }
  tiers.push(['any-host', rules.filter(c => !c.backend.host)]);
  for (const [how, tier] of tiers) {
    if (!tier.length) continue;
    let best: { c: IngressCandidate; len: number; exact: boolean } | undefined;
    for (const c of tier) {
      const type = c.backend.pathType ?? 'ImplementationSpecific';
      const len = pathMatchLength(type === 'Exact' ? 'Exact' : 'Prefix', c.backend.httpPath, path);
      if (len < 0) continue;
      const exact = type === 'Exact';
      if (!best || len > best.len || (len === best.len && exact && !best.exact)) best = { c, len, exact };
    }
    if (best) {
      const type = best.c.backend.pathType ?? 'ImplementationSpecific';
      const treated = type === 'ImplementationSpecific' ? 'ImplementationSpecific, treated as Prefix' : type;
      return {
        ingress: best.c.ingress,
        backend: best.c.backend,
        how,
        pathMatch: `${treated} ${best.c.backend.httpPath ?? '/'}`,
      };
    }
    // A host that matched a rule but no path of it goes to that Ingress's defaultBackend.
    if (how !== 'any-host') {
      const owners = new Set(tier.map(c => c.ingress));
      const def = candidates.find(c => c.backend.isDefault && owners.has(c.ingress));
      if (def) return { ingress: def.ingress, backend: def.backend, how: 'default-backend' };
      return undefined;
    }
  }
  const def = candidates.find(c => c.backend.isDefault);
  return def ? { ingress: def.ingress, backend: def.backend, how: 'default-backend' } : undefined;
}
