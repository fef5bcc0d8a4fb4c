import type { Workspace } from '../workspace';
import { registerHoverProvider, HoverResult } from './index';
import { hoverTarget, linkTo } from './at';
import { labelSelectorMatches, readLabelSelector } from '../model/workload';
import { asObj, get } from '../model/resource';
import { selectedTemplates } from '../netfilter';
import type { PodTemplate } from '../model/workload';
import { codeSpan as code } from '../text/markdown';

/**
 * Hover on one selector entry (a Service `spec.selector` pair, or a workload's
 * `spec.selector.matchLabels` pair): the pod templates the whole selector matches, and those
 * matching this entry alone, so a near miss is visible.
 */
export function selectorHover(ws: Workspace, fileId: string, offset: number): HoverResult | undefined {
  const t = hoverTarget(ws, fileId, offset);
  if (!t) return undefined;
  const r = t.resource;
  const rel = t.rel;
  let key: string | undefined;
  let whole: PodTemplate[] = [];
  const ns = r.namespace;
  if (
    r.kind === 'Service' &&
    rel.length === 3 &&
    rel[0] === 'spec' &&
    rel[1] === 'selector' &&
    typeof rel[2] === 'string'
  ) {
    key = rel[2];
    const svc = ws.cluster.facts.get(r.id)?.service;
    whole = selectedTemplates(ws, ns, svc?.selector ?? {});
  } else if (
    rel.length === 4 &&
    rel[0] === 'spec' &&
    rel[1] === 'selector' &&
    rel[2] === 'matchLabels' &&
    typeof rel[3] === 'string'
  ) {
    key = rel[3];
    const sel = asObj(get(r.value, 'spec', 'selector'));
    if (!sel) return undefined;
    const parsed = readLabelSelector(sel);
    whole = [...ws.cluster.templatesInNamespace(ns)].filter(tp => labelSelectorMatches(parsed, tp.labels));
  } else {
    return undefined;
  }
  const value = String(get(r.value, ...rel) ?? '');
  const single = [...ws.cluster.templatesWithLabel(ns, key, value)];
  const fmt = (tp: PodTemplate) =>
    `- ${linkTo(ws, tp.owner, `${tp.owner.kind} ${tp.owner.name}`)} — ${tp.owner.kind === 'DaemonSet' ? 'one pod per node' : `${tp.replicas} replica${tp.replicas === 1 ? '' : 's'}`}; labels ${
      Object.entries(tp.labels)
        .map(([k, v]) => code(`${k}=${v}`))
        .join(', ') || '(none)'
    }`;
  const md = [`**Selector ${code(`${key}=${value}`)}** in namespace ${code(ns)}`];
  md.push(
    whole.length
      ? `The whole selector matches ${whole.length} pod template${whole.length === 1 ? '' : 's'}:\n\n${whole.map(fmt).join('\n')}`
      : 'The whole selector matches **no** pod template in the workspace.',
  );
  const partial = single.filter(tp => !whole.includes(tp));
  if (partial.length)
    md.push(`This entry alone also matches (other selector entries exclude them):\n\n${partial.map(fmt).join('\n')}`);
  return { markdown: md.join('\n\n'), range: t.range };
}

registerHoverProvider(selectorHover);
