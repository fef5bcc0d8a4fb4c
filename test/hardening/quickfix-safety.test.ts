import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import * as jsyaml from 'js-yaml';
import { parseAllDocuments, visit, isCollection, Scalar } from 'yaml';
import { Workspace, defaultAnalyzers, defaultConfig } from '../../server/src/engine';
import { codeActionsFor, CodeActionResult } from '../../server/src/engine/actions/codeActions';
import { parseYamlText } from '../../server/src/engine/parse/yamlFile';
import { isJson } from './support/json';
import { LineIndex } from '../../server/src/engine/text/lineIndex';
import type { LocatedDiagnostic } from '../../server/src/engine/diagnostic';
import '../../server/src/engine/features';

/**
 * Issue 10 item 4: every code action the engine offers, on fixtures written in every style
 * (LF, CRLF, CR, BOM, tabs, plain/single/double/block/flow scalars, non-BMP characters), is
 * applied and the result checked: it still parses, every value it did not target keeps its
 * type and value, only the lines it meant changed, the line-ending style and the BOM are as
 * they were, and the finding it was offered for is gone.
 */

const ROOT = path.resolve(__dirname, '../fixtures');

/** Fixture workspaces: a folder's YAML and JSON files, read as one workspace. */
function fixtureSets(): { name: string; files: Record<string, string> }[] {
  const out: { name: string; files: Record<string, string> }[] = [];
  const add = (dir: string) => {
    const files: Record<string, string> = {};
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.(ya?ml|json|conflist|conf)$/.test(e.name))
          files[path.relative(dir, p)] = fs.readFileSync(p, 'utf8');
      }
    };
    walk(dir);
    if (Object.keys(files).length) out.push({ name: path.relative(ROOT, dir), files });
  };
  for (const rule of fs.readdirSync(path.join(ROOT, 'rules'))) add(path.join(ROOT, 'rules', rule));
  for (const group of ['calls', 'plan'])
    for (const rule of fs.readdirSync(path.join(ROOT, group))) {
      const trigger = path.join(ROOT, group, rule, 'trigger');
      if (fs.existsSync(trigger)) add(trigger);
    }
  for (const [name, text] of Object.entries(CRAFTED))
    out.push({ name: `crafted/${name}`, files: { [`${name}.yaml`]: text } });
  return out;
}

