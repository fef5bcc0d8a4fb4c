import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

/**
 * "kube-netlint: Generate NetworkPolicies": the server computes the policies (engine
 * calls/generate.ts) for the unit of the active file; the client only shows them, in an untitled
 * YAML editor the user can review and save.
 */
export const COMMAND = 'kubeNetlint.generatePolicies';

type Result = { text: string; connections: number } | { error: string };

export function activate(context: vscode.ExtensionContext, client: LanguageClient): vscode.Disposable {
  const all = vscode.Disposable.from(
    vscode.commands.registerCommand(COMMAND, async () => {
      const active = vscode.window.activeTextEditor?.document.uri;
      const r = await client.sendRequest<Result>('kubeNetlint/generatePolicies', {
        uri: active && active.scheme === 'file' ? active.toString() : undefined,
      });
      if ('error' in r) {
        void vscode.window.showInformationMessage(`kube-netlint: ${r.error}`);
        return;
      }
      const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: r.text });
      await vscode.window.showTextDocument(doc, { preview: false });
    }),
  );
  context.subscriptions.push(all);
  return all;
}
