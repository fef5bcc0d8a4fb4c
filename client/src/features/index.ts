import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

/** Client-side features (commands, views); each module exports `activate(context, client)`. */
const features: { activate(context: vscode.ExtensionContext, client: LanguageClient): void }[] = [
];

export function activateFeatures(context: vscode.ExtensionContext, client: LanguageClient): void {
  for (const f of features) f.activate(context, client);
}
