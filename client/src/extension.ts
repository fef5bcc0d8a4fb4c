import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { activateFeatures } from './features';
import { quietWhileStopping } from './shutdown';
import { COMMAND as PREVIEW_TRAFFIC_PATH } from './features/tracePanel';
import { COMMAND as SHOW_PROXY_RULES } from './features/proxyRules';

const CLIENT_COMMANDS = [PREVIEW_TRAFFIC_PATH, SHOW_PROXY_RULES];

/** vscode-languageclient reports every server exit as an error, also the clean one of a stop or restart. */
class Client extends LanguageClient {
  override error(message: string, data?: unknown, showNotification?: boolean | 'force'): void {
    if (message === 'Server process exited with code 0.') this.info('Server process exited normally.', data, false);
    else super.error(message, data, showNotification);
  }
}

let client: LanguageClient | undefined;
let features: vscode.Disposable[] = [];
let stopping = false;

export const RESTART_COMMAND = 'kubeNetlint.restartServer';
export const SHOW_OUTPUT_COMMAND = 'kubeNetlint.showOutput';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  stopping = false;
  // Created here rather than by the client on its first message, so "Show Output" always has it.
  const output = vscode.window.createOutputChannel('kube-netlint');
  context.subscriptions.push(output);
  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      options: { execArgv: ['--nolazy', '--inspect=6010'] },
    },
  };
  const clientOptions: LanguageClientOptions = {
    // Diagnostics cover the whole workspace; these selectors decide where hovers, quick fixes
    // and code lenses are offered.
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'file', pattern: '**/*.{yaml,yml}' },
      { scheme: 'file', pattern: '**/*.{json,conf,conflist}' },
    ],
    synchronize: { configurationSection: 'kubeNetlint' },
    outputChannel: output,
    middleware: quietWhileStopping(() => stopping),
    // Hovers link to the rules view and the path preview with command: URIs; only these run.
    markdown: { isTrusted: { enabledCommands: CLIENT_COMMANDS } },
    initializationOptions: {
      // Rendering (kustomize, helm) runs programs on workspace files: the server does it only in
      // a trusted workspace, so it needs to know the trust state.
      trusted: vscode.workspace.isTrusted,
      // The commands this client runs itself, so the server may put them in code lenses and hovers.
      clientCommands: CLIENT_COMMANDS,
    },
  };
  const c = new Client('kubeNetlint', 'kube-netlint', serverOptions, clientOptions);
  client = c;
  features = activateFeatures(context, c);
  context.subscriptions.push(
    vscode.commands.registerCommand(SHOW_OUTPUT_COMMAND, () => output.show(true)),
    vscode.commands.registerCommand(RESTART_COMMAND, async () => {
      if (stopping) return;
      c.info('kube-netlint: restarting the language server');
      await c.restart();
      c.info('kube-netlint: language server restarted');
    }),
  );
  await c.start();
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() =>
      client?.sendNotification('kubeNetlint/workspaceTrust', { trusted: true }),
    ),
  );
  context.subscriptions.push({ dispose: () => void shutdown() });
}

/**
 * VS Code calls deactivate() and then, without waiting, disposes the subscriptions. So
 * everything that could still talk to the server or fire into a provider (refresh timers, view
 * events) is stopped synchronously here, before the client is asked to stop.
 */
function shutdown(): Promise<void> {
  stopping = true;
  for (const f of features.splice(0)) f.dispose();
  const c = client;
  client = undefined;
  return c ? c.stop().catch(() => undefined) : Promise.resolve();
}

export function deactivate(): Promise<void> {
  return shutdown();
}
