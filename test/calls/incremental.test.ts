import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Workspace, defaultAnalyzers, defaultConfig } from '../../server/src/engine';

/**
 * The call analyzer keeps per-workload results across edits. After every edit below, the
 * diagnostics of the edited workspace must equal those of a workspace built from scratch on
 * the same texts.
 */
const FIXTURES = path.resolve(__dirname, '../fixtures/calls');

function build(files: Map<string, string>): Workspace {
  const ws = new Workspace(defaultConfig(), defaultAnalyzers());
  for (const [f, t] of files) ws.setFile(f, t);
  ws.analyze();
  return ws;
}

function callDiagnostics(ws: Workspace): string[] {
  return ws
    .fileIds()
    .flatMap(f => ws.diagnostics(f).filter(d => d.code.startsWith('call-')))
    .map(d => `${path.basename(d.fileId)}:${d.range.start.line + 1}:${d.range.start.character} ${d.code} ${d.message}`)
    .sort();
}

test('call findings after edits equal a fresh analysis', () => {
  const files = new Map<string, string>();
  for (const rule of ['call-service-missing', 'call-port-missing', 'call-denied-by-policy'])
    for (const f of fs.readdirSync(path.join(FIXTURES, rule, 'trigger')).filter(x => x.endsWith('.yaml')))
      files.set(`/ws/${rule}/${f}`, fs.readFileSync(path.join(FIXTURES, rule, 'trigger', f), 'utf8'));
  const ws = build(files);
  const edits: [string, (t: string) => string][] = [
    // a Service gains the port the caller uses
    [
      '/ws/call-port-missing/shop.yaml',
      t => t.replace('port: 7070\n      targetPort: 8080', 'port: 8080\n      targetPort: 8080'),
    ],
    // the misspelt Service appears
    [
      '/ws/call-service-missing/shop.yaml',
      t =>
        t +
        '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: mail\n  namespace: shop\nspec:\n  selector: {app: mail}\n  ports: [{port: 25}]\n',
    ],
    // the ConfigMap loaded by envFrom changes its host
    ['/ws/call-service-missing/shop.yaml', t => t.replace('REDIS_HOST: redis-main', 'REDIS_HOST: cart')],
    // the policy admits the frontend
    [
      '/ws/call-denied-by-policy/shop.yaml',
      t => t.replace('              app: checkout\n      ports:', '              tier: web\n      ports:'),
    ],
    // the frontend loses the label the policy admits
    ['/ws/call-denied-by-policy/shop.yaml', t => t.replace('        tier: web\n', '')],
    // a namespace disappears
    [
      '/ws/call-denied-by-policy/shop.yaml',
      t => t.replace('kind: Namespace\nmetadata:\n  name: cache\n', 'kind: ConfigMap\nmetadata:\n  name: cache\n'),
    ],
  ];
  for (const [f, edit] of edits) {
    const next = edit(files.get(f)!);
    assert.notEqual(next, files.get(f), `edit applies to ${f}`);
    files.set(f, next);
    ws.setFile(f, next);
    ws.analyze();
    assert.deepEqual(callDiagnostics(ws), callDiagnostics(build(files)));
  }
  ws.removeFile('/ws/call-port-missing/shop.yaml');
  files.delete('/ws/call-port-missing/shop.yaml');
  ws.analyze();
  assert.deepEqual(callDiagnostics(ws), callDiagnostics(build(files)));
});
