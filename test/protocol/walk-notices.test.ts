// Issue 10 items 3 and 5, the server's half: the start-up scan never leaves the workspace, and
// what it could not or would not read (an unreadable folder, a link to /, a link loop) is said in
// one log line and one information message instead of blanking every diagnostic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LspSession } from '../support/lsp';

const FIXTURE = path.resolve(__dirname, '../fixtures/protocol/ws');
// Root reads everything: the server runs as `nobody` so that chmod 000 really denies it.
const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

const BAD_SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: hidden
spec:
  selector:
    app: nowhere
  ports:
    - port: 80
`;

test('issue 10.3/10.5: the start-up scan skips an unreadable folder and links out of the workspace, says so once, and publishes the rest', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kn-notices-'));
  fs.chmodSync(dir, 0o755);
  for (const f of fs.readdirSync(FIXTURE)) fs.copyFileSync(path.join(FIXTURE, f), path.join(dir, f));
  fs.mkdirSync(path.join(dir, 'locked'));
  fs.writeFileSync(path.join(dir, 'locked', 'hidden.yaml'), BAD_SERVICE);
  fs.chmodSync(path.join(dir, 'locked'), 0o000);
  fs.symlinkSync('/', path.join(dir, 'disk'));
  fs.symlinkSync('.', path.join(dir, 'loop'));
  const s = await LspSession.start(dir, {}, asRoot ? { uid: NOBODY } : {});
  try {
    // Not blank: the readable files are analysed.
    const d = await s.diagnostics(s.uri('service.yaml'), x => x.length > 0);
    assert.equal(d[0].code, 'service-selector-no-match');
    await s.request('textDocument/codeLens', { textDocument: { uri: s.uri('service.yaml') } });

    const logged = s.logs.filter(l => /skipped/.test(l.message));
    assert.equal(logged.length, 1, JSON.stringify(s.logs));
    assert.match(logged[0].message, /^kube-netlint: skipped 3 paths: /);
    assert.match(logged[0].message, /symbolic link leading out of the workspace \(disk -> \/\)/);
    assert.match(logged[0].message, /path already walked under another name \(loop -> \.\)/);
    assert.match(logged[0].message, /unreadable path \(locked: EACCES\)/);
    assert.ok(
      s.logs.some(l => l.message === 'kube-netlint: read 2 files in 1 workspace folder'),
      JSON.stringify(s.logs),
    );
    const shown = s.messages.filter(m => m.type === 3);
    assert.equal(shown.length, 1, JSON.stringify(s.messages));
    assert.match(shown[0].message, /^kube-netlint read 2 files; skipped 3 paths: .*locked: EACCES/);
    for (const uri of s.published.keys()) assert.doesNotMatch(uri, /hidden|\/disk\/|\/loop\//, uri);

    // A settings change rescans quietly: the same notice is not shown again.
    await s.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await s.request('textDocument/codeLens', { textDocument: { uri: s.uri('service.yaml') } });
    assert.equal(s.messages.filter(m => m.type === 3).length, 1);
  } finally {
    await s.stop();
    fs.chmodSync(path.join(dir, 'locked'), 0o755);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
