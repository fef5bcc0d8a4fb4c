import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import * as tracePanel from './tracePanel';
import * as proxyRules from './proxyRules';
import * as policies from './policies';

/** Client-side features (commands, views); each module exports `activate(context, client)`. */
const features: { activate(context: vscode.ExtensionContext, client: LanguageClient): void }[] = [
  tracePanel,
  proxyRules,
  policies,
];

export function activateFeatures(context: vscode.ExtensionContext, client: LanguageClient): void {
  for (const f of features) f.activate(context, client);
}
