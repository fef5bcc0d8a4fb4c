/**
 * The traffic path webview in a real browser: the bundle built from media/src/pathView.ts,
 * loaded by the same HTML shell (and Content-Security-Policy) the VS Code panel uses, driven by
 * headless Debian Chromium through playwright-core.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';
import { chromium, BrowserContext, Page } from 'playwright-core';
import { loadWorkspace, defaultConfig } from '../../server/src/engine';
import { tracePath, renderMarkdown, walkHops, PathModel, LANE_TITLES } from '../../server/src/engine/path';
import { pathViewHtml, makeNonce } from '../../media/src/pathViewHtml';

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
const css = fs.readFileSync(path.join(ROOT, 'media/pathView.css'), 'utf8');

before(async () => {
  if (!fs.existsSync(CHROMIUM)) {
    const r = spawnSync('sh', [path.join(ROOT, 'scripts/ensure-chromium.sh')], { stdio: 'inherit' });
    assert.equal(r.status, 0, 'scripts/ensure-chromium.sh could not install chromium');
  }
  fs.mkdirSync(OUT, { recursive: true });
  // The same esbuild options as scripts/build.mjs uses for dist/webview/pathView.js.
  const res = await build({
    entryPoints: [path.join(ROOT, 'media/src/pathView.ts')],
    bundle: true,
    platform: 'browser',
    target: 'es2020',
    format: 'iife',
    write: false,
    logLevel: 'silent',
  });
  bundle = res.outputFiles[0].text;
  userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kn-webview-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 960, height: 900 },
  });
});

after(async () => {
  await context?.close();
  if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
});

interface Posted {
  type: string;
  hopId?: string;
  source?: unknown;
  markdown?: string;
}

/** A page with the webview shell; `acquireVsCodeApi` records what the view posts to the host. */
async function openView(): Promise<{ page: Page; dialogs: string[] }> {
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
        body: pathViewHtml({
          cspSource: ORIGIN,
          scriptUri: `${ORIGIN}/pathView.js`,
          styleUri: `${ORIGIN}/pathView.css`,
          nonce,
        }),
      });
    if (url.pathname === '/pathView.js') return route.fulfill({ contentType: 'text/javascript', body: bundle });
    if (url.pathname === '/pathView.css') return route.fulfill({ contentType: 'text/css', body: css });
    return route.fulfill({ status: 404, body: '' });
  });
  // A string, not a function: tsx would wrap a function's inner names in a helper the page lacks.
  await page.addInitScript(`
    window.__posted = [];
    window.acquireVsCodeApi = function () {
      return {
        postMessage: function (m) { window.__posted.push(m); },
        getState: function () { return window.__state; },
        setState: function (s) { window.__state = s; },
      };
    };`);
  await page.goto(`${ORIGIN}/index.html`);
  await page.waitForFunction(() =>
    (window as unknown as { __posted: { type: string }[] }).__posted.some(m => m.type === 'ready'),
  );
  return { page, dialogs };
}

async function show(page: Page, model: PathModel): Promise<void> {
  await page.evaluate(m => window.postMessage({ type: 'model', model: m }, '*'), model);
  await page.waitForFunction(t => document.querySelector('h1')?.textContent === t, model.title);
}

async function posted(page: Page): Promise<Posted[]> {
  return page.evaluate(() => (window as unknown as { __posted: Posted[] }).__posted);
}

const shopDir = path.join('test', 'fixtures', 'path', 'shop');
function shopModel(from: string, to?: string): PathModel {
  return tracePath(loadWorkspace([path.join(ROOT, shopDir)], defaultConfig()), { from, to });
}

