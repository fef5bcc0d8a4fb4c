import type { RequestContext } from './context';
import { tracePath, listEntries, entryAt, renderMarkdown, EntryError, ENTRY_KINDS } from '../../engine/path';
import type { PathModel, SourceLink, Hop } from '../../engine/path';

/** `kubeNetlint/traceEntries`: what can be traced, and what the cursor suggests. */
export const TRACE_ENTRIES = 'kubeNetlint/traceEntries';
/** `kubeNetlint/tracePath`: the PathModel for an entry (and destination), plus its Markdown. */
export const TRACE_PATH = 'kubeNetlint/tracePath';

export interface TraceEntriesParams {
  uri?: string;
  position?: { line: number; character: number };
  /** The analysis unit to list (default: the unit of `uri`). */
  unit?: string;
}
export interface TracePathParams {
  from: string;
  to?: string;
  /** The unit to trace in: `unit`, else the unit of `uri`, else the largest. */
  uri?: string;
  unit?: string;
}
export type TracePathResult = { model: PathModel; markdown: string } | { error: string };

export function register(ctx: RequestContext): void {
  ctx.connection.onRequest(TRACE_ENTRIES, (p: TraceEntriesParams) => {
    const ws = ctx.workspace(p?.uri ? ctx.toFileId(p.uri) : undefined, str(p?.unit));
    const { entries, destinations } = listEntries(ws);
    let suggested: { from?: string; to?: string } | undefined;
    if (p?.uri && p.position) {
      const id = ctx.toFileId(p.uri);
      const file = ws.file(id);
      if (file) suggested = entryAt(ws, id, file.locator.lines.offsetAt(p.position));
    }
    const uri = (s: SourceLink | undefined) => (s ? { ...s, fileId: ctx.toUri(s.fileId) } : undefined);
    return {
      kinds: kindsIn(entries),
      entries: entries.map(e => ({ ...e, source: uri(e.source) })),
      destinations: destinations.map(e => ({ ...e, source: uri(e.source) })),
      suggested,
    };
  });

  ctx.connection.onRequest(TRACE_PATH, (p: TracePathParams): TracePathResult => {
    if (!p || typeof p.from !== 'string') return { error: 'tracePath needs { from, to? }' };
    try {
      const model = withUris(
        tracePath(ctx.workspace(typeof p.uri === 'string' ? ctx.toFileId(p.uri) : undefined, str(p.unit)), {
          from: p.from,
          to: typeof p.to === 'string' && p.to ? p.to : undefined,
        }),
        ctx.toUri,
      );
      return { model, markdown: renderMarkdown(model) };
    } catch (e) {
      if (e instanceof EntryError) return { error: e.message };
      throw e;
    }
  });
}

/** How a typed entry of each kind is written (for the prompt's placeholder). */
const SYNTAX: Record<string, string> = {
  ingress: 'ingress:<host>/<path>',
  gateway: 'gateway:<namespace>/<gateway>/<host>/<path>',
  nodeport: 'nodeport:<port> or nodeport:<namespace>/<service>:<port>',
  lb: 'lb:<IP> or lb:<namespace>/<service>',
  externalip: 'externalip:<IP>:<port>',
  pod: 'pod:<namespace>/<workload>',
  container: 'container:<namespace>/<workload>/<container>',
};

/**
 * The entry kinds with what this workspace has of each: how many entries and the first one as
 * the example (a prompt that suggested shop.example.com in every workspace helped nobody).
 */
export function kindsIn(entries: readonly { kind: string; value: string }[]) {
  return ENTRY_KINDS.map(k => {
    const of = entries.filter(e => e.kind === k.kind);
    return {
      kind: k.kind,
      label: k.label,
      count: of.length,
      example: of[0]?.value ?? '',
      syntax: SYNTAX[k.kind] ?? '',
    };
  });
}

/** Source links carry the client's spelling of each file URI, so reveal opens the right editor. */
function withUris(model: PathModel, toUri: (id: string) => string): PathModel {
  const fix = (hops: Hop[]) => {
    for (const h of hops) {
      if (h.source) h.source = { ...h.source, fileId: toUri(h.source.fileId) };
      for (const b of h.branches ?? []) fix(b.hops);
    }
  };
  fix(model.hops);
  return model;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}
