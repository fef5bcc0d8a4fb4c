import assert from 'node:assert/strict';
import { Workspace, defaultAnalyzers, defaultConfig } from '../../../server/src/engine';
import { codeActionsFor } from '../../../server/src/engine/actions/codeActions';
import { hoverAt } from '../../../server/src/engine/hover';
import { codeLensesFor } from '../../../server/src/engine/codelens';
import { PREVIEW_TRAFFIC_PATH_COMMAND } from '../../../server/src/engine/codelens/tracePathLens';
import { SHOW_PROXY_RULES_COMMAND } from '../../../server/src/engine/codelens/proxyRulesLens';
import { EntryError, renderMarkdown, renderText, tracePath } from '../../../server/src/engine/path';
import { findService, nodeProxy, proxySettings, renderRules } from '../../../server/src/engine/netfilter';
import { parseYamlText } from '../../../server/src/engine/parse/yamlFile';
import { LineIndex } from '../../../server/src/engine/text/lineIndex';
import type { LocatedDiagnostic, LocatedEdit } from '../../../server/src/engine/diagnostic';
import '../../../server/src/engine/features';
import { isJson } from '../support/json';

/**
 * The untouched file beside every mutant: in a namespace no mutant can name, with two findings
 * that nothing else in the workspace can change (a selector that matches nothing, a targetPort
 * name the pods do not declare). Whatever the mutant does, these are reported identically.
 */
export const SENTINEL_ID = 'sentinel/untouched.yaml';
export const SENTINEL = `apiVersion: apps/v1
kind: Deployment
metadata: {name: sentinel-web, namespace: kn-fuzz-sentinel}
spec:
  selector: {matchLabels: {app: sentinel-web}}
  template:
    metadata: {labels: {app: sentinel-web}}
    spec:
      containers: [{name: c, image: x, ports: [{name: http, containerPort: 8080}]}]
---
apiVersion: v1
kind: Service
metadata: {name: sentinel-lonely, namespace: kn-fuzz-sentinel}
spec:
  selector: {app: sentinel-nobody}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: sentinel-web, namespace: kn-fuzz-sentinel}
spec:
  selector: {app: sentinel-web}
  ports: [{port: 80, targetPort: htp}]
`;
export const SENTINEL_CODES = ['service-selector-no-match', 'service-target-port-unresolved'];

/** A hang detector, not a speed target: milliseconds of CPU time for one mutant. */
export const MAX_MS_PER_FILE = 10_000;

export interface FuzzStats {
  mutants: number;
  bytes: number;
  diagnostics: number;
  hovers: number;
  lenses: number;
  actions: number;
  slowestMs: number;
  slowest: string;
}

export function newStats(): FuzzStats {
  return { mutants: 0, bytes: 0, diagnostics: 0, hovers: 0, lenses: 0, actions: 0, slowestMs: 0, slowest: '' };
}

export interface Mutant {
  id: string;
  original: string;
  text: string;
  siblings: Record<string, string>;
  /** Offsets (fractions of 1e6 of the text) to hover at, besides every diagnostic's start. */
  hovers: number[];
  /** Open the workspace with the original and type the mutant over it (the editor's path), or read it fresh. */
  incremental: boolean;
}

function diagnosticsKey(ds: LocatedDiagnostic[]): string {
  return JSON.stringify(ds);
}

/** What the sentinel reports next to the unmutated file: the reference every mutant is held to. */
const expectedCache = new Map<string, string>();
function expectedSentinel(m: Mutant): string {
  const key = `${m.id}\u0000${m.original.length}`;
  let v = expectedCache.get(key);
  if (v === undefined) {
    const ws = workspaceOf({ ...m.siblings, [SENTINEL_ID]: SENTINEL, [m.id]: m.original });
    const ds = ws.diagnostics(SENTINEL_ID);
    assert.deepEqual([...new Set(ds.map(d => d.code))].sort(), SENTINEL_CODES, `sentinel beside ${m.id}`);
    v = diagnosticsKey(ds);
    expectedCache.set(key, v);
  }
  return v;
}

function workspaceOf(files: Record<string, string>): Workspace {
  const ws = new Workspace(defaultConfig(), defaultAnalyzers());
  for (const [id, text] of Object.entries(files)) ws.setFile(id, text);
  ws.analyze();
  return ws;
}

/**
 * Everything a front end does with a file, on the mutant: analysis (fresh, or the mutant typed
 * over the original), diagnostics of every file, hovers, code lenses and the commands they carry,
 * every code action applied. Throws (an assertion or the engine's own exception) on the first
 * thing wrong.
 */
