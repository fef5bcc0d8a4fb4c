import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadWorkspace, defaultConfig, Workspace, defaultAnalyzers } from '../../server/src/engine';
import { hoverAt } from '../../server/src/engine/hover';
import { codeLensesFor } from '../../server/src/engine/codelens';
import '../../server/src/engine/features';

/** Hovers on NetworkPolicy selectors and peers, and the "selects N · admits M" code lens. */
const DIR = path.resolve(__dirname, '../fixtures/calls/call-denied-by-policy/trigger');

function at(ws: Workspace, file: string, needle: string, nth = 0): number {
  const text = ws.file(file)!.text;
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  assert.ok(i >= 0, needle);
  return i + 2;
}

test('hover on a podSelector lists the selected workloads; on a from peer, the admitted ones', () => {
  const ws = loadWorkspace([DIR], defaultConfig());
  const file = ws.fileIds()[0];
  const policyStart = ws.file(file)!.text.indexOf('name: cart\n  namespace: shop\nspec:\n  podSelector');
  assert.ok(policyStart > 0);
  const text = ws.file(file)!.text;
  const sel = text.indexOf('app: cart', policyStart) + 2;
  const h = hoverAt(ws, file, sel)!;
  assert.match(h.markdown, /NetworkPolicy shop\/cart\*\* selects 1 workload:/);
  assert.match(h.markdown, /shop\/cart\\\[Deployment\\\]/);
  const peer = text.indexOf('app: checkout', policyStart) + 2;
  const hp = hoverAt(ws, file, peer)!;
  assert.match(hp.markdown, /admits traffic from 1 workload:/);
  assert.match(hp.markdown, /shop\/checkout\\\[Deployment\\\]/);
  // podSelector: {} of the cache default deny selects every workload of the namespace.
  const dd = hoverAt(ws, file, at(ws, file, 'podSelector: {}'))!;
  assert.match(dd.markdown, /default-deny\*\* selects 1 workload:[\s\S]*cache\/redis/);
});

test('each policy gets a lens "selects N workloads · admits M" that opens the connectivity view', () => {
  const ws = loadWorkspace([DIR], defaultConfig());
  const file = ws.fileIds()[0];
  const lenses = codeLensesFor(ws, file).filter(l => l.command === 'kubeNetlint.showConnectivity');
  assert.deepEqual(
    lenses.map(l => l.title),
    ['selects 1 workload · admits 1', 'selects 1 workload · admits 0'],
  );
});

test('workload names in the hover are escaped Markdown', () => {
  const ws = new Workspace(defaultConfig(), defaultAnalyzers());
  ws.setFile(
    '/x/a.yaml',
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: "[click](http://evil)"
spec:
  selector: {matchLabels: {app: a}}
  template:
    metadata: {labels: {app: a}}
    spec: {containers: [{name: c, image: x}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: p
spec:
  podSelector:
    matchLabels:
      app: a
`,
  );
  ws.analyze();
  const h = hoverAt(ws, '/x/a.yaml', ws.file('/x/a.yaml')!.text.lastIndexOf('app: a') + 2)!;
  assert.ok(!h.markdown.includes('[click](http://evil)'), h.markdown);
  assert.ok(h.markdown.includes('\\[click\\]'), h.markdown);
});
