import { IPv4, IPv4CidrRange, IPv6, IPv6CidrRange } from 'ip-num';

/** A parsed CIDR as plain numbers (ip-num does the parsing; arithmetic is on bigints). */
export interface Cidr {
  family: 4 | 6;
  first: bigint;
  bits: number;
  prefix: number;
  text: string;
}

export function parseCidr(text: string): Cidr | undefined {
  const t = text.trim();
  try {
    if (t.includes(':')) {
      const r = IPv6CidrRange.fromCidr(t);
      return { family: 6, first: r.getFirst().getValue(), bits: 128, prefix: Number(r.cidrPrefix.getValue()), text: t };
    }
    const r = IPv4CidrRange.fromCidr(t);
    return { family: 4, first: r.getFirst().getValue(), bits: 32, prefix: Number(r.cidrPrefix.getValue()), text: t };
  } catch {
    return undefined;
  }
}

export function parseIp(text: string): { family: 4 | 6; value: bigint } | undefined {
  const t = text.trim();
  try {
    if (t.includes(':')) return { family: 6, value: IPv6.fromString(t).getValue() };
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(t)) return undefined;
    return { family: 4, value: IPv4.fromString(t).getValue() };
  } catch {
    return undefined;
  }
}

export function cidrSize(c: Cidr): bigint {
  return 1n << BigInt(c.bits - c.prefix);
}

export function cidrContains(c: Cidr, ip: string): boolean {
  const p = parseIp(ip);
  if (!p || p.family !== c.family) return false;
  return p.value >= c.first && p.value < c.first + cidrSize(c);
}

// Canonical text (Go's net.IP.String()): dotted quad, or RFC 5952 compressed IPv6.
export { formatIp } from '../plan/cidr';
import { formatIp } from '../plan/cidr';

/** The canonical form kube-proxy uses for an endpoint address (ParseIPSloppy(...).String()). */
export function canonicalIp(text: string): string {
  const p = parseIp(text);
  return p ? formatIp(p.family, p.value) : text;
}
