/**
 * What changed between two connectivity models (two trees, e.g. the base and the head of a pull
 * request): connections added, removed, or allowed with different ports. Address ranges outside
 * the cluster are compared on the finer split of the two (each side's ranges are cut where the
 * other's policies draw boundaries), then adjacent ranges with the same change are merged back.
 */
import { AddressRange, formatRange } from './addresses';
import type { Connection } from './model';
import { Connections } from './ports';

export type ChangeKind = 'added' | 'removed' | 'changed';

export interface ConnectivityChange {
  kind: ChangeKind;
  src: string;
  dst: string;
  /** `pod-network` or the (C)UDN / NAD the connection is analysed in. */
  network: string;
  before: Connections;
  after: Connections;
}

interface Row {
  network: string;
  src: string;
  dst: string;
  /** The external side's range, when one side is outside the cluster. */
  ext?: { side: 'src' | 'dst'; range: AddressRange; other: string };
  conns: Connections;
}

function rowsOf(conns: readonly Connection[]): Row[] {
  return conns.map(c => {
    const network = c.network.key === 'pod-network' ? 'pod-network' : `${c.network.resource} ${c.network.name}`;
    const base = { network, src: c.srcName, dst: c.dstName, conns: c.connections };
    if (c.src.kind === 'external') return { ...base, ext: { side: 'src', range: c.src.range.range, other: c.dstName } };
    if (c.dst.kind === 'external') return { ...base, ext: { side: 'dst', range: c.dst.range.range, other: c.srcName } };
    return base;
  });
}

function cutsOf(rows: readonly Row[]): number[] {
  const out: number[] = [];
  for (const r of rows) if (r.ext) out.push(r.ext.range.first, r.ext.range.last + 1);
  return out;
}

/** Splits a range at the given cut points. */
function split(r: AddressRange, cuts: readonly number[]): AddressRange[] {
  const inside = cuts.filter(c => c > r.first && c <= r.last).sort((a, b) => a - b);
  const out: AddressRange[] = [];
  let start = r.first;
  for (const c of inside) {
    if (c === start) continue;
    out.push({ first: start, last: c - 1 });
    start = c;
  }
  out.push({ first: start, last: r.last });
  return out;
}

/** Changes from `before` to `after`, sorted by source, destination and network. */
export function diffConnections(before: readonly Connection[], after: readonly Connection[]): ConnectivityChange[] {
  const b = rowsOf(before);
  const a = rowsOf(after);
  const cuts = [...new Set([...cutsOf(b), ...cutsOf(a)])];
  type Slot = { src: string; dst: string; network: string; ext?: Row['ext']; before: Connections; after: Connections };
  const slots = new Map<string, Slot>();
  const put = (rows: Row[], which: 'before' | 'after') => {
    for (const r of rows) {
      const pieces = r.ext ? split(r.ext.range, cuts).map(range => ({ ...r.ext!, range })) : [undefined];
      for (const ext of pieces) {
        const src = ext?.side === 'src' ? `${formatRange(ext.range)}[External]` : r.src;
        const dst = ext?.side === 'dst' ? `${formatRange(ext.range)}[External]` : r.dst;
        const key = `${r.network}\u0000${src}\u0000${dst}`;
        let s = slots.get(key);
        if (!s)
          slots.set(
            key,
            (s = { src, dst, network: r.network, ext, before: Connections.NONE, after: Connections.NONE }),
          );
        s[which] = s[which].union(r.conns);
      }
    }
  };
  put(b, 'before');
  put(a, 'after');
  const changed = [...slots.values()].filter(s => !s.before.equals(s.after));
  // Merge adjacent external ranges with the same change back into one line.
  const merged: Slot[] = [];
  const groups = new Map<string, Slot[]>();
  for (const s of changed) {
    if (!s.ext) {
      merged.push(s);
      continue;
    }
    const k = `${s.network}\u0000${s.ext.side}\u0000${s.ext.other}\u0000${s.before.toString()}\u0000${s.after.toString()}`;
    const g = groups.get(k);
    if (g) g.push(s);
    else groups.set(k, [s]);
  }
  for (const g of groups.values()) {
    g.sort((x, y) => x.ext!.range.first - y.ext!.range.first);
    let cur = g[0];
    for (const s of g.slice(1)) {
      if (s.ext!.range.first === cur.ext!.range.last + 1) {
        const range = { first: cur.ext!.range.first, last: s.ext!.range.last };
        const name = `${formatRange(range)}[External]`;
        cur = {
          ...cur,
          ext: { ...cur.ext!, range },
          src: cur.ext!.side === 'src' ? name : cur.src,
          dst: cur.ext!.side === 'dst' ? name : cur.dst,
        };
      } else {
        merged.push(cur);
        cur = s;
      }
    }
    merged.push(cur);
  }
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return merged
    .map(s => ({
      kind: (s.before.isEmpty() ? 'added' : s.after.isEmpty() ? 'removed' : 'changed') as ChangeKind,
      src: s.src,
      dst: s.dst,
      network: s.network,
      before: s.before,
      after: s.after,
    }))
    .sort((x, y) => cmp(x.src, y.src) || cmp(x.dst, y.dst) || cmp(x.network, y.network));
}

/** One line per change: `+ src => dst : conns`, `- …`, `~ src => dst : before -> after`. */
export function formatChange(c: ConnectivityChange): string {
  const net = c.network === 'pod-network' ? '' : ` [${c.network}]`;
  if (c.kind === 'added') return `+ ${c.src} => ${c.dst} : ${c.after.toString()}${net}`;
  if (c.kind === 'removed') return `- ${c.src} => ${c.dst} : ${c.before.toString()}${net}`;
  return `~ ${c.src} => ${c.dst} : ${c.before.toString()} -> ${c.after.toString()}${net}`;
}
