// A Kustomize app (base + dev and prod overlays) in a trusted workspace: the extension renders
// the overlays with the real kubectl/kustomize and puts the finding about prod's Service on the
// `targetPort` value in prod's patch file, which is where the typo is.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCodeServer, CodeServer } from '../support/codeServer';
import { Workbench } from '../support/workbench';
import { findKustomize } from '../../../server/src/engine/render/tool';

const RULE = 'service-target-port-unresolved';
const skip = findKustomize() ? false : 'skipped: neither kustomize nor kubectl on PATH';

describe('kube-netlint in VS Code: a Kustomize overlay rendered', { skip }, () => {
  let server: CodeServer;
  let wb: Workbench;

  before(async () => {
    server = await startCodeServer({ fixture: 'overlays', trusted: true, name: 'kustomize' });
    wb = await Workbench.open(server.url, 'kustomize');
  });

  after(async () => {
    await wb?.close();
    await server?.close();
  });

  test("(k) opening prod's patch shows the diagnostic on its targetPort", () =>
    wb.guard('k-kustomize', async () => {
      await wb.openFile('service-metrics.yaml');
      await wb.showProblems();
      const rows = await wb.waitForProblems(
        `${RULE} in prod/service-metrics.yaml`,
        r => r.some(x => x.includes(RULE) && x.includes('metrcs')),
        90_000,
      );
      await wb.screenshot('kustomize-patch-problem');
      const row = rows.find(x => x.includes(RULE))!;
      // Line 10 of the patch holds `targetPort: metrcs`; column 19 is the value.
      assert.match(row, /\[Ln 10, Col 19\]/, row);
      assert.match(row, /Deployment prod\/api/);
      assert.ok(
        !rows.some(x => x.includes('base') && x.includes(RULE)),
        'nothing is reported on the base, which is right',
      );
      await wb.hidePanel();
      await wb.goTo(10, 19);
      assert.equal((await wb.editorLine(10))?.trim(), 'targetPort: metrcs');
      // The editor draws the error under the value.
      await wb.editor.locator('.squiggly-error').first().waitFor({ timeout: 30_000 });
      await wb.screenshot('kustomize-patch-squiggle');
    }));
});
