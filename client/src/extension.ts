import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { activateFeatures } from './features';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
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
  };
  client = new LanguageClient('kubeNetlint', 'kube-netlint', serverOptions, clientOptions);
  activateFeatures(context, client);
  await client.start();
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() =>
      client?.sendNotification('kubeNetlint/workspaceTrust', { trusted: true }),
    ),
  );
  context.subscriptions.push({ dispose: () => void client?.stop() });
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