/** Cases the issue names: quoted near misses, a suppression inside a block scalar, odd characters. */
const CRAFTED: Record<string, string> = {
  quoting: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector:
    matchLabels: {app: web, version: "1.0", flag: "true", nothing: "null"}
  template:
    metadata:
      labels: {app: web, version: "1.0", flag: "true", nothing: "null"}
    spec:
      containers: [{name: c, image: x, ports: [{name: http, containerPort: 8080}]}]
---
apiVersion: v1
kind: Service
metadata: {name: a}
spec:
  selector: {app: web, version: "1.00", flag: "true", nothing: "null"}
  ports: [{port: 80, targetPort: http}]
---
apiVersion: v1
kind: Service
metadata: {name: b}
spec:
  selector: {app: web, version: "1.0", flag: "trues", nothing: "null"}
  ports: [{port: 80, targetPort: http}]
---
apiVersion: v1
kind: Service
metadata: {name: c}
spec:
  selector: {app: web, version: '1.0', flag: 'true', nothing: 'nul'}
  ports: [{port: 80, targetPort: 'htp'}]
---
apiVersion: v1
kind: Service
metadata: {name: d}
spec:
  selector:
    app: wbe
    version: "1.0"
    flag: "true"
    nothing: "null"
  ports:
    - port: 80
      targetPort: "8080"
`,
  flannel: `apiVersion: v1
kind: ConfigMap
metadata:
  name: kube-flannel-cfg
  namespace: kube-flannel
data:
  net-conf.json: |
    {
      "Network": "10.244.0.0/33",
      "Backend": {
        "Type": "vxlan"
      }
    }
---
apiVersion: kubeadm.k8s.io/v1beta3
kind: ClusterConfiguration
networking:
  podSubnet: 10.245.0.0/16
  serviceSubnet: 10.96.0.1/12
`,
  unicode: `# 🚀 non-BMP before everything: 𝔘𝔫𝔦𝔠𝔬𝔡𝔢
apiVersion: apps/v1
kind: Deployment
metadata:
  name: émoji
  annotations: {note: "😀 smile", other: '𝒳'}
spec:
  selector:
    matchLabels: {app: "wéb"}
  template:
    metadata:
      labels: {app: "wéb", tier: 🌍}
    spec:
      containers: [{name: c, image: x, ports: [{name: http, containerPort: 8080}]}]
---
apiVersion: v1
kind: Service
metadata: {name: s, annotations: {"😀": "𝔘"}}
spec:
  selector: {app: "wéb", tier: 🌎}
  ports: [{port: 80, targetPort: htp}]
`,
};

type Style = {
  eol: '\n' | '\r\n' | '\r';
  bom: boolean;
  tabs: boolean;
  /** Per scalar: kept, plain, single, double (when the value allows); collections flow or block. */
  scalarStyles: number[];
  flow: boolean[];
};

const STYLES = ['keep', 'PLAIN', 'QUOTE_SINGLE', 'QUOTE_DOUBLE', 'BLOCK_LITERAL'] as const;

/** Rewrites a YAML file in another style with `yaml` (values unchanged, comments kept). */
function restyle(text: string, s: Style): string | undefined {
  let out = text;
  if (s.scalarStyles.length || s.flow.length) {
    const docs = parseAllDocuments(text);
    if (!Array.isArray(docs) || docs.some(d => d.errors.length)) return undefined;
    let i = 0,
      j = 0;
    for (const d of docs)
      visit(d, {
        Scalar(_, n: Scalar) {
          const pick = STYLES[s.scalarStyles[i++ % Math.max(1, s.scalarStyles.length)] ?? 0];
          if (pick !== 'keep' && typeof n.value === 'string' && !n.value.includes('\n')) n.type = pick;
        },
        Collection(_, n) {
          if (isCollection(n) && s.flow.length) n.flow = s.flow[j++ % s.flow.length] || n.flow;
        },
      });
    out = docs.map(d => d.toString({ lineWidth: 0 })).join('');
  }
  if (s.tabs) out = out.replace(/^(\s*[A-Za-z][\w.-]*:) (?=[^\s#|>])/gm, '$1\t');
  out = out.replace(/\r?\n/g, s.eol);
  return (s.bom ? '\uFEFF' : '') + out;
}

/** Leaves of the parsed documents, by path, with their JavaScript type. */
function leaves(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let docs: unknown[];
  try {
    docs = jsyaml.loadAll(text.replace(/^\uFEFF/, ''), undefined, { json: true });
  } catch {
    return out;
  }
  const walk = (v: unknown, p: string) => {
    if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) walk(x, `${p}\u0000${k}`);
      return;
    }
    out.set(p, `${v === null ? 'null' : typeof v}:${String(v)}`);
  };
  docs.forEach((d, i) => walk(d, String(i)));
  return out;
}

function breakKinds(s: string): Set<string> {
  return new Set((s.match(/\r\n|\r|\n/g) ?? []).map(b => JSON.stringify(b)));
}

function apply(text: string, edits: { range: LocatedDiagnostic['range']; newText: string }[]): string {
  const lines = new LineIndex(text);
  const sorted = edits
    .map(e => ({ s: lines.offsetAt(e.range.start), e: lines.offsetAt(e.range.end), t: e.newText }))
    .sort((a, b) => b.s - a.s);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.s) + e.t + out.slice(e.e);
  return out;
}

const stats = { workspaces: 0, actions: 0, fixes: 0, suppressions: 0 };

/** Every action on every diagnostic of a workspace, each checked on its own. */
function checkWorkspace(files: Record<string, string>, label: string): void {
  const ws = new Workspace(defaultConfig(), defaultAnalyzers());
  for (const [id, text] of Object.entries(files)) ws.setFile(id, text);
  ws.analyze();
  stats.workspaces++;
  for (const id of Object.keys(files)) {
    const file = ws.file(id)!;
    const diags = ws.diagnostics(id);
    const seen = new Set<string>();
    for (const d of diags) {
      for (const action of codeActionsFor(diags, file, d.range)) {
        if (action.diagnostic !== d) continue;
        const key = `${action.title}|${JSON.stringify(action.edits)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        checkAction(ws, files, id, d, action, label);
      }
    }
  }
}

