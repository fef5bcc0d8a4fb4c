import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as jsyaml from 'js-yaml';
import { Workspace, defaultAnalyzers, parseConfigText } from '../../server/src/engine';
import { parseYamlText } from '../../server/src/engine/parse/yamlFile';
import { allowedAliasRatio, measureExpansion } from '../../server/src/engine/parse/expansion';
import { hoverAt } from '../../server/src/engine/hover';
import { codeLensesFor } from '../../server/src/engine/codelens';
import '../../server/src/engine/features';

/**
 * Issue 10 item 1: aliases are shared references after parsing, and anything that walks or
 * stringifies a value expands them. Nine anchors of nine aliases (387 million strings) used as
 * labels, a selector, a config's `rules:` or a NetworkPolicy `except` crashed the CLI and the
 * server. The parse level now refuses such a document with a diagnostic, and every other
 * document and file is analysed.
 */

/** The classic "billion laughs": anchor a0 holds nine strings, each a<i> nine aliases of a<i-1>. */
function bomb(levels = 9, width = 9): string {
  const lines = ['x-bomb:', `  a0: &a0 [${Array(width).fill('"lol"').join(', ')}]`];
  for (let i = 1; i < levels; i++)
    lines.push(
      `  a${i}: &a${i} [${Array(width)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  return lines.join('\n') + '\n';
}
const TOP = '*a8';

/** A Service whose selector matches nothing: a finding that must survive next to a bomb. */
const LONELY_SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: lonely
spec:
  selector:
    app: nobody
  ports:
    - port: 80
`;

const CASES: Record<string, string> = {
  'metadata.labels': `${bomb()}apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: ${TOP}
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers: [{name: c, image: x}]
`,
  'a Service selector': `${bomb()}apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: ${TOP}
  ports: [{port: 80}]
`,
  'a NetworkPolicy except': `${bomb()}apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: np
spec:
  podSelector: {}
  ingress:
    - from:
        - ipBlock:
            cidr: 10.0.0.0/8
            except: ${TOP}
`,
  'a CNI config in a ConfigMap': `${bomb()}apiVersion: v1
kind: ConfigMap
metadata:
  name: kube-flannel-cfg
  namespace: kube-flannel
data:
  cni-conf.json: ${TOP}
  net-conf.json: ${TOP}
`,
  'annotations of a Pod': `${bomb()}apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations:
    k8s.v1.cni.cncf.io/networks: ${TOP}
    kube-netlint.io/ignore: ${TOP}
spec:
  containers: [{name: c, image: x, ports: [{containerPort: 80, name: ${TOP}}]}]
`,
  'a self-referencing anchor': `apiVersion: v1
kind: Service
metadata:
  name: loop
  labels: &l
    app: web
    again: *l
spec:
  selector: &s {app: web, self: *s}
  ports: [{port: 80}]
`,
  'one long string repeated by aliases': `apiVersion: v1
kind: ConfigMap
metadata:
  name: big
data:
  a: &big "${'x'.repeat(200_000)}"
  list: [${Array(200).fill('*big').join(', ')}]
apiVersionPadding: [${Array(2000).fill('0').join(', ')}]
`,
};

function analyse(files: Record<string, string>) {
  const ws = new Workspace(undefined, defaultAnalyzers());
  for (const [id, text] of Object.entries(files)) ws.setFile(id, text);
  ws.analyze();
  return ws;
}

for (const [where, text] of Object.entries(CASES)) {
  test(`alias bomb in ${where}: one diagnostic, the rest of the file and workspace analysed`, () => {
    // The bomb shares its file with a healthy document, and the workspace with another file.
    const file = `${text}---\n${LONELY_SERVICE}`;
    const ws = analyse({ 'bomb.yaml': file, 'other.yaml': LONELY_SERVICE.replace('lonely', 'other') });
    const diags = ws.diagnostics('bomb.yaml');
    const refused = diags.filter(d => d.code === 'yaml-excessive-aliasing');
    assert.equal(refused.length, 1, JSON.stringify(diags.map(d => d.code)));
    assert.equal(refused[0].severity, 'error');
    assert.match(refused[0].message, /alias/);
    // The diagnostic sits on an alias or the anchor that loops, inside the bad document.
    const line = file.split('\n')[refused[0].range.start.line];
    assert.match(line.slice(refused[0].range.start.character), /^\*/, line);
    assert.ok(diags.some(d => d.code === 'service-selector-no-match' && /nobody/.test(d.message)));
    assert.ok(ws.diagnostics('other.yaml').some(d => d.code === 'service-selector-no-match'));
    // Hovers and lenses everywhere in the file stay answerable.
    for (let o = 0; o < Math.min(file.length, 4000); o += 7) hoverAt(ws, 'bomb.yaml', o);
    codeLensesFor(ws, 'bomb.yaml');
  });
}

test('the measure stops early: a bomb costs about what its own text costs', () => {
  const parsed = parseYamlText(CASES['metadata.labels']);
  assert.equal(parsed.problems.length, 1);
  // Measuring the raw value again shows where it stopped: a few thousand nodes, not 387 million.
  const raw = jsyaml.load(CASES['metadata.labels'], { json: true });
  const e = measureExpansion(raw, 10_000_000);
  assert.equal(e.refused, 'size');
  assert.ok(e.nodes < 10_000, `${e.nodes} nodes decoded before refusing`);
});

test('the refusal rule is go-yaml\u2019s: anchors used the way manifests use them are fine', () => {
  // Shared labels reused by selector and template, and a YAML merge key: normal, accepted.
  const ok = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: &labels {app: web, tier: front}
spec:
  selector:
    matchLabels: *labels
  template:
    metadata:
      labels:
        <<: *labels
        extra: "yes"
    spec:
      containers: [{name: c, image: x, ports: [{containerPort: 8080, name: http}]}]
---
apiVersion: v1
kind: Service
metadata:
  name: web
  labels: &svc {app: web, tier: front}
spec:
  selector: *svc
  ports: [{port: 80, targetPort: htp}]
`;
  const ws = analyse({ 'ok.yaml': ok });
  const codes = ws.diagnostics('ok.yaml').map(d => d.code);
  assert.ok(!codes.includes('yaml-excessive-aliasing'));
  // The selector matches through the alias and the merge key; the real finding is reported.
  assert.deepEqual(codes, ['service-target-port-unresolved']);
  assert.equal(allowedAliasRatio(1000), 0.99);
  assert.equal(allowedAliasRatio(4_000_000), 0.1);
  assert.ok(Math.abs(allowedAliasRatio(2_200_000) - 0.545) < 1e-9);
  // Many aliases in a big document are fine while most nodes are not aliased.
  const items = Array.from({ length: 3000 }, (_, i) => `  - {name: n${i}, v: *x}`).join('\n');
  assert.equal(parseYamlText(`a: &x {k: v}\nlist:\n${items}\n`).problems.length, 0);
});

test('after a syntax error elsewhere in the file (the `yaml` recovery path), a bomb is still refused', () => {
  const text = `${CASES['a Service selector']}---\nbroken: [unclosed\n---\n${LONELY_SERVICE}`;
  const parsed = parseYamlText(text);
  assert.deepEqual(parsed.problems.map(p => p.kind).sort(), ['aliases', 'syntax']);
  const ws = analyse({ 'f.yaml': text });
  assert.ok(ws.diagnostics('f.yaml').some(d => d.code === 'service-selector-no-match'));
});

test('.kube-netlint.yaml with an alias bomb in rules: a configuration problem, defaults kept', () => {
  const { config, problems } = parseConfigText(`${bomb()}rules:\n  service-selector-no-match: ${TOP}\n`);
  assert.equal(problems.length, 1);
  assert.match(problems[0].message, /cannot parse configuration: .*alias/);
  assert.equal(Object.keys(config.rules).length, 0);
});

test('YAML embedded in a ConfigMap string (kubeadm-config) with a bomb is refused, the file analysed', () => {
  const embedded = bomb()
    .split('\n')
    .map(l => `    ${l}`)
    .join('\n');
  const text = `apiVersion: v1
kind: ConfigMap
metadata:
  name: kubeadm-config
  namespace: kube-system
data:
  ClusterConfiguration: |
${embedded}
    apiVersion: kubeadm.k8s.io/v1beta3
    kind: ClusterConfiguration
    networking:
      podSubnet: ${TOP}
---
${LONELY_SERVICE}`;
  const ws = analyse({ 'kubeadm.yaml': text });
  assert.ok(ws.diagnostics('kubeadm.yaml').some(d => d.code === 'service-selector-no-match'));
});

const CLI = path.resolve(__dirname, '../../dist/cli.js');
before(() => assert.ok(fs.existsSync(CLI), 'run npm run build first (npm test does)'));

test('the CLI under a 256 MB heap: every bomb case reported, exit 1, no crash', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kn-alias-'));
  try {
    const names = Object.keys(CASES).map((_, i) => `case${i}`);
    Object.values(CASES).forEach((text, i) => {
      fs.mkdirSync(path.join(dir, names[i]));
      fs.writeFileSync(path.join(dir, names[i], 'bomb.yaml'), `${text}---\n${LONELY_SERVICE}`);
    });
    // A bombed configuration is refused like any invalid one (issue 11 item 5: exit 2 with
    // file:line), without expanding it and without a crash.
    const config = path.join(dir, '.kube-netlint.yaml');
    fs.writeFileSync(config, `${bomb()}rules:\n  service-selector-no-match: ${TOP}\n`);
    const refused = spawnSync(process.execPath, ['--max-old-space-size=256', CLI, '--format', 'json', dir], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(refused.signal, null, refused.stderr);
    assert.equal(refused.status, 2, refused.stderr);
    assert.match(refused.stderr, /\.kube-netlint\.yaml:\d+:\d+: cannot parse configuration: .*alias/);
    fs.rmSync(config);
    const r = spawnSync(process.execPath, ['--max-old-space-size=256', CLI, '--format', 'json', dir], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(r.signal, null, r.stderr);
    assert.equal(r.status, 1, r.stderr);
    const out = JSON.parse(r.stdout) as { file: string; code: string }[];
    for (const n of names) {
      const mine = out.filter(d => d.file.includes(`${n}${path.sep}`));
      assert.ok(
        mine.some(d => d.code === 'yaml-excessive-aliasing'),
        `${n}: ${JSON.stringify(mine)}`,
      );
      assert.ok(
        mine.some(d => d.code === 'service-selector-no-match'),
        n,
      );
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the example on docs/rules/yaml-excessive-aliasing.md is refused where the page says', () => {
  const page = fs.readFileSync(path.resolve(__dirname, '../../docs/rules/yaml-excessive-aliasing.md'), 'utf8');
  const example = /## Example\n\n```yaml\n([\s\S]*?)```/.exec(page)![1];
  const ws = analyse({ 'example.yaml': example });
  const d = ws.diagnostics('example.yaml').find(x => x.code === 'yaml-excessive-aliasing');
  assert.ok(d);
  assert.equal(d.range.start.line + 1, 3);
});

// parseYamlText measures only files holding both a `*` and a `&` (yamlFile.ts mayHoldAliases):
// without an anchor nothing is shared, so the measure could not refuse, however large the text.
test('documents without an anchor are never refused, so files without a `&` need no measuring', () => {
  const texts = [
    'rules:\n- apiGroups: ["*"]\n  resources: ["*"]\n  verbs: ["*"]\n',
    'spec:\n  schedule: "*/5 * * * *"\n',
    `data:\n  big: "${'x'.repeat(200_000)}"\n  list: [${Array(20_000).fill('"*"').join(', ')}]\n`,
    `x: {${Array.from({ length: 5000 }, (_, i) => `k${i}: [a, b, {c: d}]`).join(', ')}}\n`,
  ];
  for (const text of texts)
    for (const d of jsyaml.loadAll(text)) assert.equal(measureExpansion(d, text.length + 1).refused, undefined);
  // With an anchor the file is still measured, and a bomb refused.
  assert.ok(parseYamlText(bomb()).problems.some(p => p.kind === 'aliases'));
});
