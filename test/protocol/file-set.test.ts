// Issue 10 item 8: the analysed file set equals what a fresh scan reads, plus open documents.
// File events must not bring in excluded files or files of skipped directories; a document from
// outside the workspace is analysed on its own and forgotten when closed.
//
// Each workspace holds the protocol fixture: service.yaml selects `app: fronted` and only a
// Deployment labelled `app: frontend` exists, so service.yaml has one finding. A file with a
// Deployment labelled `app: fronted` (TYPO) would silence that finding if it leaked into the
// analysis, so service.yaml's diagnostics show whether it did.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspSession } from '../support/lsp';

const FIXTURE = path.resolve(__dirname, '../fixtures/protocol/ws');
const TYPO = fs.readFileSync(path.join(FIXTURE, 'deployment.yaml'), 'utf8').replace(/frontend/g, 'fronted');
const CREATED = 1;
const CHANGED = 2;
const DELETED = 3;

function tempDir(files: Record<string, string> = {}, withFixture = true): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kn-fileset-'));
  if (withFixture) for (const f of fs.readdirSync(FIXTURE)) fs.copyFileSync(path.join(FIXTURE, f), path.join(dir, f));
  for (const [rel, text] of Object.entries(files)) write(dir, rel, text);
  return dir;
}

function write(dir: string, rel: string, text: string): string {
  const p = path.join(dir, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return pathToFileURL(p).href;
}

async function session(dir: string, body: (s: LspSession, service: string) => Promise<void>): Promise<void> {
  const s = await LspSession.start(dir);
  try {
    await body(s, s.uri('service.yaml'));
  } finally {
    await s.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Everything sent before has been handled: the server analyses before answering a request. */
async function settle(s: LspSession, uri: string): Promise<void> {
  await s.request('textDocument/codeLens', { textDocument: { uri } });
}

const missing = (d: { code?: string }[]) => d.some(x => x.code === 'service-selector-no-match');

test('issue 10.8: change events for excluded files and skipped directories do not enter the analysis', () =>
  session(tempDir({ '.kube-netlint.yaml': 'exclude: ["charts/**"]\n' }), async (s, service) => {
    await s.diagnostics(service, missing);
    const dir = new URL(s.rootUri).pathname;
    const excluded = write(dir, 'charts/typo.yaml', TYPO);
    const vendored = write(dir, 'node_modules/pkg/typo.yaml', TYPO);
    await s.conn.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [
        { uri: excluded, type: CREATED },
        { uri: vendored, type: CREATED },
        { uri: excluded, type: CHANGED },
        { uri: vendored, type: CHANGED },
      ],
    });
    await settle(s, service);
    assert.ok(missing(s.published.get(service) ?? []), 'service.yaml keeps its finding');
    assert.equal(s.published.get(excluded), undefined, 'nothing published for the excluded file');
    assert.equal(s.published.get(vendored), undefined, 'nothing published for node_modules');

    // The same file where the scan does read it does change the findings (the control).
    const read = write(dir, 'apps/typo.yaml', TYPO);
    await s.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: read, type: CREATED }] });
    await s.diagnostics(service, d => d.length === 0);
  }));

test('issue 10.8: a document outside the workspace is analysed on its own and forgotten when closed', async () => {
  const outside = tempDir(
    {
      'other.yaml': `${TYPO}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: lonely\nspec:\n  selector:\n    app: frontend\n  ports:\n    - port: 80\n`,
    },
    false,
  );
  try {
    await session(tempDir(), async (s, service) => {
      await s.diagnostics(service, missing);
      const uri = pathToFileURL(path.join(outside, 'other.yaml')).href;
      s.open(uri, fs.readFileSync(path.join(outside, 'other.yaml'), 'utf8'));
      // On its own: its Service sees only its own Deployment (labelled fronted), not the
      // workspace's frontend Deployment.
      const own = await s.diagnostics(uri, missing);
      assert.match(own[0].message, /Did you mean "fronted"\?/);
      await settle(s, service);
      assert.ok(missing(s.published.get(service) ?? []), 'the workspace did not see the outside Deployment');

      await s.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
      assert.deepEqual(await s.diagnostics(uri, d => d.length === 0), [], 'its diagnostics are cleared');
      // A change event for it after closing (an editor saving it) does not bring it in either.
      await s.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: CHANGED }] });
      await settle(s, service);
      assert.ok(missing(s.published.get(service) ?? []), 'still not part of the workspace');
      assert.deepEqual(s.published.get(uri), []);
    });
  } finally {
    fs.rmSync(outside, { recursive: true, force: true });
  }
});

test('issue 10.8: an excluded file opened in the editor is analysed on its own, not with the workspace', () =>
  session(
    tempDir({ '.kube-netlint.yaml': 'exclude: ["charts/**"]\n', 'charts/typo.yaml': TYPO }),
    async (s, service) => {
      await s.diagnostics(service, missing);
      const uri = s.uri('charts/typo.yaml');
      s.open(uri, TYPO);
      s.change(
        uri,
        `${TYPO}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  selector:\n    app: frontend\n`,
      );
      const own = await s.diagnostics(uri, missing);
      assert.match(own[0].message, /Did you mean "fronted"\?/, 'it sees its own objects only');
      await settle(s, service);
      assert.ok(missing(s.published.get(service) ?? []));
      await s.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
      await s.diagnostics(uri, d => d.length === 0);
      await settle(s, service);
      assert.ok(missing(s.published.get(service) ?? []));
    },
  ));

test('issue 10.8: a changed exclude in .kube-netlint.yaml takes files out of the analysis and back', () =>
  session(tempDir({ 'extra/typo.yaml': TYPO }), async (s, service) => {
    await settle(s, service);
    assert.ok(!missing(s.published.get(service) ?? []), 'extra/typo.yaml is read at first');
    const config = write(new URL(s.rootUri).pathname, '.kube-netlint.yaml', 'exclude: ["extra/**"]\n');
    await s.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: config, type: CREATED }] });
    await s.diagnostics(service, missing);
    fs.rmSync(new URL(config).pathname);
    await s.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: config, type: DELETED }] });
    await s.diagnostics(service, d => d.length === 0);
  }));

test('issue 10.8: a deleted folder takes its files out of the analysis', () =>
  session(tempDir({ 'sub/deeper/typo.yaml': TYPO }), async (s, service) => {
    await settle(s, service);
    assert.ok(!missing(s.published.get(service) ?? []));
    const sub = path.join(new URL(s.rootUri).pathname, 'sub');
    fs.rmSync(sub, { recursive: true });
    await s.conn.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: pathToFileURL(sub).href, type: DELETED }],
    });
    await s.diagnostics(service, missing);
  }));
