/**
 * `npm run bench`: generates a realistic synthetic workspace, loads it from disk the way the CLI
 * does, and reports cold analysis, one-file edit re-analysis, hover latency and memory against
 * the budgets of DESIGN §8, next to bare YAML parsers and @monokle/validation. It reports; it
 * never fails the build (exit code 0 unless the bench itself breaks).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateWorkspace, writeWorkspace } from './generator';
import { ColdResult, coldLoad, diagnosticsSnapshot, runEdits, runHovers, snapshotDifferences } from './engineRun';
import { planEdits } from './edits';
import { PhaseName, PhaseResult, runPhase, spawnPhase } from './peers';
import { MB, gc, heapUsed, now, peakRss } from './measure';
import { BenchReport, Budget, formatReport } from './report';
import { benchKustomize, runProjectEdits } from './units';
import { runPolicyEdits } from './policyEdits';
import { connectivityEdits } from './connectivityRun';

interface Options {
  resources: number;
  seed: number;
  edits: number;
  hovers: number;
  runs: number;
  peerResources: number;
  peerTimeoutS: number;
  peers: boolean;
  out?: string;
  json: boolean;
  phase?: PhaseName;
  dir?: string;
}

const USAGE = `usage: node --expose-gc dist/bench.js [--resources N] [--seed N] [--edits N] [--hovers N]
       [--runs N] [--peer-resources N] [--peer-timeout SECONDS] [--no-peers] [--out DIR] [--json]`;

function parseOptions(argv: string[]): Options {
  const o: Options = {
    resources: 10000,
    seed: 42,
    edits: 300,
    hovers: 300,
    runs: 5,
    peerResources: 1000,
    peerTimeoutS: 120,
    peers: true,
    json: false,
  };
  const num = (i: number) => {
    const n = Number(argv[i]);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${argv[i - 1]} needs a number\n${USAGE}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    switch (argv[i]) {
      case '--resources':
        o.resources = num(++i);
        break;
      case '--seed':
        o.seed = num(++i);
        break;
      case '--edits':
        o.edits = num(++i);
        break;
      case '--hovers':
        o.hovers = num(++i);
        break;
      case '--runs':
        o.runs = Math.max(1, num(++i));
        break;
      case '--peer-resources':
        o.peerResources = num(++i);
        break;
      case '--peer-timeout':
        o.peerTimeoutS = num(++i);
        break;
      case '--no-peers':
        o.peers = false;
        break;
      case '--out':
        o.out = argv[++i];
        break;
      case '--json':
        o.json = true;
        break;
      case '--phase':
        o.phase = argv[++i] as PhaseName;
        break;
      case '--dir':
        o.dir = argv[++i];
        break;
      case '-h':
      case '--help':
        console.log(USAGE);
        return process.exit(0);
      default:
        throw new Error(`unknown option ${argv[i]}\n${USAGE}`);
    }
  }
  return o;
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  if (o.phase) {
    console.log(JSON.stringify(await runPhase(o.phase, o.dir ?? '.')));
    return;
  }
  const log = (s: string) => {
    if (!o.json) process.stderr.write(s + '\n');
  };
  if (!(globalThis as { gc?: unknown }).gc) log('note: run with node --expose-gc for retained-heap figures');
  const loadAtStart = os.loadavg()[0];
  const temps: string[] = [];
  const tempDir = (tag: string) => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), `kube-netlint-bench-${tag}-`));
    temps.push(d);
    return d;
  };
  try {
    const dir = o.out ? prepareOut(path.resolve(o.out)) : tempDir('ws');
    log(`generating ${o.resources} resources (seed ${o.seed}) in ${dir} …`);
    let t = now();
    const generated = generateWorkspace({ resources: o.resources, seed: o.seed });
    const generateMs = now() - t;
    t = now();
    writeWorkspace(dir, generated.files);
    const writeMs = now() - t;
    const workspace = {
      dir,
      kept: !!o.out,
      files: generated.files.length,
      resources: generated.resources,
      bytes: generated.bytes,
      kinds: generated.kinds,
      problems: generated.problems,
      generateMs,
      writeMs,
    };
    generated.files.length = 0;
    gc();

    // Cold figures come from fresh processes, alternating engine and js-yaml so that load from
    // other work on the machine hits both alike; the medians are compared.
    const coldRuns: PhaseResult[] = [],
      jsYamlRuns: PhaseResult[] = [];
    for (let i = 0; i < o.runs; i++) {
      log(`cold analysis and js-yaml, fresh processes, run ${i + 1}/${o.runs} …`);
      coldRuns.push(spawnPhase('engine-cold', dir, 300_000));
      jsYamlRuns.push(spawnPhase('js-yaml', dir, 300_000));
    }
    log('yaml parseAllDocuments (fresh process) …');
    const yaml = spawnPhase('yaml', dir, 300_000);
    log('loading the workspace in this process for edits and hovers …');
    const { ws, cold: inProcess } = coldLoad(dir);

    log(`${o.edits} edits …`);
    const texts = new Map(ws.fileIds().map(id => [id, ws.file(id)!.text]));
    const before = diagnosticsSnapshot(ws);
    const plan = planEdits(texts, o.edits, o.seed);
    const edits = runEdits(ws, plan);
    texts.clear();
    const differing = snapshotDifferences(before, diagnosticsSnapshot(ws));
    log(`${o.hovers} hovers …`);
    const hover = runHovers(ws, o.hovers, o.seed);
    log('connectivity cold (fresh processes) and one-line NetworkPolicy edits …');
    const connectivityColdRuns: PhaseResult[] = [];
    for (let i = 0; i < Math.min(3, o.runs); i++)
      connectivityColdRuns.push(spawnPhase('connectivity-cold', dir, 300_000));
    const connectivity = {
      cold: median(connectivityColdRuns),
      coldTotals: connectivityColdRuns.map(r => (r.ok && r.phase === 'connectivity-cold' ? r.result.totalMs : NaN)),
      edits: connectivityEdits(ws, Math.max(20, Math.round(o.edits / 5)), o.seed),
    };
    log('NetworkPolicy edits (required connectivity) …');
    const policyEdits = runPolicyEdits(ws, Math.max(20, Math.round(o.edits / 5)), o.seed);
    gc();
    const coldPeak = Math.max(0, ...coldRuns.map(r => (r.ok && r.phase === 'engine-cold' ? r.result.peakHeap : 0)));
    const memory = {
      peakHeap: Math.max(coldPeak, inProcess.peakHeap, edits.peakHeap),
      retainedHeap: heapUsed(),
      peakRss: peakRss(),
    };

    let peers: BenchReport['peers'];
    if (o.peers) {
      const peerDir = tempDir('peer');
      const small = generateWorkspace({ resources: o.peerResources, seed: o.seed });
      writeWorkspace(peerDir, small.files);
      log(`peers on ${small.resources} resources (timeout ${o.peerTimeoutS} s each) …`);
      peers = {
        resources: small.resources,
        files: small.files.length,
        bytes: small.bytes,
        timeoutS: o.peerTimeoutS,
        engine: spawnPhase('engine-cold', peerDir, o.peerTimeoutS * 1000),
        monokle: spawnPhase('monokle', peerDir, o.peerTimeoutS * 1000),
      };
    }

    const report: BenchReport = {
      date: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        memoryGB: Math.round(os.totalmem() / 1024 ** 3),
        platform: `${process.platform} ${process.arch}`,
        node: process.version,
        loadAverage: [loadAtStart, os.loadavg()[0]],
      },
      workspace,
      runs: o.runs,
      cold: summarizeCold(coldRuns, inProcess),
      parsers: { jsYaml: summarizeParser(jsYamlRuns), yaml },
      edits,
      afterReverts: { consistent: differing.length === 0, differingFiles: differing.slice(0, 10) },
      hover,
      policyEdits,
      connectivity,
      memory,
      peers,
      budgets: [],
    };
    report.budgets = budgets(report);
    // Units: the same plain-file edits through the Project (what the server runs), and a
    // workspace of 50 Kustomize units rendered with the real tool.
    log('the same edits through the Project (analysis units) …');
    const projectEdits = runProjectEdits(dir, plan);
    log('50 Kustomize units: cold render + analysis, re-render after edits …');
    const kustomize = await benchKustomize(tempDir('kustomize'), 10);
    const units = { projectEdits, kustomize };
    if (o.json) console.log(JSON.stringify({ ...report, units }, null, 2));
    else console.log(`${formatReport(report)}\n${formatUnits(units)}`);
  } finally {
    for (const d of temps) if (d !== o.out) fs.rmSync(d, { recursive: true, force: true });
  }
}

const MARKER = '.kube-netlint-bench';

function formatUnits(u: {
  projectEdits: ReturnType<typeof runProjectEdits>;
  kustomize: Awaited<ReturnType<typeof benchKustomize>>;
}): string {
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  const lines = [
    '## Analysis units',
    '',
    `Plain-file edits through the Project (same edits as above): p50 ${ms(u.projectEdits.edits.p50)}, p95 ${ms(u.projectEdits.edits.p95)} (edits and reverts: p95 ${ms(u.projectEdits.all.p95)}, n=${u.projectEdits.all.n})`,
  ];
  const k = u.kustomize;
  if ('skipped' in k) lines.push(`Kustomize units: skipped (${k.skipped})`);
  else
    lines.push(
      `Kustomize: ${k.units} units, ${k.objects} objects, ${k.findings} findings; tool ${k.tool}`,
      `  cold (read, discover, render all, analyse): ${ms(k.coldMs)}`,
      `  re-render after an edit of one overlay's patch (render + analysis, no debounce): p50 ${ms(k.rerender.p50)}, p95 ${ms(k.rerender.p95)}, max ${ms(k.rerender.max)} (n=${k.rerender.n}, ${k.rendersPerEdit} render per edit)`,
    );
  return lines.join('\n');
}

/** --out must be empty or a workspace an earlier bench wrote (it is replaced): never someone's files. */
function prepareOut(dir: string): string {
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
    if (!fs.existsSync(path.join(dir, MARKER)))
      throw new Error(`--out ${dir} is not empty and was not written by the bench; choose an empty directory`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, MARKER), 'generated by test/bench (npm run bench --out); replaced on the next run\n');
  return dir;
}

