import * as vscode from 'vscode';
import { State } from 'vscode-languageclient/node';
import type { LanguageClient } from 'vscode-languageclient/node';
import { Debounced } from '../timer';

/**
 * "kube-netlint: Show kube-proxy rules": the rules kube-proxy would program, for one Service or
 * the whole workspace, in a read-only virtual document (language `iptables`) that follows edits.
 */
export const COMMAND = 'kubeNetlint.showProxyRules';
export const SCHEME = 'kube-netlint-rules';
export const LANGUAGE = 'iptables';

interface Args {
  service?: string;
  mode?: string;
  syntax?: string;
  node?: string;
}
type RulesResult = { text: string } | { error: string };
interface ServiceItem {
  service: string;
  type: string;
  headless: boolean;
  ports: string;
}

const NOT_RUNNING = '# the kube-netlint language server is not running\n';

class RulesProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  /** The last text of each open view, shown while the server is stopped or restarting. */
  private readonly last = new Map<string, string>();
  private inFlight = 0;
  private pending = false;
  private disposed = false;

  constructor(
    private readonly client: LanguageClient,
    private readonly later: () => void,
  ) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const key = uri.toString();
    if (this.disposed) return this.last.get(key) ?? NOT_RUNNING;
    const q = new URLSearchParams(uri.query);
    const params: Args = {};
    for (const k of ['service', 'mode', 'syntax', 'node'] as const) {
      const v = q.get(k);
      if (v) params[k] = v;
    }
    this.inFlight++;
    try {
      const r = await this.client.sendRequest<RulesResult>('kubeNetlint/proxyRules', params);
      const text = 'error' in r ? `# ${r.error}\n` : r.text;
      this.last.set(key, text);
      return text;
    } catch (e) {
      if (this.disposed || !this.client.isRunning()) return this.last.get(key) ?? NOT_RUNNING;
      throw e;
    } finally {
      this.inFlight--;
      // An edit that came in while this answer was computed is shown by the next round.
      if (this.inFlight === 0 && this.pending) {
        this.pending = false;
        this.later();
      }
    }
  }

  /**
   * Asks VS Code to re-read every open rules view. Never while an answer is still being computed:
   * VS Code queues such an event and replays it after the previous one, possibly after the
   * provider was unregistered at shutdown.
   */
  refresh(): void {
    if (this.disposed) return;
    if (this.inFlight) {
      this.pending = true;
      return;
    }
    for (const d of vscode.workspace.textDocuments) if (d.uri.scheme === SCHEME) this.changed.fire(d.uri);
  }

  dispose(): void {
    this.disposed = true;
    this.changed.dispose();
  }
}

export function rulesUri(args: Args): vscode.Uri {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(args)) if (v) q.set(k, v);
  const name = args.service ? args.service.replace('/', '_') : 'all-services';
  return vscode.Uri.from({ scheme: SCHEME, path: `/${name}.${args.mode ?? 'proxy'}.rules`, query: q.toString() });
}

export function activate(context: vscode.ExtensionContext, client: LanguageClient): vscode.Disposable {
  const refresh = new Debounced(300, () => provider.refresh());
  const provider = new RulesProvider(client, () => refresh.schedule());
  const schedule = () => refresh.schedule();
  // The timer and the provider's event stop first, then the provider is unregistered.
  const disposables: vscode.Disposable[] = [
    refresh,
    provider,
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, provider),
    vscode.commands.registerCommand(COMMAND, async (arg?: Args) => {
      const args = arg && typeof arg === 'object' ? { ...arg } : {};
      if (!args.service && !arg) {
        const picked = await pickService(client);
        if (picked === undefined) return;
        if (picked) args.service = picked;
      }
      const doc = await vscode.workspace.openTextDocument(rulesUri(args));
      const shown = doc.languageId === LANGUAGE ? doc : await vscode.languages.setTextDocumentLanguage(doc, LANGUAGE);
      await vscode.window.showTextDocument(shown, { preview: false, viewColumn: rulesColumn() });
    }),
    vscode.workspace.onDidChangeTextDocument(e => {
      if (e.document.uri.scheme !== SCHEME && /\.(ya?ml)$/i.test(e.document.fileName)) schedule();
    }),
    vscode.workspace.onDidChangeConfiguration(e => {
      if (e.affectsConfiguration('kubeNetlint')) schedule();
    }),
    // After "Restart Server" the views show the new server's answer.
    client.onDidChangeState(e => {
      if (e.newState === State.Running) schedule();
    }),
  ];
  const all = vscode.Disposable.from(...disposables);
  context.subscriptions.push(all);
  return all;
}

/**
 * Rules views share one editor column: the one already holding a rules view, else the column
 * beside the active editor. (Beside alone, run from a rules view, opened a column after it.)
 */
function rulesColumn(): vscode.ViewColumn {
  for (const g of vscode.window.tabGroups.all)
    if (g.tabs.some(t => t.input instanceof vscode.TabInputText && t.input.uri.scheme === SCHEME)) return g.viewColumn;
  return vscode.ViewColumn.Beside;
}

/** '' = all Services; undefined = cancelled. */
async function pickService(client: LanguageClient): Promise<string | undefined> {
  const services = await client.sendRequest<ServiceItem[]>('kubeNetlint/proxyServices');
  const items = [
    { label: 'All Services', description: 'everything kube-proxy programs on the node', value: '' },
    ...services.map(s => ({
      label: s.service,
      description: `${s.type}${s.headless ? ', headless' : ''}  ${s.ports}`,
      value: s.service,
    })),
  ];
  const pick = await vscode.window.showQuickPick(items, {
    title: 'Show kube-proxy rules',
    placeHolder: 'Which Service?',
  });
  return pick?.value;
}
