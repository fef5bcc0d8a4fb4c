import type { PodTemplate } from '../../model/workload';
import { closest } from './nearMiss';
import type { ClusterView } from '../../cluster/view';
import { workloadSelectorOf } from '../../model/workload';
import { displayName } from '../../model/resource';

export interface SelectorNearMiss {
  key: string;
  value: string;
  suggestion: string;
  template: PodTemplate;
}

/**
 * A template that matches every pair of a selector but one, and whose value for that key is a
 * small edit away from the selector's, is almost certainly the intended target (`app: fronted`
 * for `app: frontend`).
 */
export function selectorNearMiss(
  selector: Record<string, string>,
  candidates: PodTemplate[],
): SelectorNearMiss | undefined {
  const pairs = Object.entries(selector);
  for (const [key, value] of pairs) {
    const others = pairs.filter(([k]) => k !== key);
    const near = candidates.filter(t => others.every(([k, v]) => t.labels[k] === v) && t.labels[key] !== undefined);
    const suggestion = closest(
      value,
      near.map(t => t.labels[key]),
    );
    if (suggestion === undefined) continue;
    return { key, value, suggestion, template: near.find(t => t.labels[key] === suggestion)! };
  }
  return undefined;
}

/** The objects of a namespace that use one label pair to pick or label pods. */
export interface LabelVotes {
  count: number;
  /** Who they are, for a message (`Service web`, `the selector of Deployment web`, …). */
  names: string[];
}

/**
 * Who uses `key: value` in the namespace: Service selectors, workload selectors (matchLabels)
 * and pod template labels. When a selector and a template disagree by a typo, the value more
 * objects use is the intended one. The rules suggest it, so that a typo just typed into one
 * object is never offered for copying into the others; without an edit history (the CLI) this
 * is also the best guess of which side changed.
 */
export function labelVotes(cluster: ClusterView, ns: string, key: string, value: string): LabelVotes {
  const names: string[] = [];
  for (const s of cluster.servicesInNamespace(ns)) if (s.selector?.[key] === value) names.push(displayName(s.resource));
  for (const t of cluster.templatesInNamespace(ns)) {
    if (workloadSelectorOf(t.owner)?.matchLabels[key] === value) names.push(`the selector of ${displayName(t.owner)}`);
    if (t.labels[key] === value) names.push(`the pod template of ${displayName(t.owner)}`);
  }
  return { count: names.length, names };
}

/** `a`, `a and b`, `a, b and c`, `a, b, c and 2 more`. */
export function listNames(names: string[], max = 3): string {
  const shown = names.length > max ? [...names.slice(0, max), `${names.length - max} more`] : names;
  return shown.length < 2 ? (shown[0] ?? '') : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}
