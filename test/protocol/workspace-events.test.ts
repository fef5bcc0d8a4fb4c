import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspSession } from '../support/lsp';

const FIXTURE = path.resolve(__dirname, '../fixtures/protocol/ws');

function tempWorkspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-netlint-ws-'));
  for (const f of fs.readdirSync(FIXTURE)) fs.copyFileSync(path.join(FIXTURE, f), path.join(dir, f));
  return dir;
}

test('file-system changes reported by the client update diagnostics of other files', async () => {
  const dir = tempWorkspace();
  const s = await LspSession.start(dir);
  try {
    const svc = s.uri('service.yaml');
    await s.diagnostics(svc, d => d.some(x => x.code === 'service-selector-no-match'));
    // A Deployment with the label the Service wants appears on disk (e.g. a git checkout).
    const added = path.join(dir, 'typo-app.yaml');
    fs.writeFileSync(added, fs.readFileSync(path.join(dir, 'deployment.yaml'), 'utf8').replace(/frontend/g, 'fronted'));
    await s.conn.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: pathToFileURL(added).href, type: 1 }],
    });
    await s.diagnostics(svc, d => d.length === 0);
    fs.rmSync(added);
    await s.conn.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: pathToFileURL(added).href, type: 3 }],
    });
    const back = await s.diagnostics(svc, d => d.length === 1);
    assert.equal(back[0].code, 'service-selector-no-match');
  } finally {
    await s.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('editor settings set rule severities and can turn a rule off', async () => {
  const s = await LspSession.start(FIXTURE, { rules: { 'service-selector-no-match': 'error' } });
  try {
    const d = await s.diagnostics(s.uri('service.yaml'), x => x.length > 0);
    assert.equal(d[0].severity, 1);
  } finally {
    await s.stop();
  }
  const off = await LspSession.start(FIXTURE, { rules: { 'service-selector-no-match': 'off' } });
  try {
    // The server publishes nothing for a file without findings, so ask for a code lens to be
    // sure the start-up scan finished, then check nothing was published for the Service.
    await off.request('textDocument/codeLens', { textDocument: { uri: off.uri('service.yaml') } });
    assert.equal(off.published.get(off.uri('service.yaml')), undefined);
  } finally {
    await off.stop();
  }
});

test('a YAML syntax error in an open buffer is one diagnostic and does not stop analysis of others', async () => {
  const dir = tempWorkspace();
  const s = await LspSession.start(dir);
  try {
    const uri = s.uri('deployment.yaml');
    const text = fs.readFileSync(path.join(dir, 'deployment.yaml'), 'utf8');
    s.open(uri, text);
    s.change(uri, text.replace('  name: frontend', '  name: [frontend'));
    const d = await s.diagnostics(uri, x => x.some(y => y.code === 'yaml-syntax'));
    assert.equal(d.length, 1);
    // The Deployment is gone from the cluster while its file is broken, so the Service now
    // reports its selector, with no near miss to offer.
    await s.diagnostics(s.uri('service.yaml'), x => x.length === 1 && /matches no pod template/.test(x[0].message));
  } finally {
    await s.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