export function checkMutant(m: Mutant, stats: FuzzStats): void {
  const expected = expectedSentinel(m);
  // Only the engine's own calls count towards the bound (not this harness's checks of their answers),
  // in CPU time: on a machine shared with other work, wall time says more about the neighbours.
  let engineMs = 0;
  const timed = <T>(f: () => T): T => {
    const before = process.cpuUsage();
    try {
      return f();
    } finally {
      const used = process.cpuUsage(before);
      engineMs += (used.user + used.system) / 1000;
    }
  };
  const ws = timed(() => {
    if (!m.incremental) return workspaceOf({ ...m.siblings, [SENTINEL_ID]: SENTINEL, [m.id]: m.text });
    const w = workspaceOf({ ...m.siblings, [SENTINEL_ID]: SENTINEL, [m.id]: m.original });
    w.setFile(m.id, m.text);
    w.analyze();
    return w;
  });
  for (const id of ws.fileIds()) stats.diagnostics += timed(() => ws.diagnostics(id)).length;
  const diags = ws.diagnostics(m.id);
  const lines = new LineIndex(m.text);
  for (const d of diags)
    assert.ok(d.range.end.line < lines.lineCount, `${d.code} at line ${d.range.end.line + 1}: past the end`);

  const offsets = [
    ...m.hovers.map(h => Math.floor((h / 1_000_000) * (m.text.length + 1))),
    ...diags.slice(0, 20).map(d => lines.offsetAt(d.range.start)),
  ];
  for (const o of offsets) {
    timed(() => hoverAt(ws, m.id, o));
    stats.hovers++;
  }

  for (const lens of timed(() => codeLensesFor(ws, m.id)).slice(0, 6)) {
    stats.lenses++;
    timed(() => runLens(ws, lens.command, lens.arguments[0] as { from?: string; service?: string }));
  }

  checkActions(ws, m, diags, stats, timed);

  assert.ok(engineMs < MAX_MS_PER_FILE, `${Math.round(engineMs)} ms of CPU for one mutant (a hang?)`);
  if (engineMs > stats.slowestMs) {
    stats.slowestMs = engineMs;
    stats.slowest = m.id;
  }
  assert.equal(diagnosticsKey(ws.diagnostics(SENTINEL_ID)), expected, 'the untouched file reports differently');
  if (m.incremental) {
    // An edit is answered as a fresh read of the same files would be (the incremental update is exact).
    const fresh = workspaceOf({ ...m.siblings, [SENTINEL_ID]: SENTINEL, [m.id]: m.text });
    for (const id of fresh.fileIds())
      assert.equal(diagnosticsKey(ws.diagnostics(id)), diagnosticsKey(fresh.diagnostics(id)), `${id} after the edit`);
  }
  stats.mutants++;
  stats.bytes += m.text.length;
}

/** What the server does when a lens is clicked in a client without views of its own (lsp/commands.ts). */
function runLens(ws: Workspace, command: string, arg: { from?: string; service?: string }): void {
  if (command === PREVIEW_TRAFFIC_PATH_COMMAND && arg.from) {
    try {
      const model = tracePath(ws, { from: arg.from });
      renderText(model);
      renderMarkdown(model);
    } catch (e) {
      // An entry that no longer reads is answered with the reason, as the server does.
      if (!(e instanceof EntryError)) throw e;
    }
  } else if (command === SHOW_PROXY_RULES_COMMAND && arg.service) {
    const svc = findService(ws, arg.service);
    if (!svc) return;
    const settings = proxySettings(ws, {});
    renderRules(nodeProxy(ws, settings, [svc]), settings.mode, 'restore');
  }
}

/** Actions applied per mutant, and the largest file whose edited text is parsed again. */
const MAX_ACTIONS = 12;
const MAX_REPARSED = 200_000;

/** Every action offered for the mutant's diagnostics, applied: the result parses as well as the mutant did. */
function checkActions(
  ws: Workspace,
  m: Mutant,
  diags: LocatedDiagnostic[],
  stats: FuzzStats,
  timed: <T>(f: () => T) => T,
): void {
  const file = ws.file(m.id);
  const seen = new Set<string>();
  const problemsBefore = new Map<string, Set<string>>();
  for (const d of diags.slice(0, 30)) {
    for (const action of timed(() => codeActionsFor(diags, file, d.range))) {
      if (seen.size >= MAX_ACTIONS) return;
      const key = `${action.title}|${JSON.stringify(action.edits)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const byFile = new Map<string, LocatedEdit[]>();
      for (const e of action.edits) byFile.set(e.fileId, [...(byFile.get(e.fileId) ?? []), e]);
      for (const [fid, edits] of byFile) {
        const before = ws.file(fid)?.text;
        assert.ok(before !== undefined, `"${action.title}" edits ${fid}, which is not in the workspace`);
        const after = applyEdits(before, edits);
        stats.actions++;
        // Re-parsing a huge mutant per action costs seconds; its actions are still listed above.
        if (before.length > MAX_REPARSED) continue;
        const where = `"${action.title}" for ${d.code} at ${d.range.start.line}:${d.range.start.character} in ${fid}`;
        if (ws.file(fid)!.kind === 'yaml') {
          let was = problemsBefore.get(fid);
          if (!was) problemsBefore.set(fid, (was = new Set(parseYamlText(before).problems.map(p => p.kind))));
          for (const p of parseYamlText(after).problems)
            assert.ok(was.has(p.kind), `${where}: ${p.kind} (${p.message}) after the edit`);
        } else if (isJson(before)) assert.ok(isJson(after), `${where}: JSON broken`);
      }
    }
  }
}

export function applyEdits(text: string, edits: readonly LocatedEdit[]): string {
  const lines = new LineIndex(text);
  const sorted = edits
    .map(e => ({ s: lines.offsetAt(e.range.start), e: lines.offsetAt(e.range.end), t: e.newText }))
    .sort((a, b) => b.s - a.s);
  let out = text;
  for (let i = 0; i < sorted.length; i++) {
    const e = sorted[i];
    assert.ok(e.s <= e.e && (i === 0 || e.e <= sorted[i - 1].s), 'edits overlap or run backwards');
    out = out.slice(0, e.s) + e.t + out.slice(e.e);
  }
  return out;
}
