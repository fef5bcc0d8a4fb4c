// kube-netlint in real VS Code (code-server): "kube-netlint: Show Connectivity" draws the matrix
// of workloads in a webview, a click explains a cell, and a policy's code lens and the
// call-denied-by-policy diagnostic show in the editor.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCodeServer, CodeServer } from '../support/codeServer';
import { Workbench } from '../support/workbench';

describe('kube-netlint connectivity in VS Code', () => {
  let server: CodeServer;
  let wb: Workbench;

  before(async () => {
    server = await startCodeServer({ fixture: 'connectivity', trusted: true, name: 'connectivity' });
    wb = await Workbench.open(server.url, 'connectivity');
  });

  beforeEach(() => wb.dismiss());

  after(async () => {
    await wb?.close();
    await server?.close();
  });

  test('the Problems panel lists call-denied-by-policy on the address the frontend calls', () =>
    wb.guard('conn-problems', async () => {
      await wb.showProblems();
      const rows = await wb.waitForProblems(
        'call-denied-by-policy in shop.yaml',
        r => r.some(x => x.includes('call-denied-by-policy') && x.includes('cart:7070')),
        60_000,
      );
      assert.ok(rows.some(x => x.includes('kube-netlint')));
      await wb.screenshot('connectivity-problems');
    }));

  test('the command palette runs "kube-netlint: Show Connectivity"; a click on a cell explains it', () =>
    wb.guard('conn-view', async () => {
      await wb.openFile('shop.yaml');
      await wb.hidePanel();
      await wb.runCommand('kube-netlint: Show Connectivity');
      const frame = await wb.webviewFrame('table.matrix', 60_000);
      await wb.page.locator('.tab', { hasText: 'Connectivity' }).first().waitFor();
      assert.equal(await frame.locator('tbody tr').count(), 4);
      assert.deepEqual(await frame.locator('th.ns').allTextContents(), ['cache', 'shop']);
      const cell = frame.locator('button.cell[data-src="shop/frontend[Deployment]"][data-dst="shop/cart[Deployment]"]');
      assert.ok(await cell.evaluate(e => e.classList.contains('denied') && e.classList.contains('call-denied')));
      await cell.click();
      await frame.locator('#detail h2').waitFor();
      const detail = (await frame.locator('#detail').textContent()) ?? '';
      assert.match(detail, /NetworkPolicy shop\/cart/);
      assert.match(detail, /Configured calls/);
      await wb.screenshot('connectivity-webview');
    }));
});
