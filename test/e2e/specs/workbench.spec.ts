// kube-netlint installed from its .vsix into real VS Code (code-server), driven through the UI in
// headless Chromium: the Problems panel, typing, the light bulb, hovers and the command palette.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCodeServer, CodeServer } from '../support/codeServer';
import { Workbench } from '../support/workbench';
import { positionOf } from '../support/fixture';
import { waitFor } from '../support/processes';

const RULE = 'service-selector-no-match';

describe('kube-netlint in VS Code (trusted workspace)', () => {
  let server: CodeServer;
  let wb: Workbench;

  before(async () => {
    server = await startCodeServer({ fixture: 'shop', trusted: true, name: 'trusted' });
    wb = await Workbench.open(server.url, 'trusted');
    await wb.screenshot('workbench-opened');
  });

  beforeEach(() => wb.dismiss());

  after(async () => {
    await wb?.close();
    await server?.close();
  });

  test('(a) the Problems panel lists a diagnostic with its rule id for a file that was never opened', async () => {
    await wb.showProblems();
    const rows = await wb.waitForProblems(`${RULE} in catalog.yaml`, r =>
      r.some(x => x.includes('catalog.yaml')) && r.some(x => x.includes(RULE) && x.includes('catalgo')), 60_000);
    await wb.screenshot('problems-unopened-file');
    assert.equal(await wb.page.locator('.tabs-container .tab', { hasText: 'catalog.yaml' }).count(), 0, 'catalog.yaml must not have been opened');
    assert.ok(rows.some(x => x.includes('kube-netlint')), `source kube-netlint shown: ${rows.join(' | ')}`);
  });

  test('(d) a quick fix from the light bulb changes the text', async () => {
    // As a person would: click the problem, which opens the file at the diagnostic.
    await wb.problemsPanel.locator('.monaco-list-row', { hasText: 'catalgo' }).first().click();
    await wb.activeTab('catalog.yaml').waitFor();
    const at = positionOf('shop', 'catalog.yaml', 'catalgo', /^kind: Service/);
    await wb.goTo(at.line, at.column + 2);
    const bulb = wb.page.locator('.lightBulbWidget');
    await bulb.waitFor({ state: 'visible' });
    await bulb.click();
    const fix = wb.page.locator('.action-widget .monaco-list-row', { hasText: 'Change selector to app: catalog' });
    await fix.waitFor();
    await wb.screenshot('quick-fix-menu');
    await wb.clickLikeAPerson(fix);
    await waitFor('the fix to rewrite the selector', async () => {
      const text = await wb.editorText();
      return text.includes('app: catalog') && !text.includes('catalgo') ? true : undefined;
    }, 10_000);
    await wb.waitForProblems('the catalog problem to go away', r => !r.some(x => x.includes('catalgo')));
    await wb.screenshot('quick-fix-applied');
  });

  test('(a) diagnostics update after an edit typed into the editor', async () => {
    await wb.openFile('frontend.yaml');
    const at = positionOf('shop', 'frontend.yaml', 'app: frontend', /^kind: Service/);
    await wb.goTo(at.line, at.column + 'app: frontend'.length);
    await wb.page.keyboard.type('x');
    await wb.waitForProblems(`${RULE} for the typed selector`, r =>
      r.some(x => x.includes('frontend.yaml')) && r.some(x => x.includes(RULE) && x.includes('frontendx')));
    await wb.screenshot('problems-after-typing');
    await wb.page.keyboard.press('Backspace');
    await wb.waitForProblems('the typed problem to go away', r => !r.some(x => x.includes('frontendx')));
    await wb.screenshot('problems-after-undoing');
  });
});
