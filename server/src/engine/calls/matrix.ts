/**
 * The data of the "Show Connectivity" view: every workload of a unit (grouped by namespace),
 * what the policies allow between each ordered pair (allowed / denied / partly, with ports),
 * the calls the source is configured to make to the destination, and, for one pair, the
 * explanation with links to the deciding YAML. Plain data: the webview draws it.
 */
import type { Workspace } from '../workspace';
import type { Range } from '../text/lineIndex';
import { connectivityOf, displayPolicy } from '../connectivity';
import type { SourceRef, Workload } from '../connectivity';
import { callVerdicts } from './verdict';
import { callAnchor } from './anchor';
import { describeCall } from './rules/rule';

/** A place to reveal: file (the front end may rewrite it to a URI) and range. */
export interface SourceLink {
  fileId: string;
  range: Range;
}

export interface MatrixWorkload {
  id: string;
  name: string;
  kind: string;
  namespace: string;
  source?: SourceLink;
}

export type CellStatus = 'allowed' | 'denied' | 'partly';

export interface MatrixCell {
  from: number;
  to: number;
  status: CellStatus;
  /** netpol-analyzer notation: `All Connections`, `TCP 80,443`, `No Connections`. */
  ports: string;
  /** Calls the source makes to the destination: `7070/TCP` with whether the policies allow it. */
  calls: { port: string; allowed: boolean }[];
}

export interface ConnectivityMatrix {
  namespaces: string[];
  workloads: MatrixWorkload[];
  cells: MatrixCell[];
  /** Workloads left out to keep the matrix drawable (shown first by namespace order). */
  omitted: number;
}

export const MATRIX_LIMIT = 150;

function link(ws: Workspace, s: SourceRef | undefined): SourceLink | undefined {
  return s && ws.file(s.fileId) ? { fileId: s.fileId, range: ws.rangeIn(s.fileId, s.anchor) } : undefined;
}

function statusOf(allowedAll: boolean, empty: boolean): CellStatus {
  return allowedAll ? 'allowed' : empty ? 'denied' : 'partly';
}

/** The matrix for a unit (at most MATRIX_LIMIT workloads; pods of virtual machines included). */
export function connectivityMatrix(ws: Workspace, limit = MATRIX_LIMIT): ConnectivityMatrix {
  const model = connectivityOf(ws);
  const all = [...model.workloads].sort(
    (a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name),
  );
  const shown = all.slice(0, limit);
  const index = new Map<Workload, number>(shown.map((w, i) => [w, i]));
  const calls = new Map<string, { port: string; allowed: boolean }[]>();
  for (const v of callVerdicts(ws))
    for (const t of v.targets) {
      const a = index.get(v.source);
      const b = index.get(t.workload);
      if (a === undefined || b === undefined) continue;
      const k = `${a},${b}`;
      const list = calls.get(k) ?? [];
      const port = `${t.port}/${t.protocol}`;
      if (!list.some(x => x.port === port)) list.push({ port, allowed: t.allowed });
      calls.set(k, list);
    }
  const cells: MatrixCell[] = [];
  shown.forEach((a, i) =>
    shown.forEach((b, j) => {
      if (i === j) return;
      const c = model.allowed({ kind: 'workload', workload: a }, { kind: 'workload', workload: b });
      cells.push({
        from: i,
        to: j,
        status: statusOf(c.isAll(), c.isEmpty()),
        ports: c.toString(),
        calls: calls.get(`${i},${j}`) ?? [],
      });
    }),
  );
  return {
    namespaces: [...new Set(shown.map(w => w.namespace))],
    workloads: shown.map(w => ({
      id: w.id,
      name: w.name,
      kind: w.kind,
      namespace: w.namespace,
      source: link(ws, w.source),
    })),
    cells,
    omitted: all.length - shown.length,
  };
}

export interface ExplainedDecision {
  verdict: string;
  tier: string;
  text: string;
  ports: string;
  /** The deciding rule, else the policy. */
  source?: SourceLink;
}

export interface PairExplanation {
  src: string;
  dst: string;
  status: CellStatus;
  allowed: string;
  isolation?: string;
  directions: { direction: string; subject: string; allowed: string; decisions: ExplainedDecision[] }[];
  calls: { text: string; status: string; source?: SourceLink }[];
}

/** Why `src` may or may not reach `dst` (workload ids), with links to the deciding YAML and the calls. */
export function explainPair(ws: Workspace, src: string, dst: string): PairExplanation | undefined {
  const model = connectivityOf(ws);
  const a = model.workload(src);
  const b = model.workload(dst);
  if (!a || !b) return undefined;
  const ex = model.explain({ kind: 'workload', workload: a }, { kind: 'workload', workload: b });
  const directions = [ex.egress, ex.ingress].map(d => ({
    direction: d.direction,
    subject: d.subject,
    allowed: d.allowed.toString(),
    decisions: d.decisions.map(x => ({
      verdict: x.verdict,
      tier: x.tier,
      text: x.text,
      ports: x.connections.toString(),
      source: link(ws, x.rule?.source ?? x.policy?.source ?? x.isolatedBy?.[0]?.source),
      ...(x.isolatedBy?.length && !x.rule ? { text: `${x.text} (${x.isolatedBy.map(displayPolicy).join(', ')})` } : {}),
    })),
  }));
  const calls = callVerdicts(ws)
    .filter(v => v.source === a && v.targets.some(t => t.workload === b))
    .map(v => {
      const mine = v.targets.filter(t => t.workload === b);
      const ok = mine.every(t => t.allowed);
      const file = ws.file(v.call.source.owner.fileId);
      return {
        text: `${describeCall(v.call)} → ${mine.map(t => `${t.port}/${t.protocol}`).join(', ')}`,
        status: ok ? 'allowed' : mine.some(t => t.allowed) ? 'partly' : 'denied',
        source: file ? { fileId: file.fileId, range: file.locator.rangeOf(callAnchor(ws, v.call)) } : undefined,
      };
    });
  return {
    src: ex.src,
    dst: ex.dst,
    status: statusOf(ex.allowed.isAll(), ex.allowed.isEmpty()),
    allowed: ex.allowed.toString(),
    isolation: ex.isolation,
    directions,
    calls,
  };
}
