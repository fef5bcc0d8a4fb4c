import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as jsyaml from 'js-yaml';
import { generateWorkspace } from './generator';
import { EDIT_KINDS, applyEdit, planEdits } from './edits';
import { Workspace, defaultAnalyzers } from '../../server/src/engine';

const small = () => generateWorkspace({ resources: 400, seed: 7 });

test('the generator yields the same bytes for the same seed, and different ones for another seed', () => {
  const a = small(),
    b = small();
  assert.deepEqual(a.files, b.files);
  assert.equal(a.bytes, b.bytes);
  const c = generateWorkspace({ resources: 400, seed: 8 });
  assert.notDeepEqual(
    c.files.map(f => f.text),
    a.files.map(f => f.text),
  );
});

test('every generated file parses, except the two planted unreadable ones, and objects add up to the count', () => {
  const w = small();
  let objects = 0;
  const broken: string[] = [];
  for (const f of w.files) {
    try {
      for (const d of jsyaml.loadAll(f.text) as { kind?: string; items?: unknown[] }[])
        objects += d?.kind === 'List' ? d.items!.length : 1;
    } catch {
      broken.push(f.path);
    }
  }
  assert.deepEqual(broken.sort(), ['broken/bad-indent.yaml', 'charts/web/templates/service.yaml']);
  assert.equal(objects, w.resources);
  assert.ok(w.resources >= 400 && w.resources < 420, `about the requested size: ${w.resources}`);
});

test('the workspace has the shapes the bench relies on: multi-document files, List files, named ports, sidecars, bulky ConfigMaps', () => {
  const w = generateWorkspace({ resources: 2000, seed: 1 });
  const texts = w.files.map(f => f.text);
  assert.ok(
    texts.some(t => t.includes('kind: List\n')),
    'a kind: List file',
  );
  assert.ok(texts.filter(t => t.split('\n---\n').length > 3).length > 50, 'multi-document files');
  for (const k of [
    'Deployment',
    'StatefulSet',
    'DaemonSet',
    'CronJob',
    'Service',
    'Ingress',
    'NetworkPolicy',
    'ConfigMap',
  ])
    assert.ok(w.kinds[k] > 0, k);
  assert.ok(
    texts.some(t => t.includes('targetPort: http\n')) && texts.some(t => /targetPort: \d+\n/.test(t)),
    'named and numeric targetPorts',
  );
  assert.ok(
    texts.some(t => t.includes('type: NodePort')),
    'NodePort Services',
  );
  assert.ok(
    texts.some(t => t.includes('restartPolicy: Always')),
    'native sidecars',
  );
  const perResource = w.bytes / w.resources;
  assert.ok(
    perResource > 700 && perResource < 1500,
    `about 1 KB per resource (real repositories): ${perResource.toFixed(0)}`,
  );
  assert.ok(Object.keys(w.problems).length >= 5, 'several kinds of planted problems');
});

test('planted problems surface as diagnostics when the workspace is analysed', () => {
  const w = generateWorkspace({ resources: 3000, seed: 42 });
  const ws = new Workspace();
  for (const f of w.files) ws.setFile(f.path, f.text);
  ws.analyze();
  const codes = new Set(w.files.flatMap(f => ws.diagnostics(f.path).map(d => d.code)));
  assert.ok(codes.has('yaml-syntax') && codes.has('template-skipped'), [...codes].join(', '));
  assert.ok(codes.size >= 5, `several rules fire: ${[...codes].join(', ')}`);
});

/** Diagnostics by code after a full analysis with the global analyzers (required connectivity among them). */
function codesOf(w: ReturnType<typeof generateWorkspace>): Record<string, number> {
  const ws = new Workspace(undefined, defaultAnalyzers());
  for (const f of w.files) ws.setFile(f.path, f.text);
  ws.analyze();
  const out: Record<string, number> = {};
  for (const f of w.files) for (const d of ws.diagnostics(f.path)) out[d.code] = (out[d.code] ?? 0) + 1;
  return out;
}
const calls = (codes: Record<string, number>) => Object.entries(codes).filter(([c]) => c.startsWith('call-'));

test('without planted problems the apps call Services that exist, on ports they expose, as their policies allow', () => {
  const w = generateWorkspace({ resources: 1500, seed: 5, problemRate: 0 });
  const urls = w.files.flatMap(f => f.text.match(/http:\/\/[a-z0-9.-]+/g) ?? []);
  assert.ok(urls.filter(u => u.endsWith('.svc.cluster.local')).length > 20, 'config upstreams name Services');
  assert.ok(
    urls.some(u => /^http:\/\/[a-z0-9-]+\.[a-z0-9-]+$/.test(u)),
    'some env URLs call another namespace',
  );
  assert.ok(!w.files.some(f => f.text.includes('@@')), 'every placeholder is filled in');
  assert.deepEqual(calls(codesOf(w)), []);
});

test('planted call problems surface, one finding each, and no call is denied by a policy', () => {
  const w = generateWorkspace({ resources: 3000, seed: 11, problemRate: 0.15 });
  const planted = Object.entries(w.problems).filter(([p]) => p.startsWith('call-'));
  assert.ok(w.problems['call-service-missing'] > 0 && w.problems['call-port-missing'] > 0, JSON.stringify(w.problems));
  assert.deepEqual(calls(codesOf(w)).sort(), planted.sort());
});

test('each edit kind changes exactly one value and is found in generated files', () => {
  const w = small();
  const texts = new Map(w.files.map(f => [f.path, f.text]));
  for (const kind of EDIT_KINDS) {
    const plan = planEdits(texts, 30, 1).filter(e => e.kind === kind);
    assert.equal(plan.length, 10, kind);
    for (const e of plan) {
      const before = texts.get(e.fileId)!;
      const after = applyEdit(before, kind)!;
      assert.notEqual(after, before);
      const changed = before.split('\n').filter((l, i) => l !== after.split('\n')[i]);
      assert.equal(changed.length, 1, `${kind} in ${e.fileId}`);
    }
  }
});
