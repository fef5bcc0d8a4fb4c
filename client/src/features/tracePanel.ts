import * as vscode from 'vscode';
import { State } from 'vscode-languageclient/node';
import type { LanguageClient } from 'vscode-languageclient/node';
import { pathViewHtml, makeNonce } from '../../../media/src/pathViewHtml';
import { Debounced } from '../timer';

/**
 * "kube-netlint: Preview Traffic Path": pick an entry (pre-filled from the cursor), ask the
 * server for the path, and show it in a webview that follows edits to the YAML.
 */
export const COMMAND = 'kubeNetlint.previewTrafficPath';

interface Suggestion {
  value: string;
  kind: string;
  label: string;
  description: string;
}
interface EntriesResult {
  kinds: { kind: string; label: string; example: string }[];
  entries: Suggestion[];
  destinations: Suggestion[];
  suggested?: { from?: string; to?: string };
}
interface SourceLink {
  fileId: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}
type PathResult = { model: { title: string; status: string }; markdown: string } | { error: string };

interface Target {
  from: string;
  to?: string;
}

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

async function chooseTarget(client: LanguageClient, arg: Partial<Target> | undefined): Promise<Target | undefined> {
  const editor = vscode.window.activeTextEditor;
  const entries = await client.sendRequest<EntriesResult>(
    'kubeNetlint/traceEntries',
    editor ? { uri: editor.document.uri.toString(), position: editor.selection.active } : {},
  );
  let from = arg?.from;
  let to = arg?.to;
  const suggested = entries.suggested ?? {};
  if (!from) {
    const suggestedKind = suggested.from?.split(':')[0];
    const kindItems = entries.kinds.map(k => ({
      label: k.label,
      description: k.kind === suggestedKind ? `from the cursor: ${suggested.from}` : k.example,
      entryKind: k.kind,
    }));
    kindItems.sort((a, b) => (a.entryKind === suggestedKind ? -1 : b.entryKind === suggestedKind ? 1 : 0));
    const kind = await vscode.window.showQuickPick(kindItems, {
      title: 'Preview traffic path: entry kind',
      placeHolder: 'Where does the packet enter?',
    });
    if (!kind) return undefined;
    const pre = suggested.from?.startsWith(`${kind.entryKind}:`) ? suggested.from : undefined;
    from = await pickOrType(
      `Preview traffic path: ${kind.label}`,
      entries.entries.filter(e => e.kind === kind.entryKind),
      pre,
      kind.description ?? '',
    );
    if (!from) return undefined;
  }
  const kindOf = from.split(':')[0];
  if (!to && (kindOf === 'pod' || kindOf === 'container' || !arg?.from)) {
    const dests =
      kindOf === 'container'
        ? entries.destinations.filter(d => d.value.startsWith('localhost:'))
        : entries.destinations.filter(d => !d.value.startsWith('localhost:'));
    const optional = kindOf !== 'pod' && kindOf !== 'container';
    to = await pickOrType(
      optional ? 'Then call (optional: Escape to stop at the receiving pod)' : 'Destination the pod calls',
      dests,
      suggested.to,
      optional ? '' : 'service[.namespace]:port or localhost:port',
    );
    if (!to && !optional) return undefined;
  }
  return { from, to: to || undefined };
}

/** A quick pick that also accepts a typed value, so any entry the CLI accepts works here too. */
function pickOrType(
  title: string,
  items: Suggestion[],
  preset: string | undefined,
  placeholder: string,
): Promise<string | undefined> {
  return new Promise(resolve => {
    const qp = vscode.window.createQuickPick<vscode.QuickPickItem & { value: string }>();
    qp.title = title;
    qp.placeholder = placeholder;
    qp.matchOnDescription = true;
    const base = items.map(i => ({ label: i.value, description: i.description, value: i.value }));
    if (preset && !base.some(b => b.value === preset))
      base.unshift({ label: preset, description: 'from the cursor', value: preset });
    else if (preset) base.sort((a, b) => (a.value === preset ? -1 : b.value === preset ? 1 : 0));
    qp.items = base;
    qp.onDidChangeValue(v => {
      qp.items =
        v && !base.some(b => b.value === v) ? [{ label: v, description: 'use as typed', value: v }, ...base] : base;
    });
    let done = false;
    qp.onDidAccept(() => {
      done = true;
      resolve(qp.selectedItems[0]?.value ?? (qp.value || undefined));
      qp.hide();
    });
    qp.onDidHide(() => {
      if (!done) resolve(undefined);
      qp.dispose();
    });
    qp.show();
  });
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
