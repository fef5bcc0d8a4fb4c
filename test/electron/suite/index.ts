// Scenarios (a)–(d) of the end-to-end suite through the VS Code API, inside VS Code's extension
// host. The same module runs under @vscode/test-electron (desktop VS Code, where it can be
// downloaded) and in code-server's extension host (test/e2e/specs/api.spec.ts, offline).
// The workspace is a copy of test/e2e/fixtures/shop; the results file is named by KN_TEST_RESULTS.
import * as vscode from 'vscode';
import * as assert from 'node:assert/strict';
import { Case, eventually, runCases } from './harness';
import { kubeProxyHash } from '../../e2e/support/kubeProxyHash';

const EXTENSION_ID = 'kube-netlint.kube-netlint';
const RULE = 'service-selector-no-match';

function fileUri(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder open');
  return vscode.Uri.joinPath(folder.uri, name);
}

function codeOf(d: vscode.Diagnostic): string | undefined {
  return typeof d.code === 'object' ? String(d.code.value) : d.code === undefined ? undefined : String(d.code);
}

function ours(uri: vscode.Uri, rule: string, messagePart: string): vscode.Diagnostic | undefined {
  return vscode.languages
    .getDiagnostics(uri)
    .find(d => d.source === 'kube-netlint' && codeOf(d) === rule && d.message.includes(messagePart));
}

/** Position of `needle` in `doc`, searching from the first line that matches `after`. */
function find(doc: vscode.TextDocument, needle: string, after?: RegExp): vscode.Position {
  const text = doc.getText();
  let from = 0;
  if (after) {
    const m = after.exec(text);
    if (!m) throw new Error(`${doc.fileName}: nothing matches ${after}`);
    from = m.index;
  }
  const i = text.indexOf(needle, from);
  if (i < 0) throw new Error(`${doc.fileName}: "${needle}" not found`);
  return doc.positionAt(i);
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap(h => h.contents)
    .map(c => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

const cases: Case[] = [
  {
    name: 'the extension activates by itself in a workspace of manifests',
    async run() {
      const ext = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(ext, `${EXTENSION_ID} is installed`);
      await eventually('activation through activationEvents', () => (ext.isActive ? true : undefined), 30_000);
    },
  },
  {
    name: '(a) a file that was never opened gets diagnostics with rule ids',
    async run() {
      const uri = fileUri('catalog.yaml');
      const d = await eventually(`${RULE} on catalog.yaml`, () => ours(uri, RULE, 'catalgo'), 60_000);
      assert.ok(
        !vscode.workspace.textDocuments.some(t => t.uri.toString() === uri.toString()),
        'catalog.yaml was not opened',
      );
      assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
      assert.ok(
        typeof d.code === 'object' && d.code.target.toString().includes(RULE),
        'the code links to the rule page',
      );
    },
  },
  {
    name: '(a) diagnostics follow an edit in the editor, and its undo',
    async run() {
      const doc = await vscode.workspace.openTextDocument(fileUri('frontend.yaml'));
      const editor = await vscode.window.showTextDocument(doc);
      const at = find(doc, 'app: frontend', /^kind: Service/m).translate(0, 'app: frontend'.length);
      assert.ok(await editor.edit(e => e.insert(at, 'x')));
      await eventually('the typed selector to be reported', () => ours(doc.uri, RULE, 'frontendx'));
      await vscode.commands.executeCommand('undo');
      await eventually('the report to go away after undo', () => (ours(doc.uri, RULE, 'frontendx') ? undefined : true));
    },
  },
  {
    name: '(d) the quick fix rewrites the selector',
    async run() {
      const uri = fileUri('catalog.yaml');
      const d = await eventually(`${RULE} on catalog.yaml`, () => ours(uri, RULE, 'catalgo'), 60_000);
      // Code actions are computed on an open model, as they are for a person at the light bulb.
      const doc = await vscode.workspace.openTextDocument(uri);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        uri,
        d.range,
        vscode.CodeActionKind.QuickFix.value,
        10,
      );
      const fix = actions.find(a => a.title === 'Change selector to app: catalog');
      assert.ok(fix, `quick fixes offered: ${actions.map(a => a.title).join(' | ')}`);
      assert.ok(fix.edit || fix.command, 'the fix carries an edit or a command');
      if (fix.edit) assert.ok(await vscode.workspace.applyEdit(fix.edit));
      if (fix.command) await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
      const selector = doc.lineAt(d.range.start.line).text;
      assert.equal(selector.trim(), 'app: catalog', `the selector line now reads "${selector}"`);
      await eventually('the diagnostic to go away', () => (ours(uri, RULE, 'catalgo') ? undefined : true));
    },
  },
  {
    name: '(b) the hover on a Service name explains what kube-proxy programs',
    async run() {
      const doc = await vscode.workspace.openTextDocument(fileUri('frontend.yaml'));
      const at = find(doc, 'frontend', /^kind: Service/m).translate(0, 2);
      const text = await eventually('a kube-proxy hover', async () => {
        const t = hoverText(
          await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at),
        );
        return t.includes('kube-proxy') ? t : undefined;
      });
      assert.ok(text.includes('KUBE-SERVICES'));
      assert.ok(text.includes(`KUBE-SVC-${kubeProxyHash('shop/frontend:http', 'TCP')}`), "kube-proxy's own chain name");
    },
  },
  {
    name: '(c) "Preview Traffic Path" opens the webview and it renders the traced path',
    async run() {
      await vscode.commands.executeCommand('kubeNetlint.previewTrafficPath', { from: 'nodeport:30080' });
      // The panel is retitled only after its script has loaded, said "ready" and received the path.
      await eventually('the traffic path panel showing the traced path', () =>
        vscode.window.tabGroups.all
          .flatMap(g => g.tabs)
          .find(
            t =>
              t.input instanceof vscode.TabInputWebview &&
              t.input.viewType.includes('kubeNetlint.trafficPath') &&
              t.label === 'Traffic path: nodeport:30080',
          ),
      );
    },
  },
];

export async function run(): Promise<void> {
  const result = await runCases(cases, process.env.KN_TEST_RESULTS);
  console.log(`kube-netlint VS Code API suite: ${result.passed} passed, ${result.failed} failed`);
  if (result.failed) throw new Error(`${result.failed} of ${cases.length} scenarios failed`);
}
