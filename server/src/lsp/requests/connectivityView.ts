import type { RequestContext } from './context';
import { connectivityMatrix, explainPair } from '../../engine/calls/matrix';
import type { ConnectivityMatrix, PairExplanation, SourceLink } from '../../engine/calls/matrix';

/** `kubeNetlint/connectivityMatrix`: workloads and the allowed connections between them, for the view. */
export const CONNECTIVITY_MATRIX = 'kubeNetlint/connectivityMatrix';
/** `kubeNetlint/connectivityExplain`: why one workload may or may not reach another. */
export const CONNECTIVITY_EXPLAIN = 'kubeNetlint/connectivityExplain';

interface UnitParams {
  uri?: string;
  unit?: string;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}

export function register(ctx: RequestContext): void {
  const ws = (p: UnitParams | undefined) => {
    const uri = str(p?.uri);
    return ctx.workspace(uri ? ctx.toFileId(uri) : undefined, str(p?.unit));
  };
  // Links carry the client's spelling of each file URI, so reveal opens the right editor.
  const fix = (l: SourceLink | undefined) => (l ? { ...l, fileId: ctx.toUri(l.fileId) } : undefined);

  ctx.connection.onRequest(CONNECTIVITY_MATRIX, (p: UnitParams | undefined): ConnectivityMatrix => {
    const m = connectivityMatrix(ws(p));
    return { ...m, workloads: m.workloads.map(w => ({ ...w, source: fix(w.source) })) };
  });

  ctx.connection.onRequest(
    CONNECTIVITY_EXPLAIN,
    (p: (UnitParams & { src?: string; dst?: string }) | undefined): PairExplanation | { error: string } => {
      const src = str(p?.src);
      const dst = str(p?.dst);
      if (!src || !dst) return { error: 'connectivityExplain needs { src, dst } workload ids' };
      const e = explainPair(ws(p), src, dst);
      if (!e) return { error: `no workload ${src} or ${dst} in this unit` };
      return {
        ...e,
        directions: e.directions.map(d => ({
          ...d,
          decisions: d.decisions.map(x => ({ ...x, source: fix(x.source) })),
        })),
        calls: e.calls.map(c => ({ ...c, source: fix(c.source) })),
      };
    },
  );
}
