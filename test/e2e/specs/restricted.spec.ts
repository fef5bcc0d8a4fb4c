// The same workspace opened with Workspace Trust on and the folder not trusted (Restricted Mode):
// kube-netlint declares untrusted-workspace support (it only reads files), so it must still lint.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCodeServer, CodeServer } from '../support/codeServer';
import { Workbench } from '../support/workbench';

describe('kube-netlint in VS Code (Restricted Mode)', () => {
  let server: CodeServer;
  let wb: Workbench;

  before(async () => {
    server = await startCodeServer({ fixture: 'shop', trusted: false, name: 'restricted' });
    wb = await Workbench.open(server.url, 'restricted');
  });

  after(async () => {
    await wb?.close();
    await server?.close();
  });

  test('(e) an untrusted workspace opens in Restricted Mode and still gets diagnostics', () =>
    wb.guard('e', async () => {
      // VS Code asks whether to trust the folder; answer as a cautious person would.
      const dialog = wb.page.locator('.monaco-dialog-box', { hasText: 'Do you trust the authors' });
      await dialog.waitFor();
      await wb.screenshot('trust-prompt');
      await dialog.getByRole('button', { name: /don't trust/i }).click();
      await dialog.waitFor({ state: 'hidden' });
      await wb.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).waitFor();
      await wb.showProblems();
      await wb.waitForProblems(
        'service-selector-no-match in catalog.yaml',
        r =>
          r.some(x => x.includes('catalog.yaml')) &&
          r.some(x => x.includes('kube-netlint') && x.includes('service-selector-no-match') && x.includes('catalgo')),
        60_000,
      );
      await wb.screenshot('restricted-mode-problems');
      assert.equal(
        await wb.page.locator('.tabs-container .tab', { hasText: 'catalog.yaml' }).count(),
        0,
        'catalog.yaml must not have been opened',
      );
    }));
});