test('renders a path with lanes and branches, and writes screenshots', async () => {
  const model = shopModel('pod:shop/frontend', 'cart:7070');
  const { page } = await openView();
  await show(page, model);
  const all = walkHops(model);
  assert.equal(await page.locator('li.hop').count(), all.length, 'one item per hop, branches included');
  assert.equal(await page.locator('li.branch').count(), 2);
  assert.deepEqual(await page.locator('.lane-head').allTextContents(), Object.values(LANE_TITLES));
  await page.screenshot({ path: path.join(OUT, 'path-wide.png'), fullPage: true });
  await page.setViewportSize({ width: 360, height: 900 });
  await page.screenshot({ path: path.join(OUT, 'path-narrow.png'), fullPage: true });
  // Narrow: every card uses the full width instead of its lane column.
  const widths = await page.locator('li.hop .card').evaluateAll(els => els.map(e => e.getBoundingClientRect().width));
  assert.ok(Math.min(...widths) > 250, `cards stay readable at 360px (min width ${Math.min(...widths)})`);
  const broken = shopModel('pod:shop/intruder', 'cart:7070');
  await page.setViewportSize({ width: 960, height: 900 });
  await show(page, broken);
  assert.equal(await page.locator('li.hop.failed').count(), 2);
  await page.screenshot({ path: path.join(OUT, 'path-broken.png'), fullPage: true });
  assert.ok(fs.statSync(path.join(OUT, 'path-wide.png')).size > 10_000);
  await page.close();
});

test('clicking a hop posts a reveal message with its source location; keyboard does the same', async () => {
  const model = shopModel('pod:shop/frontend', 'cart:7070');
  const { page } = await openView();
  await show(page, model);
  const withSource = walkHops(model)
    .map(h => h.hop)
    .filter(h => h.source);
  const target = withSource.find(h => h.title.startsWith('NetworkPolicy'))!;
  await page.locator(`li.hop[data-hop-id="${target.id}"] .hop-title`).click();
  const last = (await posted(page)).at(-1)!;
  assert.deepEqual(last, { type: 'reveal', hopId: target.id, source: target.source });

  // Keyboard: Home focuses the first hop, ArrowDown moves to the next, Enter reveals it.
  const order = walkHops(model).map(h => h.hop);
  const k = order.findIndex((h, i) => i > 0 && h.source);
  await page.locator('li.hop').first().focus();
  await page.keyboard.press('Home');
  for (let i = 0; i < k; i++) await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.hopId), order[k].id);
  await page.keyboard.press('Enter');
  assert.deepEqual((await posted(page)).at(-1), { type: 'reveal', hopId: order[k].id, source: order[k].source });

  await page.locator('#copy-markdown').click();
  assert.deepEqual((await posted(page)).at(-1), { type: 'copyMarkdown', markdown: renderMarkdown(model) });
  await page.close();
});

test('markup in names and label values is shown as text and never runs', async () => {
  const ws = loadWorkspace([path.join(ROOT, 'test/fixtures/path/xss')], defaultConfig());
  const evilContainer = '</script><img src=x onerror=alert(1)>';
  const models = [
    tracePath(ws, { from: 'pod:xss/evil', to: 'victim:80' }),
    tracePath(ws, { from: 'pod:xss/evil', to: 'evil:80' }),
    tracePath(ws, { from: `container:xss/evil/${evilContainer}`, to: 'localhost:8080' }),
  ];
  const { page, dialogs } = await openView();
  for (const m of models) {
    await show(page, m);
    await page.waitForTimeout(100);
  }
  // The fixtures really do carry the payloads into the view as text…
  await show(page, models[0]);
  const text0 = await page.locator('#root').textContent();
  assert.ok(
    text0!.includes('app: <img src=x onerror=alert(document.domain)>'),
    'the label value is displayed literally',
  );
  assert.ok(text0!.includes('</script><script>window.__pwned=2</script>'));
  await show(page, models[2]);
  assert.ok((await page.locator('#root').textContent())!.includes(evilContainer));
  // …and nothing was parsed as markup or executed.
  assert.deepEqual(dialogs, [], 'no dialog opened');
  assert.equal(await page.locator('img').count(), 0, 'no injected <img>');
  assert.equal(await page.locator('script').count(), 1, 'only the bundle script');
  assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
  await page.screenshot({ path: path.join(OUT, 'path-xss.png'), fullPage: true });
  await page.close();
});

