import * as vscode from 'vscode';
import { State } from 'vscode-languageclient/node';
import type { LanguageClient } from 'vscode-languageclient/node';
import { pathViewHtml, makeNonce } from '../../../media/src/pathViewHtml';
import { Debounced } from '../timer';
import { chooseTarget, Target } from './pathPrompts';

/**
 * "kube-netlint: Preview Traffic Path": pick an entry (pre-filled from the cursor), ask the
 * server for the path, and show it in a webview that follows edits to the YAML.
 */
export const COMMAND = 'kubeNetlint.previewTrafficPath';

interface SourceLink {
  fileId: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}
type PathResult = { model: { title: string; status: string }; markdown: string } | { error: string };

let panel: vscode.WebviewPanel | undefined;
let target: Target | undefined;
let refreshTimer: Debounced | undefined;

export function activate(context: vscode.ExtensionContext, client: LanguageClient): vscode.Disposable {
  refreshTimer = new Debounced(400, () => void refresh(client));
  const all = vscode.Disposable.from(
    refreshTimer,
    vscode.commands.registerCommand(COMMAND, async (arg?: Partial<Target>) => {
      const chosen = await chooseTarget(client, arg);
      if (!chosen) return;
      target = chosen;
      show(context, client);
    }),
    // The view follows the YAML: any edit or save of a workspace manifest re-traces.
    vscode.workspace.onDidChangeTextDocument(e => {
      if (panel && isManifest(e.document)) refreshTimer?.schedule();
    }),
    vscode.workspace.onDidSaveTextDocument(d => {
      if (panel && isManifest(d)) refreshTimer?.schedule();
    }),
    client.onDidChangeState(e => {
      if (panel && e.newState === State.Running) refreshTimer?.schedule();
    }),
  );
  context.subscriptions.push(all);
  return all;
}

function isManifest(d: vscode.TextDocument): boolean {
  return /\.(ya?ml|json|conf|conflist)$/i.test(d.fileName);
}

function show(context: vscode.ExtensionContext, client: LanguageClient): void {
  if (panel) {
    panel.reveal(undefined, true);
    void refresh(client);
    return;
  }
  const scriptRoot = vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview');
  const mediaRoot = vscode.Uri.joinPath(context.extensionUri, 'media');
  panel = vscode.window.createWebviewPanel(
    'kubeNetlint.trafficPath',
    'Traffic path',
    { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
    {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [scriptRoot, mediaRoot],
    },
  );
  const webview = panel.webview;
  webview.html = pathViewHtml({
    cspSource: webview.cspSource,
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(scriptRoot, 'pathView.js')).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(mediaRoot, 'pathView.css')).toString(),
    nonce: makeNonce(),
  });
  webview.onDidReceiveMessage(
    async (msg: { type?: string; source?: SourceLink; markdown?: string }) => {
      if (msg?.type === 'ready') await refresh(client);
      else if (msg?.type === 'reveal' && msg.source) await reveal(msg.source);
      else if (msg?.type === 'copyMarkdown' && typeof msg.markdown === 'string') {
        await vscode.env.clipboard.writeText(msg.markdown);
        void vscode.window.setStatusBarMessage('kube-netlint: traffic path copied as Markdown', 3000);
      }
    },
    undefined,
    context.subscriptions,
  );
  panel.onDidDispose(
    () => {
      panel = undefined;
    },
    undefined,
    context.subscriptions,
  );
}

async function refresh(client: LanguageClient): Promise<void> {
  if (!panel || !target || refreshTimer?.isDisposed) return;
  let res: PathResult;
  try {
    res = await client.sendRequest<PathResult>('kubeNetlint/tracePath', target);
  } catch (e) {
    // Stopping or restarting: the view keeps what it shows and follows again once the server is back.
    if (refreshTimer?.isDisposed || !client.isRunning()) return;
    throw e;
  }
  if (!panel) return;
  if ('error' in res) {
    void panel.webview.postMessage({ type: 'error', error: res.error });
    return;
  }
  panel.title = `Traffic path: ${res.model.title}`;
  void panel.webview.postMessage({ type: 'model', model: res.model });
}

async function reveal(source: SourceLink): Promise<void> {
  const uri = vscode.Uri.parse(source.fileId);
  const range = new vscode.Range(
    source.range.start.line,
    source.range.start.character,
    source.range.end.line,
    source.range.end.character,
  );
  const doc = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(doc, {
    viewColumn: vscode.ViewColumn.One,
    selection: range,
    preserveFocus: false,
  });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
