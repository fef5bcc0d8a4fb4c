// The VS Code API suite (test/electron/suite) run offline inside real VS Code's extension host:
// the VS Code server shipped in code-server loads this repository as an extension under
// development and runs the suite module, driven by opening the workbench in headless Chromium.
// That host exits 0 even when a test throws, so the suite writes a results file asserted on here.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, Browser } from 'playwright-core';
import { buildSuite } from '../../electron/buildSuite';
import type { SuiteResult } from '../../electron/suite/harness';
import { codeServerEntry, chromiumPath, fixturesDir, outputDir, repoRoot } from '../support/paths';
import { freePort, start, stop, waitFor, Started } from '../support/processes';
import { browserArgs } from '../support/workbench';

describe("VS Code API suite in the extension host of code-server's VS Code server", () => {
  let home: string;
  let server: Started | undefined;
  let browser: Browser | undefined;
  let result: SuiteResult;

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'kn-e2e-api-'));
    const suite = await buildSuite(join(home, 'suite'));
    const workspace = join(home, 'workspace', 'shop');
    cpSync(join(fixturesDir, 'shop'), workspace, { recursive: true });
    const resultsFile = join(home, 'results.json');
    for (const d of ['user-data', 'server-data', 'extensions']) mkdirSync(join(home, d));
    // code-server's package root holds lib/vscode, the plain VS Code server.
    const serverMain = join(dirname(codeServerEntry), '../../lib/vscode/out/server-main.js');
    const port = await freePort();
    mkdirSync(outputDir, { recursive: true });
    const log = join(outputDir, 'vscode-server-api.log');
    writeFileSync(log, '');
    server = start(
      process.execPath,
      [
        serverMain,
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--without-connection-token',
        '--accept-server-license-terms',
        '--disable-telemetry',
        '--disable-workspace-trust',
        '--enable-smoke-test-driver',
        '--user-data-dir',
        join(home, 'user-data'),
        '--server-data-dir',
        join(home, 'server-data'),
        '--extensions-dir',
        join(home, 'extensions'),
      ],
      { env: { ...process.env, KN_TEST_RESULTS: resultsFile }, log },
    );
    const base = `http://127.0.0.1:${port}`;
    await waitFor(
      'the VS Code server to listen',
      async () => ((await fetch(base).catch(() => undefined))?.ok ? true : undefined),
      60_000,
    );

    const remote = (p: string) => `vscode-remote://127.0.0.1:${port}${p}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(repoRoot)],
      ['extensionTestsPath', remote(suite)],
    ]);
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: browserArgs });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${base}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
    await waitFor('the suite to write its results', () => (existsSync(resultsFile) ? true : undefined), 180_000, 500);
    result = JSON.parse(readFileSync(resultsFile, 'utf8')) as SuiteResult;
    await page.screenshot({ path: join(outputDir, 'api-suite-done.png') }).catch(() => undefined);
  });

  after(async () => {
    await browser?.close();
    if (server) await stop(server);
    rmSync(home, { recursive: true, force: true });
  });

  test('every scenario of the API suite ran and passed', async t => {
    assert.ok(result.cases.length >= 6, `the suite ran its scenarios (${result.cases.length})`);
    for (const c of result.cases) {
      await t.test(c.name, () => {
        assert.ok(c.ok, c.error);
      });
    }
    assert.equal(result.failed, 0, `${result.failed} scenario(s) failed`);
  });
});
