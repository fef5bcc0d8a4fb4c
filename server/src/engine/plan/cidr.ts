import { IPv4, IPv6, IPv4CidrRange, IPv6CidrRange, Validator } from 'ip-num';

export type Family = 4 | 6;

/** A parsed network: the numbers every check needs, computed once with ip-num. */
export interface Cidr {
  /** As written (trimmed). */
  text: string;
  family: Family;
  prefix: number;
  /** The written address (may have host bits set). */
  address: bigint;
  first: bigint;
  last: bigint;
  /** Canonical network notation, e.g. `10.244.0.0/16`, `fd00:10:244::/56`. */
  network: string;
  hostBitsSet: boolean;
}

export interface Ip {
  text: string;
  family: Family;
  value: bigint;
}

const V4_CIDR = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,3})$/;
const V6_CIDR = /^([0-9a-fA-F:.]+)\/(\d{1,3})$/;

export function bitsOf(f: Family): number {
  return f === 4 ? 32 : 128;
}

/** Parses `a.b.c.d/n` or `v6/n`; undefined when it is not a CIDR at all. */
export function parseCidr(raw: string): Cidr | undefined {
  const text = raw.trim();
  let m = V4_CIDR.exec(text);
  if (m) {
    if (!Validator.isValidIPv4String(m[1])[0]) return undefined;
    const prefix = Number(m[2]);
    if (prefix > 32) return undefined;
    const address = IPv4.fromString(m[1]).getValue();
    const range = IPv4CidrRange.fromCidr(`${m[1]}/${prefix}`);
    return build(text, 4, prefix, address, range.getFirst().getValue(), range.getLast().getValue());
  }
  m = V6_CIDR.exec(text);
  if (m && m[1].includes(':')) {
    if (!Validator.isValidIPv6String(m[1])[0]) return undefined;
    const prefix = Number(m[2]);
    if (prefix > 128) return undefined;
    let address: bigint;
    try {
      address = IPv6.fromString(m[1]).getValue();
    } catch {
      return undefined;
    }
    const range = IPv6CidrRange.fromCidr(`${formatIp(6, address)}/${prefix}`);
    return build(text, 6, prefix, address, range.getFirst().getValue(), range.getLast().getValue());
  }
  return undefined;
}

function build(text: string, family: Family, prefix: number, address: bigint, first: bigint, last: bigint): Cidr {
  return {
    text,
    family,
    prefix,
    address,
    first,
    last,
    network: `${formatIp(family, first)}/${prefix}`,
    hostBitsSet: address !== first,
  };
}

/** Parses a bare IPv4/IPv6 address. */
export function parseIp(raw: string): Ip | undefined {
  const text = raw.trim();
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) {
    if (!Validator.isValidIPv4String(text)[0]) return undefined;
    return { text, family: 4, value: IPv4.fromString(text).getValue() };
  }
  if (text.includes(':') && /^[0-9a-fA-F:.]+$/.test(text) && Validator.isValidIPv6String(text)[0]) {
    try {
      return { text, family: 6, value: IPv6.fromString(text).getValue() };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Renders an address; IPv6 in the RFC 5952 compressed form people write. */
export function formatIp(family: Family, v: bigint): string {
  if (family === 4) return IPv4.fromNumber(v).toString();
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((v >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1,
    bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map(g => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

export function sizeOf(c: { first: bigint; last: bigint }): bigint {
  return c.last - c.first + 1n;
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.family === b.family && a.first <= b.last && b.first <= a.last;
}

/** a contains b (or equals it). */
export function containsCidr(a: Cidr, b: Cidr): boolean {
  return a.family === b.family && a.first <= b.first && b.last <= a.last;
}

export function containsIp(a: Cidr, ip: Ip): boolean {
  return a.family === ip.family && a.first <= ip.value && ip.value <= a.last;
}

export function sameNetwork(a: Cidr, b: Cidr): boolean {
  return a.family === b.family && a.first === b.first && a.last === b.last;
}

/** Number of node blocks of prefix `mask` a network holds (0 when the mask is shorter than the network). */
export function blocksOf(c: Cidr, mask: number): bigint {
  if (mask < c.prefix || mask > bitsOf(c.family)) return 0n;
  return 1n << BigInt(mask - c.prefix);
}

/** Human size: exact for anything IPv4-sized, powers of two above. */
export function formatCount(n: bigint): string {
  if (n <= 1n << 32n) return n.toLocaleString('en-US');
  let bits = 0;
  while (1n << BigInt(bits) < n) bits++;
  return 1n << BigInt(bits) === n ? `2^${bits}` : n.toString();
}

/** Cluster address lists are often comma separated (dual-stack); Cilium joins with spaces. */
export function splitList(raw: string): { text: string; offset: number }[] {
  const out: { text: string; offset: number }[] = [];
  const re = /[^,\s]+/g;
  for (const m of raw.matchAll(re)) out.push({ text: m[0], offset: m.index ?? 0 });
  return out;
}

/** Accepts what looks like an address attempt (digits, dots, colons, slash); used to tell typos from other values. */
export function looksLikeAddress(s: string): boolean {
  return /^[0-9a-fA-F:.]+(\/\d+)?$/.test(s.trim()) && /[.:]/.test(s);
}
