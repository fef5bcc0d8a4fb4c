import type { PolicyEditResult } from './policyEdits';
import type { ConnectivityEdits } from './connectivityRun';
import type { ColdResult, EditResult, HoverRunResult } from './engineRun';
import type { PhaseResult } from './peers';
import { Distribution, MB } from './measure';

export interface Budget {
  name: string;
  value: string;
  status: 'PASS' | 'FAIL' | 'N/A';
}

export interface BenchReport {
  date: string;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGB: number;
    platform: string;
    node: string;
    loadAverage: [number, number];
  };
  workspace: {
    dir: string;
    kept: boolean;
    files: number;
    resources: number;
    bytes: number;
    kinds: Record<string, number>;
    problems: Record<string, number>;
    generateMs: number;
    writeMs: number;
  };
  runs: number;
  cold: {
    /** The fresh-process run with the median total (undefined when every run failed). */
    median: ColdResult | undefined;
    totals: number[];
    failures: string[];
    /** The load this process made for the edit and hover phases (also a first run, after the generator). */
    inProcess: ColdResult;
  };
  parsers: { jsYaml: PhaseResult; yaml: PhaseResult };
  edits: EditResult;
  /** Whether every file's diagnostics, after all edits were reverted, equal those before the edits. */
  afterReverts: { consistent: boolean; differingFiles: string[] };
  hover: HoverRunResult;
  /** One-line NetworkPolicy edits → updated diagnostics, required connectivity included (issue 12). */
  policyEdits?: PolicyEditResult;
  /** The connectivity engine: cold model + list (fresh processes), incremental update after policy edits (issue 12). */
  connectivity?: { cold: PhaseResult | undefined; coldTotals: number[]; edits: ConnectivityEdits };
  memory: { peakHeap: number; retainedHeap: number; peakRss: number };
  peers?: {
    resources: number;
    files: number;
    bytes: number;
    timeoutS: number;
    engine: PhaseResult;
    monokle: PhaseResult;
  };
  budgets: Budget[];
}

const ms = (n: number) => `${n < 10 ? n.toFixed(2) : n.toFixed(0)} ms`;
const mb = (n: number) => `${(n / MB).toFixed(0)} MB`;
const dist = (d: Distribution) => `p50 ${ms(d.p50)}  p95 ${ms(d.p95)}  max ${ms(d.max)}  (n=${d.n})`;
const counts = (r: Record<string, number>) =>
  Object.entries(r)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

