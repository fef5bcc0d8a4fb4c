/**
 * Sets of connections: for each protocol NetworkPolicy knows (SCTP, TCP, UDP), a set of ports
 * 1-65535 kept as sorted, disjoint, non-adjacent closed intervals. Values are immutable; every
 * operation returns a new set (or one of its inputs when nothing changes), so sets can be shared
 * between cached answers.
 */

export type Protocol = 'SCTP' | 'TCP' | 'UDP';
/** Alphabetical, the order netpol-analyzer prints them in. */
export const PROTOCOLS: readonly Protocol[] = ['SCTP', 'TCP', 'UDP'];
export const MIN_PORT = 1;
export const MAX_PORT = 65535;

/** Flat `[start1, end1, start2, end2, ...]`, sorted, disjoint and never adjacent. */
type Ranges = readonly number[];

const NONE: Ranges = [];
const FULL: Ranges = [MIN_PORT, MAX_PORT];

function unionRanges(a: Ranges, b: Ranges): Ranges {
  if (!a.length) return b;
  if (!b.length) return a;
  const pairs: [number, number][] = [];
  for (let i = 0; i < a.length; i += 2) pairs.push([a[i], a[i + 1]]);
  for (let i = 0; i < b.length; i += 2) pairs.push([b[i], b[i + 1]]);
  pairs.sort((x, y) => x[0] - y[0]);
  const out: number[] = [];
  for (const [s, e] of pairs) {
    const n = out.length;
    if (n && s <= out[n - 1] + 1) out[n - 1] = Math.max(out[n - 1], e);
    else out.push(s, e);
  }
  return out;
}

function intersectRanges(a: Ranges, b: Ranges): Ranges {
  if (!a.length || !b.length) return NONE;
  if (isFull(a)) return b;
  if (isFull(b)) return a;
  const out: number[] = [];
  let i = 0,
    j = 0;
  while (i < a.length && j < b.length) {
    const s = Math.max(a[i], b[j]);
    const e = Math.min(a[i + 1], b[j + 1]);
    if (s <= e) out.push(s, e);
    if (a[i + 1] < b[j + 1]) i += 2;
    else j += 2;
  }
  return out;
}

function subtractRanges(a: Ranges, b: Ranges): Ranges {
  if (!a.length || !b.length) return a;
  const out: number[] = [];
  for (let i = 0; i < a.length; i += 2) {
    let s = a[i];
    const e = a[i + 1];
    for (let j = 0; j < b.length && s <= e; j += 2) {
      if (b[j + 1] < s) continue;
      if (b[j] > e) break;
      if (b[j] > s) out.push(s, b[j] - 1);
      s = b[j + 1] + 1;
    }
    if (s <= e) out.push(s, e);
  }
  return out;
}

function isFull(r: Ranges): boolean {
  return r.length === 2 && r[0] === MIN_PORT && r[1] === MAX_PORT;
}

function sameRanges(a: Ranges, b: Ranges): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Allowed (or decided) connections: a port set per protocol. */
export class Connections {
  private constructor(
    private readonly sctp: Ranges,
    private readonly tcp: Ranges,
    private readonly udp: Ranges,
  ) {}

  static readonly NONE = new Connections(NONE, NONE, NONE);
  static readonly ALL = new Connections(FULL, FULL, FULL);

  /** One protocol, ports `start`-`end` (the whole protocol when omitted). */
  static of(protocol: Protocol, start = MIN_PORT, end = start === MIN_PORT ? MAX_PORT : start): Connections {
    const s = Math.max(MIN_PORT, start);
    const e = Math.min(MAX_PORT, end);
    if (s > e) return Connections.NONE;
    const r = [s, e];
    return new Connections(
      protocol === 'SCTP' ? r : NONE,
      protocol === 'TCP' ? r : NONE,
      protocol === 'UDP' ? r : NONE,
    );
  }

  private static make(sctp: Ranges, tcp: Ranges, udp: Ranges): Connections {
    if (!sctp.length && !tcp.length && !udp.length) return Connections.NONE;
    if (isFull(sctp) && isFull(tcp) && isFull(udp)) return Connections.ALL;
    return new Connections(sctp, tcp, udp);
  }