/** The run with the median total stands for the set; all totals are kept for the spread. */
function summarizeCold(runs: PhaseResult[], inProcess: ColdResult): BenchReport['cold'] {
  const ok = runs.flatMap(r => (r.ok && r.phase === 'engine-cold' ? [r.result] : []));
  const failures = runs.flatMap(r => (r.ok ? [] : [r.error]));
  const sorted = [...ok].sort((a, b) => a.totalMs - b.totalMs);
  return { median: sorted[Math.floor((sorted.length - 1) / 2)], totals: ok.map(r => r.totalMs), failures, inProcess };
}

function summarizeParser(runs: PhaseResult[]): PhaseResult {
  const ok = runs.filter(r => r.ok && (r.phase === 'js-yaml' || r.phase === 'yaml')) as Extract<
    PhaseResult,
    { phase: 'js-yaml' | 'yaml'; ok: true }
  >[];
  if (!ok.length) return runs[0];
  const sorted = [...ok].sort((a, b) => a.result.totalMs - b.result.totalMs);
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  return { ...median, result: { ...median.result, totals: ok.map(r => r.result.totalMs) } };
}

/** DESIGN §8. */
function budgets(r: BenchReport): Budget[] {
  const out: Budget[] = [];
  const js = r.parsers.jsYaml.ok && r.parsers.jsYaml.phase === 'js-yaml' ? r.parsers.jsYaml.result : undefined;
  const cold = r.cold.median;
  if (!cold) {
    out.push({ name: 'cold analysis ≤ 1500 ms', value: `failed: ${r.cold.failures.join('; ')}`, status: 'FAIL' });
  } else {
    out.push({
      name: 'cold analysis ≤ 1500 ms',
      value: `${cold.totalMs.toFixed(0)} ms (median)`,
      status: cold.totalMs <= 1500 ? 'PASS' : 'FAIL',
    });
    out.push(
      js
        ? {
            name: 'cold analysis ≤ 2× js-yaml loadAll',
            value: `${(cold.totalMs / js.totalMs).toFixed(2)}× (medians)`,
            status: cold.totalMs <= 2 * js.totalMs ? 'PASS' : 'FAIL',
          }
        : { name: 'cold analysis ≤ 2× js-yaml loadAll', value: 'js-yaml phase failed', status: 'N/A' },
    );
  }
  // Edits only: the reverts are cheaper (their findings go away) and would flatter the p95.
  out.push({
    name: 'edit → diagnostics p95 ≤ 15 ms',
    value: `${r.edits.edits.p95.toFixed(2)} ms (edits, reverts excluded)`,
    status: r.edits.edits.p95 <= 15 ? 'PASS' : 'FAIL',
  });
  out.push(
    r.hover.answered
      ? {
          name: 'hover p95 ≤ 5 ms',
          value: `${r.hover.times.p95.toFixed(2)} ms`,
          status: r.hover.times.p95 <= 5 ? 'PASS' : 'FAIL',
        }
      : { name: 'hover p95 ≤ 5 ms', value: 'no hover provider answered (none registered yet)', status: 'N/A' },
  );
  if (r.policyEdits)
    out.push({
      name: 'NetworkPolicy edit → required-connectivity diagnostics p95 ≤ 50 ms',
      value: `${r.policyEdits.edits.p95.toFixed(2)} ms`,
      status: r.policyEdits.edits.p95 <= 50 ? 'PASS' : 'FAIL',
    });
  const cc = r.connectivity?.cold;
  if (r.connectivity) {
    out.push(
      cc?.ok && cc.phase === 'connectivity-cold'
        ? {
            name: 'connectivity cold (model + every connection) ≤ 2 s',
            value: `${cc.result.totalMs.toFixed(0)} ms (CPU ${cc.result.cpuMs.toFixed(0)} ms)`,
            status: cc.result.totalMs <= 2000 ? 'PASS' : 'FAIL',
          }
        : { name: 'connectivity cold ≤ 2 s', value: cc && !cc.ok ? cc.error : 'no run', status: 'N/A' },
    );
    out.push({
      name: 'NetworkPolicy edit → updated connectivity p95 ≤ 50 ms',
      value: `${r.connectivity.edits.edits.p95.toFixed(2)} ms`,
      status: r.connectivity.edits.edits.p95 <= 50 ? 'PASS' : 'FAIL',
    });
  }
  out.push({
    name: 'heap ≤ 300 MB',
    value: `${(r.memory.peakHeap / MB).toFixed(0)} MB peak`,
    status: r.memory.peakHeap <= 300 * MB ? 'PASS' : 'FAIL',
  });
  return out;
}

/** The run with the median total among the successful ones. */
function median(runs: PhaseResult[]): PhaseResult | undefined {
  const ok = runs.filter(r => r.ok && r.phase === 'connectivity-cold');
  if (!ok.length) return runs[0];
  const total = (r: PhaseResult) => (r.ok && r.phase === 'connectivity-cold' ? r.result.totalMs : 0);
  return [...ok].sort((a, b) => total(a) - total(b))[Math.floor(ok.length / 2)];
}

main().catch(e => {
  console.error(`bench failed: ${(e as Error).message ?? e}`);
  process.exitCode = 2;
});

export type { PhaseResult };
