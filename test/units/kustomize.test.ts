import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Project, defaultConfig, loadProject } from '../../server/src/engine';
import { Renderers } from '../../server/src/engine/render/service';
import { hoverAt } from '../../server/src/engine/hover';
import '../../server/src/engine/features';
import { KUSTOMIZE, noKustomize, tree } from './support';

const OVERLAYS = path.resolve(__dirname, '../fixtures/units/overlays');
const renderer = () => new Renderers({ trusted: true, kustomizePath: KUSTOMIZE?.path });
const lineOf = (file: string, needle: string) =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .findIndex(l => l.includes(needle));

describe('Kustomize units rendered with the real tool', { skip: noKustomize }, () => {
  it("prod's patch sets targetPort: metrcs: the finding lands on the patch's targetPort, with the fix there", async () => {
    const p = await loadProject([OVERLAYS], defaultConfig(), renderer());
    assert.deepEqual(
      p.units().map(u => [u.name, u.state]),
      [
        ['dev', 'rendered'],
        ['prod', 'rendered'],
        ['plain', 'plain'],
      ],
    );
    const patch = path.join(OVERLAYS, 'prod/service-metrics.yaml');
    const [d, ...more] = p.fileIds().flatMap(f => p.diagnostics(f));
    assert.deepEqual(more, []);
    assert.equal(d.code, 'service-target-port-unresolved');
    assert.equal(d.fileId, patch);
    const line = lineOf(patch, 'targetPort: metrcs');
    assert.deepEqual(d.range, {
      start: { line, character: 18 },
      end: { line, character: 24 },
    });
    assert.match(d.message, /Deployment prod\/api/);
    const fix = d.fixes.find(f => /metrics/.test(f.title));
    assert.ok(fix, 'offers the declared port name');
    assert.deepEqual(
      fix.edits.map(e => [e.fileId, e.range.start.line, e.newText]),
      [[patch, line, 'metrics']],
    );
    // The base file is analysed once per overlay, with the overlay's objects.
    const base = path.join(OVERLAYS, 'base/service.yaml');
    assert.deepEqual(
      p.unitsOf(base).map(u => u.ws.file(base)?.resources.map(r => `${r.namespace}/${r.name}`)),
      [['dev/api'], ['prod/api']],
    );
    // Origin annotations are gone before the rules see the objects.
    const svc = p.unit('prod')!.ws.file(base)!.resources[0];
    assert.equal(JSON.stringify(svc.value).includes('config.kubernetes.io'), false);
  });

  it('hovers in a base file answer with the rendered objects of the unit', async () => {
    const p = await loadProject([OVERLAYS], defaultConfig(), renderer());
    const base = path.join(OVERLAYS, 'base/service.yaml');
    const ws = p.workspaceFor(base)!;
    const text = fs.readFileSync(base, 'utf8');
    const h = hoverAt(ws, base, text.indexOf('name: api') + 7);
    assert.ok(h, 'hover');
    assert.match(h.markdown, /KUBE-SVC-/);
    assert.match(h.markdown, /dev\/api/);
  });

  it('an unsaved edit of the patch re-renders the unit from the buffer; undoing it hits the cache', async () => {
    const patch = path.join(OVERLAYS, 'prod/service-metrics.yaml');
    const r = renderer();
    const p = await loadProject([OVERLAYS], defaultConfig(), r);
    const text = fs.readFileSync(patch, 'utf8');
    p.setFile(patch, text.replace('metrcs', 'metrics'));
    p.analyze();
    await p.settled();
    p.analyze();
    assert.deepEqual(
      p.fileIds().flatMap(f => p.diagnostics(f)),
      [],
    );
    assert.equal(fs.readFileSync(patch, 'utf8'), text, 'the engine never writes user files');
    const runs = r.runs;
    p.setFile(patch, text);
    p.analyze();
    await p.settled();
    p.analyze();
    assert.equal(r.runs, runs, 'the earlier render came from the cache');
    assert.equal(p.diagnostics(patch).length, 1);
  });

  it('a render error is one diagnostic on the kustomization with the tool message; the files stay analysed', async () => {
    const dir = tree({
      'app/kustomization.yaml': 'resources:\n  - svc.yaml\n  - missing.yaml\n',
      'app/svc.yaml':
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  selector:\n    app: none\n  ports:\n    - port: 80\n',
    });
    const p = await loadProject([dir], defaultConfig(), renderer());
    const k = path.join(dir, 'app/kustomization.yaml');
    const [note, ...rest] = p.diagnostics(k);
    assert.deepEqual(rest, []);
    assert.equal(note.code, 'render-failed');
    assert.equal(note.severity, 'warning');
    assert.match(note.message, /missing\.yaml/);
    assert.doesNotMatch(note.message, /kube-netlint-render-/, 'temporary paths are not shown');
    assert.deepEqual(
      p.diagnostics(path.join(dir, 'app/svc.yaml')).map(d => d.code),
      ['service-selector-no-match'],
    );
    assert.equal(p.unit('app')!.state, 'failed');
  });

  it('remote resources are never fetched: the unit stays plain and says why', async () => {
    const dir = tree({
      'app/kustomization.yaml': 'resources:\n  - github.com/example/app//deploy?ref=v1\n  - svc.yaml\n',
      'app/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n    - port: 80\n',
    });
    const p = await loadProject([dir], defaultConfig(), renderer());
    const [note] = p.diagnostics(path.join(dir, 'app/kustomization.yaml'));
    assert.equal(note.code, 'render-failed');
    assert.match(note.message, /needs the network for github\.com\/example\/app/);
  });

  it('without the tool, or untrusted: plain analysis and one information note on the kustomization', async () => {
    for (const [r, code, re] of [
      [
        new Renderers({ trusted: true, kustomizePath: '/nonexistent/kustomize' }),
        'render-unavailable',
        /kubeNetlint\.kustomize\.path/,
      ],
      [new Renderers({ trusted: false }), 'render-untrusted', /trusted workspace/],
    ] as const) {
      const p = await loadProject([OVERLAYS], defaultConfig(), r);
      const notes = p.fileIds().flatMap(f => p.diagnostics(f));
      assert.deepEqual(
        notes.map(d => [path.relative(OVERLAYS, d.fileId), d.code, d.severity]),
        [
          ['dev/kustomization.yaml', code, 'information'],
          ['prod/kustomization.yaml', code, 'information'],
        ],
      );
      assert.match(notes[0].message, re);
      assert.equal(p.unit('prod')!.state, 'plain');
    }
  });

  it('inline JSON 6902 patches and generated ConfigMaps are placed in the kustomization', async () => {
    const dir = tree({
      'app/kustomization.yaml': [
        'resources:',
        '  - app.yaml',
        'configMapGenerator:',
        '  - name: settings',
        '    literals: [A=1]',
        'patches:',
        '  - target:',
        '      kind: Service',
        '      name: web',
        '    patch: |-',
        '      - op: replace',
        '        path: /spec/ports/0/targetPort',
        '        value: htp',
        '',
      ].join('\n'),
      'app/app.yaml': [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  name: web',
        'spec:',
        '  selector:',
        '    matchLabels: {app: web}',
        '  template:',
        '    metadata:',
        '      labels: {app: web}',
        '    spec:',
        '      containers:',
        '        - name: web',
        '          image: nginx',
        '          ports:',
        '            - name: http',
        '              containerPort: 80',
        '---',
        'apiVersion: v1',
        'kind: Service',
        'metadata:',
        '  name: web',
        'spec:',
        '  selector: {app: web}',
        '  ports:',
        '    - port: 80',
        '      targetPort: http',
        '',
      ].join('\n'),
    });
    const p = await loadProject([dir], defaultConfig(), renderer());
    const k = path.join(dir, 'app/kustomization.yaml');
    const [d] = p.diagnostics(k);
    assert.equal(d.code, 'service-target-port-unresolved');
    assert.deepEqual(d.range, { start: { line: 12, character: 15 }, end: { line: 12, character: 18 } });
    assert.deepEqual(p.diagnostics(path.join(dir, 'app/app.yaml')), []);
    const cm = p
      .unit('app')!
      .ws.file(k)!
      .resources.map(r => `${r.kind}/${r.name}`);
    assert.equal(cm.length, 1);
    assert.match(cm[0], /^ConfigMap\/settings-[a-z0-9]+$/);
  });

  it('an edit in one unit re-renders only that unit', async () => {
    const r = renderer();
    const p = new Project({ roots: [OVERLAYS], renderer: r });
    for (const f of [
      'base/kustomization.yaml',
      'base/deployment.yaml',
      'base/service.yaml',
      'dev/kustomization.yaml',
      'dev/replicas.yaml',
      'prod/kustomization.yaml',
      'prod/service-metrics.yaml',
    ])
      p.setFile(path.join(OVERLAYS, f), fs.readFileSync(path.join(OVERLAYS, f), 'utf8'));
    p.analyze();
    await p.settled();
    const runs = r.runs;
    p.setFile(
      path.join(OVERLAYS, 'dev/replicas.yaml'),
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 2\n',
    );
    p.analyze();
    await p.settled();
    assert.equal(r.runs, runs + 1);
  });
});
