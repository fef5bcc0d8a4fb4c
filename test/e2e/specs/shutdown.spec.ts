// Issue 10 item 12: the extension shuts down quietly. With the kube-proxy rules view and the
// traffic path open and manifests changing under them (so refresh timers are armed), a window
// reload terminates the extension host; its log must hold no error from kube-netlint (it used to
// show "unsupported uri-scheme: kube-netlint-rules" and "provider FAILED … Starting server
// failed" stacks).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { startCodeServer, CodeServer } from '../support/codeServer';
import { Workbench } from '../support/workbench';
import { waitFor } from '../support/processes';
import { positionOf } from '../support/fixture';

/** Every remoteexthost.log below the user data folder, by path. */
function extensionHostLogs(userData: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'remoteexthost.log' || e.name === 'exthost.log') out.set(p, readFileSync(p, 'utf8'));
    }
  };
  if (existsSync(join(userData, 'logs'))) walk(join(userData, 'logs'));
  return out;
}

/** Error entries (the "[error]" line and the stack lines under it) that mention kube-netlint. */
function ourErrors(log: string): string[] {
  const entries = log.split(/\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ \[)/);
  return entries.filter(e => /^\S+ \S+ \[error\]/.test(e) && /kube-netlint/i.test(e));
}

describe('kube-netlint shuts down quietly', () => {
  let server: CodeServer;
  let wb: Workbench;

  before(async () => {
    server = await startCodeServer({ fixture: 'shop', trusted: true, name: 'shutdown' });
    wb = await Workbench.open(server.url, 'shutdown');
  });

  after(async () => {
    await wb?.close();
    await server?.close();
  });

  test('issue 10.12: no kube-netlint error in the extension host log after a reload with open views', () =>
    wb.guard('shutdown', async () => {
      await wb.openFile('frontend.yaml');
      await wb.runCommand('kube-netlint: Show kube-proxy rules');
      await wb.acceptQuickPick('Show kube-proxy rules');
      await wb.page.locator('.tab', { hasText: 'all-services' }).first().waitFor();
      // From the cursor on the NodePort, as in the workbench spec.
      await wb.page.locator('.tab', { hasText: 'frontend.yaml' }).first().click();
      const at = positionOf('shop', 'frontend.yaml', 'nodePort: 30080');
      await wb.goTo(at.line, at.column + 'nodePort: '.length);
      await wb.runCommand('kube-netlint: Preview Traffic Path');
      await wb.acceptQuickPick('entry kind');
      await wb.acceptQuickPick('Preview traffic path:');
      await wb.quickInput.locator('.quick-input-title', { hasText: 'Then call' }).waitFor();
      await wb.page.keyboard.press('Escape');
      await wb.webviewFrame('li.hop');
      await wb.screenshot('views-open');

      const before = extensionHostLogs(server.userData);
      assert.equal(before.size, 1, `one extension host so far: ${[...before.keys()].join(', ')}`);
      const [firstLog] = before.keys();

      // A manifest changing on disk every 350 ms: each change re-arms the views' refresh timers.
      const file = join(server.workspace, 'frontend.yaml');
      const original = readFileSync(file, 'utf8');
      let n = 0;
      const changing = setInterval(() => writeFileSync(file, `${original}# change ${++n}\n`), 350);
      try {
        await new Promise(r => setTimeout(r, 2000));
        await wb.runCommand('Developer: Reload Window');
        await waitFor(
          'the first extension host to exit',
          () => (/exiting with code/.test(readFileSync(firstLog, 'utf8')) ? true : undefined),
          30_000,
        );
      } finally {
        clearInterval(changing);
      }
      await wb.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      await wb.screenshot('reloaded');
      const log = readFileSync(firstLog, 'utf8');
      assert.match(log, /Extension host terminating/);
      assert.deepEqual(ourErrors(log), [], `extension host log ${firstLog}`);
    }));
});
