/**
 * The connectivity webview in a real browser: the bundle built from media/src/connectivityView.ts,
 * loaded by the same HTML shell and Content-Security-Policy the VS Code panel uses, driven by
 * headless Debian Chromium through playwright-core. The host side is played by the test: it
 * answers 'explain' with the engine's explainPair, as the extension relays the server's answer.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';
import { chromium, BrowserContext, Page } from 'playwright-core';
import { loadWorkspace, defaultConfig, Workspace, defaultAnalyzers } from '../../server/src/engine';
import { connectivityMatrix, explainPair } from '../../server/src/engine/calls/matrix';
import { connectivityViewHtml, makeNonce } from '../../media/src/connectivityViewHtml';

const ROOT = path.resolve(__dirname, '../..');
const OUT = path.join(ROOT, 'test-output/webview');
const CHROMIUM = '/usr/bin/chromium';
const ORIGIN = 'https://webview.test';
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let context: BrowserContext;
let userDataDir: string;
let bundle: string;
const css = fs.readFileSync(path.join(ROOT, 'media/connectivityView.css'), 'utf8');

before(async () => {
  if (!fs.existsSync(CHROMIUM)) {
    const r = spawnSync('sh', [path.join(ROOT, 'scripts/ensure-chromium.sh')], { stdio: 'inherit' });
    assert.equal(r.status, 0, 'scripts/ensure-chromium.sh could not install chromium');
  }
  fs.mkdirSync(OUT, { recursive: true });
  const res = await build({
    entryPoints: [path.join(ROOT, 'media/src/connectivityView.ts')],
    bundle: true,
    platform: 'browser',
    target: 'es2020',
    format: 'iife',
    write: false,
    logLevel: 'silent',
  });
  bundle = res.outputFiles[0].text;
  userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kn-conn-webview-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1100, height: 900 },
  });
});

after(async () => {
  await context?.close();
  if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
});

interface Posted {
  type: string;
  src?: string;
  dst?: string;
  source?: unknown;
}

async function openView(ws: Workspace): Promise<{ page: Page; dialogs: string[] }> {
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on('dialog', d => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const nonce = makeNonce();
  await page.route(`${ORIGIN}/**`, route => {
    const url = new URL(route.request().url());
    if (url.pathname === '/index.html')
      return route.fulfill({
        contentType: 'text/html',
        body: connectivityViewHtml({
          cspSource: ORIGIN,
          scriptUri: `${ORIGIN}/view.js`,
          styleUri: `${ORIGIN}/view.css`,
          nonce,
        }),
      });
    if (url.pathname === '/view.js') return route.fulfill({ contentType: 'text/javascript', body: bundle });
    if (url.pathname === '/view.css') return route.fulfill({ contentType: 'text/css', body: css });
    return route.fulfill({ status: 404, body: '' });
  });
  // The host: records messages, answers 'explain' through a binding to the engine.
  await page.exposeFunction('__explain', (src: string, dst: string) => explainPair(ws, src, dst));
  await page.addInitScript(`
    window.__posted = [];
    window.acquireVsCodeApi = function () {
      return {
        postMessage: function (m) {
          window.__posted.push(m);
          if (m.type === 'explain') window.__explain(m.src, m.dst).then(function (e) { window.postMessage({ type: 'explanation', explanation: e }, '*'); });
        },
        getState: function () { return undefined; },
        setState: function () {},
      };
    };`);
  await page.goto(`${ORIGIN}/index.html`);
  await page.waitForFunction(() =>
    (window as unknown as { __posted: { type: string }[] }).__posted.some(m => m.type === 'ready'),
  );
  const matrix = connectivityMatrix(ws);
  await page.evaluate(m => window.postMessage({ type: 'matrix', matrix: m }, '*'), JSON.parse(JSON.stringify(matrix)));
  await page.waitForSelector('table.matrix');
  return { page, dialogs };
}

const posted = (page: Page) => page.evaluate(() => (window as unknown as { __posted: Posted[] }).__posted);
const denied = path.join(ROOT, 'test/fixtures/calls/call-denied-by-policy/trigger');

test('draws the matrix grouped by namespace with allowed / denied / partly cells and the calls', async () => {
  const ws = loadWorkspace([denied], defaultConfig());
  const m = connectivityMatrix(ws);
  const { page } = await openView(ws);
  const n = m.workloads.length;
  assert.equal(await page.locator('tbody tr').count(), n);
  assert.equal(await page.locator('button.cell').count(), n * (n - 1));
  assert.deepEqual(await page.locator('th.ns').allTextContents(), m.namespaces);
  for (const c of m.cells) {
    const b = page.locator(`button.cell[data-src="${m.workloads[c.from].id}"][data-dst="${m.workloads[c.to].id}"]`);
    assert.ok(await b.evaluate((e, s) => e.classList.contains(s), c.status), `${c.from}->${c.to} ${c.status}`);
  }
  // frontend → cart is a configured call the policies deny; checkout → cart is allowed.
  const fc = page.locator('button.cell[data-src="shop/frontend[Deployment]"][data-dst="shop/cart[Deployment]"]');
  assert.ok(await fc.evaluate(e => e.classList.contains('call-denied')));
  const cc = page.locator('button.cell[data-src="shop/checkout[Deployment]"][data-dst="shop/cart[Deployment]"]');
  assert.ok(await cc.evaluate(e => e.classList.contains('call-ok')));
  await page.screenshot({ path: path.join(OUT, 'connectivity-matrix.png'), fullPage: true });
  await page.close();
});

test('a click explains the pair with links that post reveal messages; filters narrow the matrix', async () => {
  const ws = loadWorkspace([denied], defaultConfig());
  const { page } = await openView(ws);
  await page.locator('button.cell[data-src="shop/frontend[Deployment]"][data-dst="shop/cart[Deployment]"]').click();
  await page.waitForSelector('#detail h2');
  assert.match(
    (await page.locator('#detail h2').textContent())!,
    /shop\/frontend\[Deployment\] → shop\/cart\[Deployment\]/,
  );
  const text = (await page.locator('#detail').textContent())!;
  assert.match(text, /Configured calls/);
  assert.match(text, /NetworkPolicy shop\/cart/);
  assert.deepEqual(
    (await posted(page)).find(m => m.type === 'explain'),
    {
      type: 'explain',
      src: 'shop/frontend[Deployment]',
      dst: 'shop/cart[Deployment]',
    },
  );
  // The call's link reveals the env value in the YAML.
  const callLink = page.locator('#detail ul.calls button.link').first();
  await callLink.click();
  const reveal = (await posted(page)).at(-1)!;
  assert.equal(reveal.type, 'reveal');
  const src = reveal.source as { fileId: string; range: { start: { line: number } } };
  assert.ok(src.fileId.endsWith('shop.yaml'));
  assert.match(fs.readFileSync(src.fileId, 'utf8').split('\n')[src.range.start.line], /value: cart:7070/);
  await page.screenshot({ path: path.join(OUT, 'connectivity-explain.png'), fullPage: true });

  await page.selectOption('#filter-namespace', 'cache');
  assert.equal(await page.locator('tbody tr').count(), 1);
  await page.selectOption('#filter-namespace', '');
  await page.fill('#filter-text', 'fro');
  assert.equal(await page.locator('tbody tr').count(), 1);
  await page.fill('#filter-text', '');
  await page.check('#filter-calls');
  assert.equal(await page.locator('tbody tr').count(), 4);
  await page.close();
});

test('markup in workload names and label values is shown as text and never runs', async () => {
  const ws = new Workspace(defaultConfig(), defaultAnalyzers());
  const evil = '<img src=x onerror=alert(1)>';
  ws.setFile(
    '/xss/app.yaml',
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: "${evil}"
  namespace: "</script><script>window.__pwned=1</script>"
spec:
  selector: {matchLabels: {app: a}}
  template:
    metadata: {labels: {app: a}}
    spec: {containers: [{name: c, image: x}]}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: b
  namespace: "</script><script>window.__pwned=1</script>"
spec:
  selector: {matchLabels: {app: b}}
  template:
    metadata: {labels: {app: b}}
    spec: {containers: [{name: c, image: x}]}
`,
  );
  ws.analyze();
  const { page, dialogs } = await openView(ws);
  assert.ok((await page.locator('#root').textContent())!.includes(evil));
  await page.locator('button.cell').first().click();
  await page.waitForSelector('#detail h2');
  assert.deepEqual(dialogs, []);
  assert.equal(await page.locator('img').count(), 0);
  assert.equal(await page.locator('script').count(), 1);
  assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
  await page.close();
});
