// Drives the VS Code web workbench the way a person does: keyboard shortcuts, the command
// palette, quick open, mouse hover and clicks. Selectors are VS Code's own DOM classes.
import { chromium, Browser, Page, Frame, Locator } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromiumPath, outputDir } from './paths';
import { waitFor } from './processes';

export const browserArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export class Workbench {
  private shot = 0;
  private constructor(
    readonly browser: Browser,
    readonly page: Page,
    private readonly name: string,
  ) {}

  static async open(url: string, name: string): Promise<Workbench> {
    const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: browserArgs });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      page.setDefaultTimeout(30_000);
      await page.goto(url);
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      // The explorer has listed the folder once the workbench is really up.
      await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
      return new Workbench(browser, page, name);
    } catch (e) {
      await browser.close();
      throw e;
    }
  }

  async close(): Promise<void> {
    await this.browser.close();
  }

  /** Saves a numbered screenshot into the output folder and returns its path. */
  async screenshot(step: string): Promise<string> {
    mkdirSync(outputDir, { recursive: true });
    const file = join(outputDir, `${this.name}-${String(++this.shot).padStart(2, '0')}-${step}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Clicks like a person: moves the mouse there first (some widgets ignore clicks until the mouse moved). */
  async clickLikeAPerson(target: Locator): Promise<void> {
    await target.waitFor({ state: 'visible' });
    const box = await target.boundingBox();
    if (!box) throw new Error('element has no box');
    const x = box.x + Math.min(box.width / 2, 40),
      y = box.y + box.height / 2;
    await this.page.mouse.move(x - 5, y - 5);
    await this.page.mouse.move(x, y, { steps: 3 });
    await this.page.mouse.click(x, y);
  }

  /** Runs one scenario; when it fails, a screenshot of the moment goes next to the others. */
  async guard(name: string, body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (e) {
      const file = await this.screenshot(`FAILED-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(
        () => undefined,
      );
      if (file && e instanceof Error) e.message += `\nscreenshot: ${file}`;
      throw e;
    }
  }

  /** Closes whatever menu, widget or palette a failed step may have left open. */
  async dismiss(): Promise<void> {
    for (let i = 0; i < 3; i++) await this.page.keyboard.press('Escape');
  }

  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /** Command palette: type the command's title as shown, pick the exact row. */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.quickInput.locator('input');
    await input.waitFor();
    await input.fill(`>${title}`);
    const row = this.quickInput.locator('.monaco-list-row', { hasText: title }).first();
    await row.waitFor();
    await row.click();
  }

  /** Waits for a quick pick whose title contains `title`, then accepts its first (focused) row. */
  async acceptQuickPick(title: string | RegExp): Promise<string> {
    const header = this.quickInput.locator('.quick-input-title', { hasText: title });
    await header.waitFor();
    const first = this.quickInput.locator('.monaco-list-row').first();
    await first.waitFor();
    const label = (await first.textContent()) ?? '';
    await this.page.keyboard.press('Enter');
    await header.waitFor({ state: 'hidden' });
    return label.replace(/\s+/g, ' ').trim();
  }

  /** Quick Open (Ctrl+P) a file by its name; waits for its editor tab. */
  async openFile(name: string): Promise<void> {
    await this.page.keyboard.press('Control+P');
    const input = this.quickInput.locator('input');
    await input.waitFor();
    await input.fill(name);
    await this.quickInput.locator('.monaco-list-row', { hasText: name }).first().waitFor();
    await this.page.keyboard.press('Enter');
    await this.activeTab(name).first().waitFor();
    await this.editor.locator('.view-lines').waitFor();
  }

  activeTab(name: string): Locator {
    return this.page.locator('.tabs-container .tab.active', { hasText: name });
  }
  get editor(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor').first();
  }

  /** Puts the cursor at a 1-based line and column with Go to Line (Ctrl+G). */
  async goTo(line: number, column = 1): Promise<void> {
    await this.editor.locator('.view-lines').click();
    await this.page.keyboard.press('Control+G');
    const input = this.quickInput.locator('input');
    await input.waitFor();
    await input.fill(`:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await this.quickInput.waitFor({ state: 'hidden' });
  }

  /** The rendered text of 1-based line `line` of the active editor (it must be on screen). */
  async editorLine(line: number): Promise<string | undefined> {
    return this.editor.evaluate((ed, ln) => {
      const num = [...ed.querySelectorAll<HTMLElement>('.line-numbers')].find(
        n => n.textContent?.trim() === String(ln),
      );
      if (!num) return undefined;
      const y = num.getBoundingClientRect().top;
      const row = [...ed.querySelectorAll<HTMLElement>('.view-lines .view-line')].find(
        v => Math.abs(v.getBoundingClientRect().top - y) < 4,
      );
      return row ? (row.textContent ?? '').replace(/\u00a0/g, ' ') : undefined;
    }, line);
  }

  /**
   * Moves the mouse over `word` on 1-based editor line `line` (which must be on screen, e.g. after
   * goTo), the way a person points at a name to see its hover.
   */
  async hoverWord(line: number, word: string): Promise<void> {
    const point = await this.editor.evaluate(
      (ed, [ln, w]) => {
        const num = [...ed.querySelectorAll<HTMLElement>('.line-numbers')].find(
          n => n.textContent?.trim() === String(ln),
        );
        if (!num) return undefined;
        const y = num.getBoundingClientRect().top + 2;
        const row = [...ed.querySelectorAll<HTMLElement>('.view-lines .view-line')].find(
          v => Math.abs(v.getBoundingClientRect().top + 2 - y) < 4,
        );
        const span = row && [...row.querySelectorAll<HTMLElement>('span span')].find(s => s.textContent?.trim() === w);
        if (!span) return undefined;
        const r = span.getBoundingClientRect();
        return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
      },
      [line, word] as const,
    );
    if (!point) throw new Error(`"${word}" is not on screen at line ${line}`);
    await this.page.mouse.move(point.x - 30, point.y + 40);
    await this.page.mouse.move(point.x, point.y, { steps: 5 });
  }

  /** The visible editor hover. */
  get hover(): Locator {
    return this.page
      .locator('.monaco-hover:not(.hidden)')
      .filter({ has: this.page.locator('.hover-contents, .markdown-hover') })
      .first();
  }

  get problemsPanel(): Locator {
    return this.page.locator('.markers-panel');
  }

  /** Hides the bottom panel (Problems etc.) to give the editors the room. */
  async hidePanel(): Promise<void> {
    const panel = this.page.locator('.part.panel.bottom');
    if (await panel.isVisible()) {
      await this.page.keyboard.press('Control+J');
      await panel.waitFor({ state: 'hidden' });
    }
  }

  async showProblems(): Promise<void> {
    if (!(await this.problemsPanel.isVisible())) await this.page.keyboard.press('Control+Shift+M');
    await this.problemsPanel.waitFor();
  }

  /**
   * Every row of the Problems tree as rendered, e.g. "catalog.yaml 1" or
   * "Service selector … kube-netlint(service-selector-no-match) [Ln 31, Col 10]" (the
   * accessible label leaves out the rule id, so the visible text is read).
   */
  async problemRows(): Promise<string[]> {
    return this.problemsPanel
      .locator('.monaco-list-row')
      .evaluateAll(rows => rows.map(r => (r.textContent ?? '').replace(/\s+/g, ' ').trim()));
  }

  async waitForProblems(what: string, accept: (rows: string[]) => boolean, timeoutMs = 30_000): Promise<string[]> {
    let last: string[] = [];
    try {
      return await waitFor(
        what,
        async () => {
          last = await this.problemRows();
          return accept(last) ? last : undefined;
        },
        timeoutMs,
      );
    } catch (e) {
      throw new Error(`${(e as Error).message}\nProblems panel had:\n  ${last.join('\n  ') || '(nothing)'}`, {
        cause: e,
      });
    }
  }

  /** The webview frame whose document contains `selector` (webviews are nested iframes). */
  async webviewFrame(selector: string, timeoutMs = 30_000): Promise<Frame> {
    return waitFor(
      `a webview containing ${selector}`,
      async () => {
        for (const f of this.page.frames()) {
          if (f === this.page.mainFrame()) continue;
          if (
            await f
              .locator(selector)
              .count()
              .catch(() => 0)
          )
            return f;
        }
        return undefined;
      },
      timeoutMs,
    );
  }

  /**
   * The Output panel's text once the channel `name` is the one shown and its text matches
   * `until` (the panel must be open). The text is read from the editor's rendered lines.
   */
  async outputText(name: string, until: RegExp, timeoutMs = 30_000): Promise<string> {
    const panel = this.page.locator('.part.panel');
    let last = '';
    return waitFor(
      `the Output channel "${name}" to show ${until}`,
      async () => {
        const selected = await panel
          .locator('select.monaco-select-box')
          .evaluateAll(sels => sels.map(s => (s as HTMLSelectElement).selectedOptions[0]?.textContent ?? ''));
        if (!selected.includes(name)) return undefined;
        last = await panel
          .locator('.view-lines')
          .first()
          .evaluate(e => (e.textContent ?? '').replace(/\u00a0/g, ' '));
        return until.test(last) ? last : undefined;
      },
      timeoutMs,
    ).catch(e => {
      throw new Error(`${(e as Error).message}\nlast text: ${last}`, { cause: e });
    });
  }
}
