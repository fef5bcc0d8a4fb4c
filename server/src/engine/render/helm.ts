import * as fs from 'node:fs';
import * as path from 'node:path';
import * as jsyaml from 'js-yaml';
import { MANIFEST_SCHEMA } from '../parse/yamlFile';
import { isObj } from '../model/resource';
import { RunLimits, Tool, runTool } from './tool';
import { makeWorkDir } from './workdir';

export interface HelmObject {
  value: Record<string, unknown>;
  /** The template file (absolute real path) named by `# Source:`. */
  template: string | undefined;
  /** Index of this document among the template's rendered documents. */
  doc: number;
}

export type HelmOutcome =
  { ok: true; objects: HelmObject[] } | { ok: false; message: string; file?: string; line?: number; offline?: boolean };

export interface HelmRun {
  chartDir: string;
  /** Chart files (absolute), read from disk unless a buffer holds them. */
  files: string[];
  releaseName: string;
  namespace?: string;
  /** Values files (absolute) given with -f, in order. */
  values: string[];
}

const MAX_CHART_FILES = 5000;

/** Every file of a chart directory (templates, helpers, values, vendored charts). */
export function chartFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (out.length >= MAX_CHART_FILES) return;
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== '.git' && e.name !== 'node_modules') walk(p);
      } else if (e.isFile()) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/**
 * `helm template` of one chart with one values set. Dependencies are never fetched (no
 * --dependency-update; vendored charts/ are used as they are), no post-renderer, no plugins,
 * test hooks left out, and the environment leaves no way to a cluster or the network.
 */
export async function renderHelm(
  run: HelmRun,
  tool: Tool,
  buffer: (p: string) => string | undefined,
  limits: RunLimits,
): Promise<HelmOutcome> {
  const work = makeWorkDir(run.files, [run.chartDir], buffer);
  try {
    const chart = work.toWork(run.chartDir);
    const args = ['template', run.releaseName, chart, '--skip-tests'];
    if (run.namespace) args.push('--namespace', run.namespace);
    for (const v of run.values) args.push('--values', work.toWork(v));
    const r = await runTool(tool, args, work.tmp, limits);
    if (r.stopped === 'timeout')
      return { ok: false, message: `helm template did not finish within ${limits.timeoutMs / 1000} s; not rendered.` };
    if (r.stopped === 'output-limit')
      return { ok: false, message: `helm template output passed ${limits.maxOutputBytes} bytes; not rendered.` };
    const chartName = chartNameOf(run.chartDir, buffer);
    if (r.code !== 0) {
      const raw = work.realMessage(r.stderr || r.stdout);
      // Dependencies that are not vendored would be fetched by `helm dependency build`; never here.
      if (/missing in charts\/ directory/.test(raw))
        return {
          ok: false,
          offline: true,
          message: `not rendered: ${raw.replace(/^Error:\s*/m, '').trim()} kube-netlint never fetches chart dependencies; vendor them (helm dependency build) to analyse the rendered chart. The files are analysed as plain manifests.`,
        };
      return { ok: false, ...locateError(raw, run.chartDir, chartName) };
    }
    const objects: HelmObject[] = [];
    const seen = new Map<string, number>();
    for (const chunk of r.stdout.split(/^---[ \t]*$/m)) {
      const source = /^# Source: (.+)$/m.exec(chunk)?.[1]?.trim();
      let docs: unknown[];
      try {
        docs = jsyaml.loadAll(chunk, undefined, { json: true, schema: MANIFEST_SCHEMA });
      } catch (e) {
        return { ok: false, message: `helm printed output that is not YAML: ${(e as Error).message.split('\n')[0]}` };
      }
      const template = source ? sourceFile(source, run.chartDir) : undefined;
      for (const d of docs) {
        if (!isObj(d)) continue;
        const k = template ?? '';
        const n = seen.get(k) ?? 0;
        seen.set(k, n + 1);
        objects.push({ value: d, template, doc: n });
      }
    }
    return { ok: true, objects };
  } finally {
    work.dispose();
  }
}

function chartNameOf(dir: string, buffer: (p: string) => string | undefined): string {
  const file = path.join(dir, 'Chart.yaml');
  try {
    const c = jsyaml.load(buffer(file) ?? fs.readFileSync(file, 'utf8'));
    if (isObj(c) && typeof c.name === 'string') return c.name;
  } catch {
    // Helm reports a broken Chart.yaml itself.
  }
  return path.basename(dir);
}

/** `<chart>/templates/x.yaml` (or `<chart>/charts/<sub>/templates/x.yaml`) → the real file. */
function sourceFile(source: string, chartDir: string): string {
  const rel = source.split('/').slice(1).join('/');
  return path.join(chartDir, ...rel.split('/'));
}

/** The file and line a helm error names (`template: web/templates/x.yaml:12:3: …`, `YAML parse error on …`). */
function locateError(
  raw: string,
  chartDir: string,
  chartName: string,
): { message: string; file?: string; line?: number } {
  const message = `helm template failed: ${raw.replace(/^Error:\s*/m, '').trim() || 'no message'}`;
  const t = /template: ([^\s:]+\.(?:ya?ml|tpl|txt)):(\d+)/.exec(raw);
  const y = /YAML parse error on ([^\s:]+\.ya?ml)/.exec(raw);
  const m = t ?? y;
  if (!m) return { message };
  const rel = m[1].startsWith(`${chartName}/`) ? m[1].slice(chartName.length + 1) : m[1].split('/').slice(1).join('/');
  const file = path.join(chartDir, ...rel.split('/'));
  return { message, file, line: t ? Number(t[2]) : undefined };
}
