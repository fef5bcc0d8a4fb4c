import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import * as tracePanel from './tracePanel';
import * as proxyRules from './proxyRules';
import * as policies from './policies';
import * as connectivityPanel from './connectivityPanel';

/**
 * Client-side features (commands, views); each module exports `activate(context, client)` and
 * returns what must be stopped before the client is (timers, providers).
 */
const features: { activate(context: vscode.ExtensionContext, client: LanguageClient): vscode.Disposable }[] = [
  tracePanel,
  proxyRules,
  policies,
  connectivityPanel,
];

export function activateFeatures(context: vscode.ExtensionContext, client: LanguageClient): vscode.Disposable[] {
  return features.map(f => f.activate(context, client));
}