test('the CLI and the webview render the same path model for the same input', async () => {
  const args = [
    '--import',
    'tsx',
    path.join(ROOT, 'server/src/cli/main.ts'),
    'trace',
    shopDir,
    '--from',
    'nodeport:30080',
    '--to',
    'cart:7070',
  ];
  const json = spawnSync(process.execPath, [...args, '--format', 'json'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(json.status, 0, json.stderr);
  const cliModel = JSON.parse(json.stdout) as PathModel;
  // The same input in process gives the same model…
  const inProcess = tracePath(loadWorkspace([shopDir], defaultConfig()), { from: 'nodeport:30080', to: 'cart:7070' });
  assert.deepEqual(cliModel, JSON.parse(JSON.stringify(inProcess)));

  // …the webview draws exactly its hops, in order…
  const { page } = await openView();
  await show(page, cliModel);
  const drawn = await page.locator('li.hop').evaluateAll(els =>
    els.map(e => ({
      id: (e as HTMLElement).dataset.hopId,
      failed: e.classList.contains('failed'),
      lane: [...e.classList].find(c => c.startsWith('lane-'))!.slice(5),
      title: e.querySelector('.hop-title')!.textContent,
    })),
  );
  const expected = walkHops(cliModel).map(({ hop }) => ({
    id: hop.id,
    failed: hop.status === 'failed',
    lane: hop.lane,
    title: hop.title,
  }));
  assert.deepEqual(drawn, expected);
  assert.deepEqual(
    await page.locator('.branch-head .probability').allTextContents(),
    walkHops(cliModel).flatMap(h => (h.hop.branches ?? []).map(b => b.probabilityText)),
  );
  await page.close();

  // …and the CLI's text output lists the same hops in the same order.
  const text = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  const textTitles = text.stdout
    .split('\n')
    .map(l => /^[\s│]*[✓✗]\s+\d+\. \[[^\]]+\] (.*?)(?: {2}\([a-z-]+\))?$/.exec(l)?.[1])
    .filter((x): x is string => x !== undefined);
  assert.deepEqual(
    textTitles,
    expected.map(e => e.title),
  );
});

test('issue 11.6: rule lines wrap between words only, never inside a chain name or an address', async () => {
  const model = shopModel('nodeport:30080', 'cart:7070');
  const { page } = await openView();
  await page.setViewportSize({ width: 420, height: 900 });
  await show(page, model);
  const report = await page.locator('li.rule-line').evaluateAll(els =>
    els.map(el => {
      const split: string[] = [];
      const tops = new Set<number>();
      for (const tok of el.querySelectorAll('.tok')) {
        const lines = new Set([...tok.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top)));
        for (const t of lines) tops.add(t);
        if (lines.size > 1) split.push(tok.textContent ?? '');
      }
      return { split, lines: tops.size };
    }),
  );
  assert.ok(report.length > 10, `rule lines drawn: ${report.length}`);
  // The text is the rule exactly as kube-proxy writes it (what a copy gives).
  assert.deepEqual(
    await page.locator('li.rule-line').allTextContents(),
    walkHops(model).flatMap(h => h.hop.detail.filter(d => /^-A [A-Z]/.test(d))),
  );
  assert.deepEqual(
    report.flatMap(r => r.split),
    [],
    'no word broken across lines',
  );
  assert.ok(
    report.some(r => r.lines > 1),
    'long rules still wrap (at spaces)',
  );
  await page.screenshot({ path: path.join(OUT, 'path-rule-lines-narrow.png'), fullPage: true });
  await page.close();
});

test('issue 11.6: "First broken hop" (button or key b) focuses the first failed hop and scrolls to it', async () => {
  const broken = shopModel('pod:shop/intruder', 'cart:7070');
  const firstFailed = walkHops(broken)
    .map(h => h.hop)
    .find(h => h.status === 'failed')!;
  const { page } = await openView();
  await page.setViewportSize({ width: 960, height: 420 });
  await show(page, shopModel('pod:shop/frontend', 'cart:7070'));
  assert.equal(await page.locator('#first-broken').count(), 0, 'no button on a path that works');
  await show(page, broken);
  const inView = () =>
    page.evaluate(id => {
      const li = document.querySelector<HTMLElement>(`li.hop[data-hop-id="${id}"]`)!;
      const r = li.getBoundingClientRect();
      return { focused: document.activeElement === li, visible: r.top >= 0 && r.bottom <= window.innerHeight };
    }, firstFailed.id);
  assert.deepEqual(await inView(), { focused: false, visible: false }, 'the broken hop starts below the fold');
  await page.locator('#first-broken').click();
  assert.deepEqual(await inView(), { focused: true, visible: true });
  await page.screenshot({ path: path.join(OUT, 'path-first-broken.png') });

  await page.evaluate(() => window.scrollTo(0, 0));
  await page.locator('li.hop').first().focus();
  await page.keyboard.press('b');
  assert.deepEqual(await inView(), { focused: true, visible: true });
  await page.close();
});
