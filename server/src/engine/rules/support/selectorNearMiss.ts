import type { PodTemplate } from '../../model/workload';
import { closest } from './nearMiss';

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
