import type { Workspace } from '../workspace';
import { registerHoverProvider, HoverResult } from '../hover';
import { hoverTarget, linkTo, startsWith } from '../hover/at';
import { codeSpan, escapeText } from '../text/markdown';
import type { Workload } from '../connectivity';
import { displayPolicy } from '../connectivity';
import { policyFor, selectedWorkloads, peerAt, peerWorkloads } from './index';

const LIMIT = 30;

function list(ws: Workspace, ws_: Workload[]): string {
  const shown = ws_.slice(0, LIMIT).map(w => {
    const r = w.resources[0];
    return `- ${r ? linkTo(ws, r, w.id) : escapeText(w.id)}`;
  });
  if (ws_.length > LIMIT) shown.push(`- … and ${ws_.length - LIMIT} more`);
  return shown.join('\n');
}

/**
 * Hover on a policy's pod selector (`spec.podSelector`, an admin policy's `spec.subject`) lists
 * the workloads it selects; on a `from` / `to` peer, the workloads that peer admits.
 */
export function policyHover(ws: Workspace, fileId: string, offset: number): HoverResult | undefined {
  const t = hoverTarget(ws, fileId, offset);
  if (!t) return undefined;
  const found = policyFor(ws, t.resource);
  if (!found) return undefined;
  const { model, policy } = found;
  const name = escapeText(displayPolicy(policy));
  if (startsWith(t.rel, ['spec', 'podSelector']) || startsWith(t.rel, ['spec', 'subject'])) {
    const sel = selectedWorkloads(model, policy);
    return {
      markdown: sel.length
        ? `**${name}** selects ${sel.length} workload${sel.length === 1 ? '' : 's'}:\n\n${list(ws, sel)}`
        : `**${name}** selects **no** workload of this unit.`,
      range: t.range,
    };
  }
  const at = peerAt(policy, t.path);
  if (!at) return undefined;
  const verb = at.direction === 'Ingress' ? 'admits traffic from' : 'allows traffic to';
  if (at.peer.kind === 'addresses')
    return {
      markdown: `This ${codeSpan(at.direction === 'Ingress' ? 'from' : 'to')} peer names addresses (${at.peer.ranges.length} range${at.peer.ranges.length === 1 ? '' : 's'}), not pods: an ipBlock matches addresses outside the cluster; pods are matched by selectors.`,
      range: t.range,
    };
  if (at.peer.kind !== 'pods')
    return { markdown: `This peer matches no pod (${escapeText(at.peer.kind)}).`, range: t.range };
  const ws_ = peerWorkloads(model, at.peer);
  return {
    markdown: ws_.length
      ? `This peer of **${name}** ${verb} ${ws_.length} workload${ws_.length === 1 ? '' : 's'}:\n\n${list(ws, ws_)}`
      : `This peer of **${name}** matches **no** workload of this unit.`,
    range: t.range,
  };
}

registerHoverProvider(policyHover);
