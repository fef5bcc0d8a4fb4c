/**
 * IPv4 address ranges outside the cluster. A policy's `ipBlock` (cidr minus except) or an admin
 * policy's `networks` entry is a list of closed intervals of 32-bit addresses; the connectivity
 * model splits the whole IPv4 space at every boundary the policies draw, so each resulting range
 * is either wholly inside or wholly outside every block (netpol-analyzer's "disjoint IP blocks").
 * IPv6 blocks are kept aside: the oracle's universe is 0.0.0.0/0 and so is ours (see index.ts).
 */

export const ADDRESS_MAX = 0xffffffff;

/** A closed interval of IPv4 addresses as unsigned 32-bit numbers. */
export interface AddressRange {
  first: number;
  last: number;
}

/** Parses `a.b.c.d/n` (or a bare address as /32); undefined for anything else, IPv6 included. */
export function parseCidr4(text: string): AddressRange | undefined {
  const m = /^\s*(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?\s*$/.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  if (octets.some(o => o > 255)) return undefined;
  const bits = m[5] === undefined ? 32 : Number(m[5]);
  if (bits > 32) return undefined;
  const addr = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
  const size = 2 ** (32 - bits);
  // Kubernetes accepts host bits in a CIDR and means the network it names.
  const first = Math.floor(addr / size) * size;
  return { first, last: first + size - 1 };
}

export function isIPv6Cidr(text: string): boolean {
  return text.includes(':');
}

export function formatAddress(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

export function formatRange(r: AddressRange): string {
  return `${formatAddress(r.first)}-${formatAddress(r.last)}`;
}

/** `cidr` minus every `except` entry, as sorted disjoint intervals. */
export function blockRanges(cidr: AddressRange, except: readonly AddressRange[]): AddressRange[] {
  let out: AddressRange[] = [cidr];
  for (const x of except) {
    const next: AddressRange[] = [];
    for (const r of out) {
      if (x.last < r.first || x.first > r.last) {
        next.push(r);
        continue;
      }
      if (x.first > r.first) next.push({ first: r.first, last: x.first - 1 });
      if (x.last < r.last) next.push({ first: x.last + 1, last: r.last });
    }
    out = next;
  }
  return out;
}

/**
 * Splits 0.0.0.0-255.255.255.255 at every boundary of the given ranges: the maximal intervals in
 * which membership in each given range is constant.
 */
export function splitUniverse(ranges: readonly AddressRange[]): AddressRange[] {
  const cuts = new Set<number>([0]);
  for (const r of ranges) {
    cuts.add(r.first);
    if (r.last < ADDRESS_MAX) cuts.add(r.last + 1);
  }
  const starts = [...cuts].sort((a, b) => a - b);
  return starts.map((s, i) => ({ first: s, last: i + 1 < starts.length ? starts[i + 1] - 1 : ADDRESS_MAX }));
}

export function rangeWithin(r: AddressRange, blocks: readonly AddressRange[]): boolean {
  return blocks.some(b => b.first <= r.first && r.last <= b.last);
}

export function addressIn(ip: number, blocks: readonly AddressRange[]): boolean {
  return blocks.some(b => b.first <= ip && ip <= b.last);
}
