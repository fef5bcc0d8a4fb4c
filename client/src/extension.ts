import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { activateFeatures } from './features';
import { quietWhileStopping } from './shutdown';

let client: LanguageClient | undefined;
let features: vscode.Disposable[] = [];
let stopping = false;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  stopping = false;
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
    // Rendering (kustomize, helm) runs programs on workspace files: the server does it only in
    // a trusted workspace, so it needs to know the trust state.
    initializationOptions: { trusted: vscode.workspace.isTrusted },
    outputChannelName: 'kube-netlint',
    middleware: quietWhileStopping(() => stopping),
  };
  client = new LanguageClient('kubeNetlint', 'kube-netlint', serverOptions, clientOptions);
  features = activateFeatures(context, client);
  await client.start();
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
