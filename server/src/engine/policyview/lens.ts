import type { Workspace } from '../workspace';
import { registerCodeLensProvider, CodeLensResult } from '../codelens';
import { escapeIcons } from '../text/markdown';
import { policyFor, selectedWorkloads, admittedWorkloads } from './index';

/** The client command that opens the connectivity view (client/src/features/connectivityPanel.ts). */
export const SHOW_CONNECTIVITY_COMMAND = 'kubeNetlint.showConnectivity';

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

/** "selects N workloads · admits M" above every policy. */
export function policyLenses(ws: Workspace, fileId: string): CodeLensResult[] {
  const file = ws.file(fileId);
  if (!file || file.kind !== 'yaml') return [];
  const out: CodeLensResult[] = [];
  for (const r of file.resources) {
    const found = policyFor(ws, r);
    if (!found) continue;
    const { model, policy } = found;
    const n = selectedWorkloads(model, policy).length;
    const admitted = admittedWorkloads(model, policy);
    const m = admitted.anyPeer ? 'any peer' : String(admitted.workloads.length);
    out.push({
      range: file.locator.rangeOf({ doc: r.doc, path: [...r.base, 'kind'], part: 'pair' }),
      title: escapeIcons(`selects ${plural(n, 'workload')} · admits ${m}`),
      command: SHOW_CONNECTIVITY_COMMAND,
      arguments: [],
    });
  }
  return out;
}

registerCodeLensProvider(policyLenses);
