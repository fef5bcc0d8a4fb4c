import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { connectivityViewHtml, makeNonce } from '../../../media/src/connectivityViewHtml';
import { Debounced } from '../timer';

/**
 * "kube-netlint: Show Connectivity": the matrix of workloads of the active file's unit and what
 * the policies allow between them (server requests kubeNetlint/connectivityMatrix and
 * kubeNetlint/connectivityExplain); follows edits to the YAML. The client only relays messages.
 */
export const COMMAND = 'kubeNetlint.showConnectivity';

interface SourceLink {
  fileId: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

let panel: vscode.WebviewPanel | undefined;
let unitUri: string | undefined;
let refreshTimer: Debounced | undefined;

export function activate(context: vscode.ExtensionContext, client: LanguageClient): vscode.Disposable {
  refreshTimer = new Debounced(400, () => void refresh(client));
  const all = vscode.Disposable.from(
    refreshTimer,
    vscode.commands.registerCommand(COMMAND, () => {
      const active = vscode.window.activeTextEditor?.document.uri;
      unitUri = active && active.scheme === 'file' ? active.toString() : unitUri;
      show(context, client);
    }),
    vscode.workspace.onDidChangeTextDocument(e => {
      if (panel && /\.(ya?ml|json)$/i.test(e.document.fileName)) refreshTimer?.schedule();
    }),
  );
  context.subscriptions.push(all);
  return all;
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
    'kubeNetlint.connectivity',
    'Connectivity',
    { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
    { enableScripts: true, enableCommandUris: false, localResourceRoots: [scriptRoot, mediaRoot] },
  );
  const webview = panel.webview;
  webview.html = connectivityViewHtml({
    cspSource: webview.cspSource,
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(scriptRoot, 'connectivityView.js')).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(mediaRoot, 'connectivityView.css')).toString(),
    nonce: makeNonce(),
  });
  webview.onDidReceiveMessage(
    async (msg: { type?: string; src?: unknown; dst?: unknown; source?: SourceLink }) => {
      if (msg?.type === 'ready') await refresh(client);
      else if (msg?.type === 'explain' && typeof msg.src === 'string' && typeof msg.dst === 'string') {
        const explanation = await client.sendRequest<{ error?: string }>('kubeNetlint/connectivityExplain', {
          uri: unitUri,
          src: msg.src,
          dst: msg.dst,
        });
        if (panel && !explanation.error) void panel.webview.postMessage({ type: 'explanation', explanation });
      } else if (msg?.type === 'reveal' && msg.source) await reveal(msg.source);
    },
    undefined,
    context.subscriptions,
  );
  panel.onDidDispose(() => (panel = undefined), undefined, context.subscriptions);
}

async function refresh(client: LanguageClient): Promise<void> {
  if (!panel || refreshTimer?.isDisposed) return;
  let matrix: unknown;
  try {
    matrix = await client.sendRequest('kubeNetlint/connectivityMatrix', { uri: unitUri });
  } catch (e) {
    // Stopping or restarting: the view keeps what it shows and follows again once the server is back.
    if (refreshTimer?.isDisposed || !client.isRunning()) return;
    throw e;
  }
  if (panel) void panel.webview.postMessage({ type: 'matrix', matrix });
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