  private get(p: Protocol): Ranges {
    return p === 'SCTP' ? this.sctp : p === 'TCP' ? this.tcp : this.udp;
  }

  isEmpty(): boolean {
    return this === Connections.NONE || (!this.sctp.length && !this.tcp.length && !this.udp.length);
  }
  isAll(): boolean {
    return this === Connections.ALL || (isFull(this.sctp) && isFull(this.tcp) && isFull(this.udp));
  }
  has(protocol: Protocol, port: number): boolean {
    const r = this.get(protocol);
    for (let i = 0; i < r.length; i += 2) if (port >= r[i] && port <= r[i + 1]) return true;
    return false;
  }
  /** The port intervals of one protocol, `[start, end]` each. */
  ranges(protocol: Protocol): [number, number][] {
    const r = this.get(protocol);
    const out: [number, number][] = [];
    for (let i = 0; i < r.length; i += 2) out.push([r[i], r[i + 1]]);
    return out;
  }
  protocols(): Protocol[] {
    return PROTOCOLS.filter(p => this.get(p).length > 0);
  }

  union(o: Connections): Connections {
    if (o.isEmpty() || this.isAll()) return this;
    if (this.isEmpty() || o.isAll()) return o;
    return Connections.make(unionRanges(this.sctp, o.sctp), unionRanges(this.tcp, o.tcp), unionRanges(this.udp, o.udp));
  }
  intersect(o: Connections): Connections {
    if (this.isEmpty() || o.isAll()) return this;
    if (o.isEmpty() || this.isAll()) return o;
    return Connections.make(
      intersectRanges(this.sctp, o.sctp),
      intersectRanges(this.tcp, o.tcp),
      intersectRanges(this.udp, o.udp),
    );
  }
  subtract(o: Connections): Connections {
    if (this.isEmpty() || o.isEmpty()) return this;
    if (o.isAll()) return Connections.NONE;
    return Connections.make(
      subtractRanges(this.sctp, o.sctp),
      subtractRanges(this.tcp, o.tcp),
      subtractRanges(this.udp, o.udp),
    );
  }
  equals(o: Connections): boolean {
    return sameRanges(this.sctp, o.sctp) && sameRanges(this.tcp, o.tcp) && sameRanges(this.udp, o.udp);
  }

  /**
   * netpol-analyzer's notation: `All Connections`, `No Connections`, or protocols in
   * alphabetical order with their ports, e.g. `SCTP 9003,TCP 80,8080-8090,UDP 53`.
   */
  toString(): string {
    if (this.isAll()) return 'All Connections';
    if (this.isEmpty()) return 'No Connections';
    const parts: string[] = [];
    for (const p of PROTOCOLS) {
      const r = this.get(p);
      if (!r.length) continue;
      const items: string[] = [];
      for (let i = 0; i < r.length; i += 2) items.push(r[i] === r[i + 1] ? String(r[i]) : `${r[i]}-${r[i + 1]}`);
      parts.push(`${p} ${items.join(',')}`);
    }
    return parts.join(',');
  }

  /** Plain data for JSON output. */
  toJSON(): { all: boolean } & Partial<Record<Protocol, [number, number][]>> {
    const out: { all: boolean } & Partial<Record<Protocol, [number, number][]>> = { all: this.isAll() };
    for (const p of this.protocols()) out[p] = this.ranges(p);
    return out;
  }

  /** Parses `80`, `80/TCP`, `53/udp`, `8080-8090/TCP` (TCP when no protocol is given). */
  static parsePort(text: string): { protocol: Protocol; start: number; end: number } | undefined {
    const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(text.trim());
    if (!m) return undefined;
    const start = Number(m[1]);
    const end = m[2] ? Number(m[2]) : start;
    if (start < MIN_PORT || end > MAX_PORT || start > end) return undefined;
    return { protocol: (m[3]?.toUpperCase() ?? 'TCP') as Protocol, start, end };
  }
}

export function asProtocolName(v: unknown): Protocol | undefined {
  if (v === undefined || v === null) return 'TCP';
  if (v === 'TCP' || v === 'UDP' || v === 'SCTP') return v;
  return undefined;
}
