import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

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

class RulesProvider implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  constructor(private readonly client: LanguageClient) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const q = new URLSearchParams(uri.query);
    const params: Args = {};
    for (const k of ['service', 'mode', 'syntax', 'node'] as const) {
      const v = q.get(k);
      if (v) params[k] = v;
    }
    const r = await this.client.sendRequest<RulesResult>('kubeNetlint/proxyRules', params);
    return 'error' in r ? `# ${r.error}\n` : r.text;
  }

  refresh(): void {
    for (const d of vscode.workspace.textDocuments) if (d.uri.scheme === SCHEME) this.changed.fire(d.uri);
  }
}

export function rulesUri(args: Args): vscode.Uri {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(args)) if (v) q.set(k, v);
  const name = args.service ? args.service.replace('/', '_') : 'all-services';
  return vscode.Uri.from({ scheme: SCHEME, path: `/${name}.${args.mode ?? 'proxy'}.rules`, query: q.toString() });
}

export function activate(context: vscode.ExtensionContext, client: LanguageClient): void {
  const provider = new RulesProvider(client);
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => provider.refresh(), 300);
  };
  context.subscriptions.push(
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
      await vscode.window.showTextDocument(shown, { preview: false, viewColumn: vscode.ViewColumn.Beside });
    }),
    vscode.workspace.onDidChangeTextDocument(e => {
      if (e.document.uri.scheme !== SCHEME && /\.(ya?ml)$/i.test(e.document.fileName)) schedule();
    }),
    vscode.workspace.onDidChangeConfiguration(e => {
      if (e.affectsConfiguration('kubeNetlint')) schedule();
    }),
  );
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