function checkAction(
  ws: Workspace,
  files: Record<string, string>,
  id: string,
  d: LocatedDiagnostic,
  action: CodeActionResult,
  label: string,
): void {
  stats.actions++;
  const suppression = action.title.startsWith('Suppress ');
  if (suppression) stats.suppressions++;
  else stats.fixes++;
  const where = `${label} ${id}: "${action.title}" for ${d.code} at ${d.range.start.line}:${d.range.start.character}`;
  const changed: Record<string, string> = { ...files };
  const byFile = new Map<string, typeof action.edits>();
  for (const e of action.edits) byFile.set(e.fileId, [...(byFile.get(e.fileId) ?? []), e]);
  for (const [fid, edits] of byFile) {
    const before = files[fid];
    assert.ok(before !== undefined, `${where}: edits a file outside the workspace`);
    const after = apply(before, edits);
    changed[fid] = after;
    const isYaml = /\.ya?ml$/.test(fid);
    // 1. It still parses (no new syntax error, repeat or refused document).
    if (isYaml) {
      const was = parseYamlText(before).problems.map(p => p.kind);
      for (const k of parseYamlText(after).problems.map(p => p.kind))
        assert.ok(was.includes(k), `${where}: ${k} after the edit:\n${after}`);
    }
    if (!isYaml && isJson(before)) assert.ok(isJson(after), `${where}: JSON broken`);
    // 2. BOM and line-ending style unchanged; nothing inserted before the BOM.
    assert.equal(after.startsWith('\uFEFF'), before.startsWith('\uFEFF'), `${where}: BOM`);
    assert.equal((after.match(/\uFEFF/g) ?? []).length, (before.match(/\uFEFF/g) ?? []).length, `${where}: BOM copied`);
    const kinds = breakKinds(before);
    for (const e of edits)
      for (const k of breakKinds(e.newText))
        assert.ok(kinds.size === 0 || kinds.has(k), `${where}: inserts ${k} into a file with ${[...kinds]}`);
    // 3. Only the intended lines: a fix stays within its lines; a suppression adds one comment line
    //    (or extends the directive above) and changes no value.
    const lines = new LineIndex(before);
    for (const e of edits) {
      if (suppression) {
        const isInsert = e.range.start.line === e.range.end.line && e.range.start.character === e.range.end.character;
        assert.ok(isInsert, `${where}: a suppression replaces text`);
        const inserted = e.newText.replace(/(\r\n|\r|\n)$/, '');
        assert.ok(!/[\r\n]/.test(inserted), `${where}: more than one line`);
        assert.match(inserted, /^(?:[ \t]*# kube-netlint-disable-next-line [a-z0-9-]+|[ ,][a-z0-9-]+)$/, where);
      } else {
        assert.ok(e.range.end.line - e.range.start.line <= 12, `${where}: edit spans many lines`);
      }
    }
    // 4. Every value the edit did not target keeps its type and value.
    const b = leaves(before),
      a = leaves(after);
    const targets = edits.map(e => lines.offsetAt(e.range.start));
    const touched = targets.map(o => {
      const at = ws.file(fid)?.locator.pathAt(o);
      return at ? `${at.doc}${at.path.map(p => `\u0000${p}`).join('')}` : undefined;
    });
    for (const [p, v] of b) {
      if (touched.some(t => t === undefined || p === t || p.startsWith(`${t}\u0000`) || t.startsWith(`${p}\u0000`)))
        continue;
      assert.equal(a.get(p), v, `${where}: untouched ${p.split('\u0000').join('.')} changed`);
    }
    if (suppression) assert.deepEqual([...a], [...b], `${where}: a suppression changed a value`);
  }
  // 5. The finding it was offered for is gone.
  const again = new Workspace(defaultConfig(), defaultAnalyzers());
  for (const [fid, text] of Object.entries(changed)) again.setFile(fid, text);
  again.analyze();
  const still = again.diagnostics(id).filter(x => x.code === d.code && x.message === d.message);
  assert.ok(
    still.length < ws.diagnostics(id).filter(x => x.code === d.code && x.message === d.message).length,
    `${where}: the finding is still there`,
  );
}

const SETS = fixtureSets();

describe('every code action on every fixture', () => {
  for (const eol of ['\n', '\r\n', '\r'] as const)
    for (const bom of [false, true])
      test(`as written, line ends ${JSON.stringify(eol)}${bom ? ', with a BOM' : ''}`, () => {
        for (const set of SETS) {
          const files: Record<string, string> = {};
          for (const [id, text] of Object.entries(set.files))
            files[id] = (bom ? '\uFEFF' : '') + text.replace(/\r?\n/g, eol);
          checkWorkspace(files, set.name);
        }
      });

  test('restyled fixtures: random quoting, flow/block collections, tabs, line ends, BOM', () => {
    const yamlSets = SETS.filter(s => Object.keys(s.files).some(f => /\.ya?ml$/.test(f)));
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: yamlSets.length - 1 }),
        fc.record({
          eol: fc.constantFrom('\n' as const, '\r\n' as const, '\r' as const),
          bom: fc.boolean(),
          tabs: fc.boolean(),
          scalarStyles: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 12 }),
          flow: fc.array(fc.boolean(), { maxLength: 6 }),
        }),
        (i, style) => {
          const set = yamlSets[i];
          const files: Record<string, string> = {};
          for (const [id, text] of Object.entries(set.files)) {
            const restyled = /\.ya?ml$/.test(id) ? restyle(text, style) : text;
            if (restyled === undefined) return;
            // Only variants that read as the original did (a restyle must not change values).
            if (/\.ya?ml$/.test(id) && JSON.stringify([...leaves(restyled)]) !== JSON.stringify([...leaves(text)]))
              return;
            files[id] = restyled;
          }
          checkWorkspace(files, `${set.name} ${JSON.stringify(style)}`);
        },
      ),
      { numRuns: 120, seed: 4 },
    );
    console.log(
      `quick-fix safety: ${stats.workspaces} workspaces, ${stats.actions} actions (${stats.fixes} fixes, ${stats.suppressions} suppressions)`,
    );
    assert.ok(stats.fixes > 100 && stats.suppressions > 100, JSON.stringify(stats));
  });
});

