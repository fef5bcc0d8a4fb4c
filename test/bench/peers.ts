import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import * as jsyaml from 'js-yaml';
import { parseAllDocuments } from 'yaml';
import { collectFiles } from '../../server/src/engine';
import { coldLoad, ColdResult } from './engineRun';
import { gc, now, peakRss } from './measure';
import { ConnectivityCold, connectivityCold } from './connectivityRun';

/**
 * Measurements that must start from a fresh process (nothing compiled or cached by an earlier
 * phase), run as `node dist/bench.js --phase <name> --dir <dir>`; each prints one JSON line.
 */
export type PhaseName = 'js-yaml' | 'yaml' | 'engine-cold' | 'monokle' | 'connectivity-cold';

export interface ParserResult {
  files: number;
  docs: number;
  errors: number;
  readMs: number;
  parseMs: number;
  totalMs: number;
  cpuMs: number;
  /** Totals of every run, when several were made. */ totals?: number[];
}
export interface MonokleResult {
  resources: number;
  parseMs: number;
  processRefsMs: number;
  validateMs: number;
  totalMs: number;
  results: number;
  version: string;
}
export type PhaseResult =
  | { phase: 'js-yaml' | 'yaml'; ok: true; result: ParserResult; peakRss: number }
  | { phase: 'engine-cold'; ok: true; result: ColdResult; peakRss: number }
  | { phase: 'monokle'; ok: true; result: MonokleResult; peakRss: number }
  | { phase: 'connectivity-cold'; ok: true; result: ConnectivityCold; peakRss: number }
  | { phase: PhaseName; ok: false; error: string };

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(start);
  return (c.user + c.system) / 1000;
}

function readAll(dir: string): { texts: [string, string][]; readMs: number } {
  const t = now();
  const texts: [string, string][] = collectFiles([dir]).files.map(p => [p, fs.readFileSync(p, 'utf8')]);
  return { texts, readMs: now() - t };
}

/** A bare js-yaml loadAll of every file: the floor any JavaScript YAML linter stands on. */
function jsYamlPhase(dir: string): ParserResult {
  const cpu0 = process.cpuUsage();
  const { texts, readMs } = readAll(dir);
  let docs = 0,
    errors = 0;
  const t = now();
  for (const [, text] of texts) {
    try {
      docs += jsyaml.loadAll(text, undefined, { json: true }).length;
    } catch {
      errors++;
    }
  }
  const parseMs = now() - t;
  return { files: texts.length, docs, errors, readMs, parseMs, totalMs: readMs + parseMs, cpuMs: cpuMsSince(cpu0) };
}

/** `yaml` (eemeli) parseAllDocuments: the CST-backed parser we use only where ranges are needed. */
function yamlPhase(dir: string): ParserResult {
  const cpu0 = process.cpuUsage();
  const { texts, readMs } = readAll(dir);
  let docs = 0,
    errors = 0;
  const t = now();
  for (const [, text] of texts) {
    const parsed = parseAllDocuments(text);
    const list = Array.isArray(parsed) ? parsed : [];
    docs += list.length;
    errors += list.filter(d => d.errors.length).length;
  }
  const parseMs = now() - t;
  return { files: texts.length, docs, errors, readMs, parseMs, totalMs: readMs + parseMs, cpuMs: cpuMsSince(cpu0) };
}

// The bundle is CommonJS and @monokle/validation is an ES module: load it with a real import().
const importEsm = new Function('s', 'return import(s)') as (s: string) => Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- the ES module's shape is checked where it is used;

/**
 * @monokle/validation's resource-links plugin: the nearest JavaScript peer that links Services,
 * Ingresses and workloads across a workspace. Resources are built the way its own CLI does
 * (one per YAML document, List items expanded, parsed with `yaml`), then processRefs + validate.
 */
