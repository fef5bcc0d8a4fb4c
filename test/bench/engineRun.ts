import * as fs from 'node:fs';
import { Workspace, collectFiles, loadConfig, defaultAnalyzers } from '../../server/src/engine';
import { hoverAt } from '../../server/src/engine/hover';
import '../../server/src/engine/features';
import { Distribution, HeapWatch, distribution, gc, heapUsed, now } from './measure';
import { EDIT_KINDS, EditKind, PlannedEdit, applyEdit } from './edits';
import { Random } from './random';

export interface ColdResult {
  files: number;
  resources: number;
  readMs: number;
  /** setFile for every file: parse, resource extraction, cluster indexing. */
  parseMs: number;
  /** analyze(): every rule on every resource, global analyzers. */
  analyzeMs: number;
  /** diagnostics() for every file: suppression, severity, source ranges of every finding. */
  diagnosticsMs: number;
  totalMs: number;
  /** CPU time of the process over the same span (all threads, GC helpers included): less sensitive to other load than wall time. */
  cpuMs: number;
  diagnostics: number;
  filesWithDiagnostics: number;
  byCode: Record<string, number>;
  peakHeap: number;
  retainedHeap: number;
}

/**
 * The cold path as the CLI runs it (`loadWorkspace`: collect, read, setFile each file, analyze),
 * written out step by step so each step is timed, then `diagnostics()` for every file the way the
 * language server publishes them after start-up.
 */
export function coldLoad(dir: string): { ws: Workspace; cold: ColdResult } {
  const heap = new HeapWatch();
  const cpu0 = process.cpuUsage();
  const t0 = now();
  const { config } = loadConfig([dir]);
  const paths = collectFiles([dir], config).files;
  const ws = new Workspace(config, defaultAnalyzers());
  let readMs = 0;
  paths.forEach((p, i) => {
    const a = now();
    let text: string;
    try {
      text = fs.readFileSync(p, 'utf8');
    } catch {
      return;
    }
    const b = now();
    ws.setFile(p, text);
    readMs += b - a;
    if (i % 50 === 0) heap.sample();
  });
  heap.sample();
  const t1 = now();
  ws.analyze();
  const t2 = now();
  heap.sample();
  let diagnostics = 0,
    filesWithDiagnostics = 0;
  const byCode: Record<string, number> = {};
  for (const [i, id] of ws.fileIds().entries()) {
    const d = ws.diagnostics(id);
    if (d.length) filesWithDiagnostics++;
    diagnostics += d.length;
    for (const x of d) byCode[x.code] = (byCode[x.code] ?? 0) + 1;
    if (i % 50 === 0) heap.sample();
  }
  const t3 = now();
  const cpu = process.cpuUsage(cpu0);
  heap.sample();
  gc();
  return {
    ws,
    cold: {
      files: paths.length,
      resources: ws.cluster.facts.size,
      readMs,
      parseMs: t1 - t0 - readMs,
      analyzeMs: t2 - t1,
      diagnosticsMs: t3 - t2,
      totalMs: t3 - t0,
      cpuMs: (cpu.user + cpu.system) / 1000,
      diagnostics,
      filesWithDiagnostics,
      byCode,
      peakHeap: heap.peak,
      retainedHeap: heapUsed(),
    },
  };
}

export interface EditResult {
  edits: Distribution;
  reverts: Distribution;
  all: Distribution;
  byKind: Record<EditKind, Distribution>;
  /** Rule evaluations per edit (how local the re-analysis stayed). */
  evaluations: Distribution;
  /** Files whose diagnostics were recomputed per edit. */
  changedFiles: Distribution;
  peakHeap: number;
}

/** One edit = setFile + analyze() + diagnostics() for every file analyze() reports changed; each edit is reverted the same way. */
export function runEdits(ws: Workspace, plan: readonly PlannedEdit[]): EditResult {
  const heap = new HeapWatch();
  const edits: number[] = [],
    reverts: number[] = [],
    evaluations: number[] = [],
    changedFiles: number[] = [];
  const byKind = Object.fromEntries(EDIT_KINDS.map(k => [k, [] as number[]])) as Record<EditKind, number[]>;
  const step = (fileId: string, text: string): number => {
    const before = ws.evaluations;
    const t = now();
    ws.setFile(fileId, text);
    const changed = ws.analyze();
    for (const f of changed) ws.diagnostics(f);
    const dt = now() - t;
    evaluations.push(ws.evaluations - before);
    changedFiles.push(changed.size);
    return dt;
  };
  for (const [i, e] of plan.entries()) {
    const original = ws.file(e.fileId)?.text;
    const edited = original === undefined ? undefined : applyEdit(original, e.kind);
    if (original === undefined || edited === undefined) continue;
    const dt = step(e.fileId, edited);
    edits.push(dt);
    byKind[e.kind].push(dt);
    reverts.push(step(e.fileId, original));
    if (i % 20 === 0) heap.sample();
  }
  heap.sample();
  return {
    edits: distribution(edits),
    reverts: distribution(reverts),
    all: distribution([...edits, ...reverts]),
    byKind: Object.fromEntries(EDIT_KINDS.map(k => [k, distribution(byKind[k])])) as Record<EditKind, Distribution>,
    evaluations: distribution(evaluations),
    changedFiles: distribution(changedFiles),
    peakHeap: heap.peak,
  };
}

/**
 * Every file's diagnostics as comparable lines. After edits that were all reverted, the
 * incremental state must give exactly what it gave before: a cheap end-to-end check that the
 * dependency tracking forgets and re-derives correctly.
 */
export function diagnosticsSnapshot(ws: Workspace): Map<string, string> {
  const out = new Map<string, string>();
  for (const id of ws.fileIds().sort()) {
    out.set(
      id,
      ws
        .diagnostics(id)
        .map(
          d =>
            `${d.code} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.message}`,
        )
        .join('\n'),
    );
  }
  return out;
}

export function snapshotDifferences(a: Map<string, string>, b: Map<string, string>): string[] {
  const ids = new Set([...a.keys(), ...b.keys()]);
  return [...ids].filter(id => a.get(id) !== b.get(id)).sort();
}

export interface HoverRunResult {
  positions: number;
  answered: number;
  times: Distribution;
}

/** Hovers over Service targetPort/port values and container ports, where networking hovers answer. */
export function runHovers(ws: Workspace, count: number, seed: number): HoverRunResult {
  const rnd = new Random(seed);
  const positions: [string, number][] = [];
  const re = /\n\s+-? ?(?:targetPort|containerPort|port): (\S)/g;
  const ids = ws.fileIds().sort();
  for (let guard = 0; positions.length < count && guard < count * 20; guard++) {
    const id = rnd.pick(ids);
    const text = ws.file(id)!.text;
    const offsets: number[] = [];
    for (const m of text.matchAll(re)) offsets.push(m.index! + m[0].length - 1);
    if (offsets.length) positions.push([id, rnd.pick(offsets)]);
  }
  const times: number[] = [];
  let answered = 0;
  for (const [id, offset] of positions) {
    const t = now();
    const h = hoverAt(ws, id, offset);
    times.push(now() - t);
    if (h) answered++;
  }
  return { positions: positions.length, answered, times: distribution(times) };
}
