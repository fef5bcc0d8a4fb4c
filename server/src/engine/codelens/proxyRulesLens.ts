import type { Workspace } from '../workspace';
import { registerCodeLensProvider, CodeLensResult } from './index';

/** The client command that opens the generated rules (client/src/features/proxyRules.ts). */
export const SHOW_PROXY_RULES_COMMAND = 'kubeNetlint.showProxyRules';

/** "Show kube-proxy rules" above every Service that kube-proxy programs. */
export function proxyRulesLenses(ws: Workspace, fileId: string): CodeLensResult[] {
  const file = ws.file(fileId);
  if (!file || file.kind !== 'yaml') return [];
  const out: CodeLensResult[] = [];
  for (const r of file.resources) {
    const svc = ws.cluster.facts.get(r.id)?.service;
    if (!svc || svc.type === 'ExternalName' || svc.headless) continue;
    out.push({
      range: file.locator.rangeOf({ doc: r.doc, path: [...r.base, 'kind'], part: 'pair' }),
      title: 'Show kube-proxy rules',
      command: SHOW_PROXY_RULES_COMMAND,
      arguments: [{ service: `${r.namespace}/${r.name}` }],
    });
  }
  return out;
}

registerCodeLensProvider(proxyRulesLenses);