async function monoklePhase(dir: string): Promise<MonokleResult> {
  const m = await importEsm('@monokle/validation');
  const version = monokleVersion();
  const t0 = now();
  const resources: Record<string, unknown>[] = [];
  for (const file of collectFiles([dir]).files) {
    const text = fs.readFileSync(file, 'utf8');
    parseAllDocuments(text).forEach((d, i) => {
      if (d.errors.length) return;
      const c = d.toJS() as { kind?: string; items?: unknown[] } | null;
      if (!c || typeof c.kind !== 'string') return;
      const items = (c.kind === 'List' && Array.isArray(c.items) ? c.items : [c]) as {
        kind?: string;
        apiVersion?: string;
        metadata?: { name?: string; namespace?: string };
      }[];
      items.forEach((x, j) => {
        if (!x || typeof x.kind !== 'string') return;
        resources.push({
          id: `${file}#${i}.${j}`,
          fileId: file,
          filePath: file,
          fileOffset: 0,
          name: x.metadata?.name ?? '',
          apiVersion: x.apiVersion ?? '',
          kind: x.kind,
          namespace: x.metadata?.namespace,
          content: x,
          text: text.slice(d.range[0], d.range[2]),
        });
      });
    });
  }
  const t1 = now();
  const parser = new m.ResourceParser();
  const validator = new m.MonokleValidator(
    {
      loader: new m.DefaultPluginLoader(),
      parser,
      schemaLoader: new m.SchemaLoader(),
      suppressors: [],
      fixer: new m.DisabledFixer(),
    },
    { plugins: { 'resource-links': true } },
  );
  await validator.preload({ plugins: { 'resource-links': true } });
  const t2 = now();
  m.processRefs(resources, parser);
  const t3 = now();
  const response = await validator.validate({ resources });
  const t4 = now();
  const results = (response.runs as { results: unknown[] }[]).reduce((s, r) => s + r.results.length, 0);
  return {
    resources: resources.length,
    parseMs: t1 - t0,
    processRefsMs: t3 - t2,
    validateMs: t4 - t3,
    totalMs: t1 - t0 + (t4 - t2),
    results,
    version,
  };
}

function monokleVersion(): string {
  // The package's `exports` hide package.json from require(); read it from node_modules instead.
  for (const root of [process.cwd(), path.resolve(path.dirname(process.argv[1]), '..')]) {
    try {
      return String(
        JSON.parse(fs.readFileSync(path.join(root, 'node_modules/@monokle/validation/package.json'), 'utf8')).version,
      );
    } catch {
      /* next */
    }
  }
  return 'unknown';
}

/** Runs inside the child process. */
export async function runPhase(phase: PhaseName, dir: string): Promise<PhaseResult> {
  try {
    switch (phase) {
      case 'js-yaml':
        return { phase, ok: true, result: jsYamlPhase(dir), peakRss: peakRss() };
      case 'yaml':
        return { phase, ok: true, result: yamlPhase(dir), peakRss: peakRss() };
      case 'engine-cold': {
        const { cold } = coldLoad(dir);
        gc();
        return { phase, ok: true, result: cold, peakRss: peakRss() };
      }
      case 'monokle':
        return { phase, ok: true, result: await monoklePhase(dir), peakRss: peakRss() };
      case 'connectivity-cold':
        return { phase, ok: true, result: connectivityCold(dir), peakRss: peakRss() };
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const missing = err.code === 'ERR_MODULE_NOT_FOUND' || err.code === 'MODULE_NOT_FOUND';
    return {
      phase,
      ok: false,
      error: missing
        ? 'not installed (optional devDependency; `npm install` it to compare)'
        : String(err.message ?? e).split('\n')[0],
    };
  }
  return { phase, ok: false, error: `unknown phase ${phase}` };
}

/** Runs a phase in a fresh Node process with the same flags; a timeout kills it. */
export function spawnPhase(phase: PhaseName, dir: string, timeoutMs: number): PhaseResult {
  const t = now();
  const r = spawnSync(process.execPath, [...process.execArgv, process.argv[1], '--phase', phase, '--dir', dir], {
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
    killSignal: 'SIGKILL',
  });
  if ((r.error && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') || r.signal === 'SIGKILL') {
    return {
      phase,
      ok: false,
      error: `timed out after ${Math.round((now() - t) / 1000)} s (limit ${timeoutMs / 1000} s)`,
    };
  }
  const last = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last) as PhaseResult;
  } catch {
    return {
      phase,
      ok: false,
      error: `phase process failed (exit ${r.status}): ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}`,
    };
  }
}