export function formatReport(r: BenchReport): string {
  const L: string[] = [];
  const w = r.workspace,
    c = r.cold.median ?? r.cold.inProcess;
  L.push(`kube-netlint benchmark — ${r.date}`);
  L.push(
    `machine: ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGB} GB, ${r.machine.platform}, node ${r.machine.node}`,
  );
  L.push(
    `load average (1 min) at start ${r.machine.loadAverage[0].toFixed(1)}, at end ${r.machine.loadAverage[1].toFixed(1)}${r.machine.loadAverage[0] > r.machine.cpus * 0.5 ? ' — other processes were competing for the CPUs; timings are inflated' : ''}`,
  );
  L.push('');
  L.push(
    `workspace: ${w.resources} resources in ${w.files} files, ${(w.bytes / 1e6).toFixed(1)} MB (generated ${ms(w.generateMs)}, written ${ms(w.writeMs)}${w.kept ? `, kept in ${w.dir}` : ''})`,
  );
  L.push(`  kinds: ${counts(w.kinds)}`);
  L.push(`  planted problems: ${counts(w.problems)}`);
  L.push('');
  L.push(
    r.cold.median
      ? `cold analysis (fresh process, median of ${r.cold.totals.length}: ${r.cold.totals.map(ms).join(', ')}; loadWorkspace steps + diagnostics() for every file)`
      : `cold analysis (fresh-process runs failed: ${r.cold.failures.join('; ')}; figures from the in-process load)`,
  );
  L.push(`  read files            ${ms(c.readMs)}`);
  L.push(`  parse + index         ${ms(c.parseMs)}   (setFile × ${c.files}: js-yaml, resources, cluster indexes)`);
  L.push(`  rules (analyze)       ${ms(c.analyzeMs)}   (${c.resources} resources)`);
  L.push(
    `  diagnostics (ranges)  ${ms(c.diagnosticsMs)}   (${c.diagnostics} diagnostics in ${c.filesWithDiagnostics} files: ${counts(c.byCode) || 'none'})`,
  );
  L.push(`  total                 ${ms(c.totalMs)}   (CPU ${ms(c.cpuMs)})`);
  const js = r.parsers.jsYaml.ok ? (r.parsers.jsYaml.result as { totalMs: number }).totalMs : undefined;
  const withoutRanges = c.totalMs - c.diagnosticsMs;
  L.push(
    `  without diagnostics() (DESIGN §8 lists read, parse, graph, rules): ${ms(withoutRanges)}${js ? ` = ${(withoutRanges / js).toFixed(2)}× js-yaml` : ''}`,
  );
  L.push(`  (the in-process load used for the edits below took ${ms(r.cold.inProcess.totalMs)})`);
  L.push('');
  L.push('reference parsers on the same files (fresh processes, collect + read + parse; js-yaml: median of the runs):');
  for (const [label, p] of [
    ['js-yaml loadAll', r.parsers.jsYaml],
    ['yaml parseAllDocuments', r.parsers.yaml],
  ] as const) {
    if (!p.ok) {
      L.push(`  ${label.padEnd(24)} failed: ${p.error}`);
      continue;
    }
    const x = p.result as {
      readMs: number;
      parseMs: number;
      totalMs: number;
      cpuMs: number;
      docs: number;
      errors: number;
      totals?: number[];
    };
    const spread = x.totals && x.totals.length > 1 ? ` [runs: ${x.totals.map(ms).join(', ')}]` : '';
    L.push(
      `  ${label.padEnd(24)} ${ms(x.totalMs)} (read ${ms(x.readMs)} + parse ${ms(x.parseMs)}; CPU ${ms(x.cpuMs)}; ${x.docs} docs, ${x.errors} files with errors)${spread}   kube-netlint cold / this = ${(c.totalMs / x.totalMs).toFixed(2)}×`,
    );
  }
  L.push('');
  const e = r.edits;
  L.push(
    `one-file edit → diagnostics (setFile + analyze() + diagnostics() of every changed file; each edit then reverted)`,
  );
  for (const [k, d] of Object.entries(e.byKind)) L.push(`  ${k.padEnd(11)} ${dist(d)}`);
  L.push(`  ${'all edits'.padEnd(11)} ${dist(e.edits)}`);
  L.push(`  ${'reverts'.padEnd(11)} ${dist(e.reverts)}`);
  L.push(`  ${'both'.padEnd(11)} ${dist(e.all)}`);
  L.push(
    `  rule evaluations per edit: p50 ${e.evaluations.p50}, p95 ${e.evaluations.p95}, max ${e.evaluations.max}; files re-published per edit: p50 ${e.changedFiles.p50}, max ${e.changedFiles.max}`,
  );
  L.push(
    r.afterReverts.consistent
      ? '  after every edit was reverted, all diagnostics equal those before the edits (incremental state is exact)'
      : `  INCONSISTENT: after reverting every edit, diagnostics differ from before in ${r.afterReverts.differingFiles.join(', ')}`,
  );
  L.push('');
  const h = r.hover;
  L.push(
    h.answered
      ? `hover (hoverAt on port / targetPort / containerPort values): ${dist(h.times)}; answered ${h.answered}/${h.positions}`
      : `hover: no providers registered — no hover provider answered at ${h.positions} port positions (registry call: ${dist(h.times)})`,
  );
  if (r.policyEdits)
    L.push(
      `NetworkPolicy one-line edits → diagnostics (required connectivity included): ${dist(r.policyEdits.edits)}; files re-published ${dist(r.policyEdits.changedFiles)}; call-* findings ${r.policyEdits.callFindings}`,
    );
  if (r.connectivity) {
    const c = r.connectivity.cold;
    if (c?.ok && c.phase === 'connectivity-cold') {
      const x = c.result;
      L.push(
        `connectivity cold (fresh process, after parsing): model ${ms(x.buildMs)} + every connection ${ms(x.listMs)} = ${ms(x.totalMs)} (CPU ${ms(x.cpuMs)}); ${x.workloads} workloads in ${x.classes} classes, ${x.policies} policies, ${x.connections} connections; runs ${r.connectivity.coldTotals.map(t => t.toFixed(0)).join(', ')} ms`,
      );
    } else L.push(`connectivity cold: ${c && !c.ok ? c.error : 'no run'}`);
    const e = r.connectivity.edits;
    L.push(
      `connectivity after one-line NetworkPolicy edits: update + affected connections ${dist(e.edits)}; model update alone ${dist(e.update)}; workloads recomputed ${dist(e.affected)}`,
    );
  }
  L.push('');
  L.push(
    `memory: peak heap ${mb(r.memory.peakHeap)} (sampled during load, analysis and edits), heap after GC ${mb(r.memory.retainedHeap)}, peak RSS ${mb(r.memory.peakRss)}`,
  );
  L.push('');
  if (r.peers) {
    const p = r.peers;
    L.push(
      `peers on a smaller workspace: ${p.resources} resources, ${p.files} files, ${(p.bytes / 1e6).toFixed(1)} MB (fresh process each, timeout ${p.timeoutS} s):`,
    );
    if (p.engine.ok && p.engine.phase === 'engine-cold') {
      L.push(
        `  kube-netlint cold (all rules + diagnostics)      ${ms(p.engine.result.totalMs)}   (${p.engine.result.diagnostics} diagnostics)`,
      );
    } else if (!p.engine.ok) L.push(`  kube-netlint cold: failed: ${p.engine.error}`);
    if (p.monokle.ok && p.monokle.phase === 'monokle') {
      const m = p.monokle.result;
      L.push(
        `  @monokle/validation ${m.version} resource-links     ${ms(m.totalMs)}   (parse ${ms(m.parseMs)} + processRefs ${ms(m.processRefsMs)} + validate ${ms(m.validateMs)}; ${m.results} results on ${m.resources} resources)`,
      );
      if (p.engine.ok && p.engine.phase === 'engine-cold')
        L.push(`  monokle / kube-netlint = ${(m.totalMs / p.engine.result.totalMs).toFixed(1)}×`);
    } else if (!p.monokle.ok) {
      L.push(`  @monokle/validation: not measured — ${p.monokle.error}`);
    }
  } else {
    L.push('peers: skipped (--no-peers)');
  }
  L.push('');
  L.push('budgets (DESIGN §8; reported, never fails the build):');
  for (const b of r.budgets) L.push(`  ${b.status.padEnd(4)} ${b.name.padEnd(36)} ${b.value}`);
  return L.join('\n');
}