describe('the cases the issue names', () => {
  const only = (text: string) => {
    const ws = new Workspace(defaultConfig(), defaultAnalyzers());
    ws.setFile('a.yaml', text);
    ws.analyze();
    return { ws, diags: ws.diagnostics('a.yaml') };
  };
  const fixText = (text: string, code: string, match: RegExp) => {
    const { ws, diags } = only(text);
    const d = diags.find(x => x.code === code && match.test(x.message));
    assert.ok(d, JSON.stringify(diags.map(x => x.message)));
    const a = codeActionsFor(diags, ws.file('a.yaml'), d.range).find(x => !x.title.startsWith('Suppress'));
    assert.ok(a, 'a fix is offered');
    return apply(text, a.edits);
  };

  test('near-miss fixes keep the quoting: "1.00" stays a string, so do "trues" and "nul"', () => {
    const t = CRAFTED.quoting;
    assert.match(fixText(t, 'service-selector-no-match', /"1\.00"|1\.00/), /version: "1\.0"/);
    assert.match(fixText(t, 'service-selector-no-match', /trues/), /flag: "true"/);
    assert.match(fixText(t, 'service-selector-no-match', /nul\b/), /nothing: 'null'/);
    assert.match(fixText(t, 'service-selector-no-match', /wbe/), /\n {4}app: web\n/);
    // A quoted number meant as a port becomes the number.
    assert.match(fixText(t, 'port-name-invalid', /8080/), /targetPort: 8080\n/);
  });

  test('a value with an explicit tag (`app: !!int "80"`) gets no fix: the tag would stay and not fit', () => {
    // Found by the fuzzer (seed 1202): "Change selector to app: hello" wrote `app: !!int hello`.
    const text = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: hello}
spec:
  selector:
    matchLabels:
      app: !!int "80"
  template:
    metadata:
      labels:
        app: hello
    spec:
      containers: [{name: c, image: x}]
`;
    const { ws, diags } = only(text);
    const d = diags.find(x => x.code === 'workload-selector-mismatch');
    assert.ok(d, JSON.stringify(diags.map(x => x.code)));
    const actions = codeActionsFor(diags, ws.file('a.yaml'), d.range);
    assert.deepEqual(
      actions.filter(x => !x.title.startsWith('Suppress')).map(x => x.title),
      [],
    );
    assert.ok(
      actions.some(x => x.title.startsWith('Suppress')),
      'suppressing it is still offered',
    );
  });

  test('"suppress on this line" inside flannel\u2019s net-conf.json goes above the key, and works', () => {
    const { ws, diags } = only(CRAFTED.flannel);
    const inside = diags.find(d => d.range.start.line >= 7 && d.range.start.line <= 12);
    assert.ok(inside, JSON.stringify(diags.map(d => `${d.range.start.line} ${d.code}`)));
    const s = codeActionsFor(diags, ws.file('a.yaml'), inside.range).find(x => x.title.startsWith('Suppress'))!;
    assert.deepEqual(s.edits[0].range.start, { line: 6, character: 0 });
    assert.equal(s.edits[0].newText, `  # kube-netlint-disable-next-line ${inside.code}\n`);
    const after = apply(CRAFTED.flannel, s.edits);
    assert.ok(!only(after).diags.some(d => d.code === inside.code && d.message === inside.message));
  });

  test('CR-only files get the comment on the finding\u2019s line, CRLF files a CRLF, a BOM stays single', () => {
    const base = CRAFTED.quoting;
    for (const [eol, bom] of [
      ['\r', false],
      ['\r\n', false],
      ['\n', true],
    ] as const) {
      const text = (bom ? '\uFEFF' : '') + base.replace(/\n/g, eol);
      const { ws, diags } = only(text);
      const d = diags.find(x => x.code === 'service-selector-no-match')!;
      const s = codeActionsFor(diags, ws.file('a.yaml'), d.range).find(x => x.title.startsWith('Suppress'))!;
      assert.equal(s.edits[0].range.start.line, d.range.start.line);
      assert.ok(s.edits[0].newText.endsWith(`${eol}`) && !s.edits[0].newText.slice(0, -eol.length).match(/[\r\n]/));
    }
    // On the first line of a BOM file the comment goes after the BOM.
    const first =
      '\uFEFF{apiVersion: v1, kind: Service, metadata: {name: s}, spec: {selector: {app: x}, ports: [{port: 80}]}}\n';
    const { ws, diags } = only(first);
    const d = diags.find(x => x.code === 'service-selector-no-match')!;
    assert.equal(d.range.start.line, 0);
    const s = codeActionsFor(diags, ws.file('a.yaml'), d.range).find(x => x.title.startsWith('Suppress'))!;
    assert.deepEqual(s.edits[0].range.start, { line: 0, character: 1 });
    const after = apply(first, s.edits);
    assert.ok(after.startsWith('\uFEFF# kube-netlint-disable-next-line service-selector-no-match\n{'));
    assert.ok(!only(after).diags.some(x => x.code === 'service-selector-no-match'));
  });
});
