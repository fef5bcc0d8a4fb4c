/**
 * Pod matchers (a policy's subject, a rule's pod peer) get a small integer id each, equal
 * matchers sharing one, so "which policies see this pod" becomes a set of ids: the features that
 * decide a pod's equivalence class. Ids are stable for the life of the registry (one per
 * workspace), so cached answers stay valid across edits that do not touch a matcher.
 */
import { labelSelectorMatches } from '../model/workload';
import type { PodMatcher, Selector } from './policies';

function selectorKey(s: Selector | undefined): string {
  if (!s) return '*';
  const labels = Object.keys(s.matchLabels)
    .sort()
    .map(k => `${k}=${s.matchLabels[k]}`);
  const exprs = s.matchExpressions.map(e => `${e.key} ${e.operator} ${[...e.values].sort().join(',')}`).sort();
  return JSON.stringify([labels, exprs]);
}

export function matcherKey(m: PodMatcher): string {
  const ns =
    m.namespace.kind === 'any'
      ? 'any'
      : m.namespace.kind === 'name'
        ? `name:${m.namespace.name}`
        : `sel:${selectorKey(m.namespace.selector)}`;
  return `${ns}|${selectorKey(m.pods)}`;
}

export class MatcherRegistry {
  private readonly ids = new Map<string, number>();
  private readonly byObject = new WeakMap<PodMatcher, number>();
  readonly matchers: PodMatcher[] = [];

  idOf(m: PodMatcher): number {
    const cached = this.byObject.get(m);
    if (cached !== undefined) return cached;
    const key = matcherKey(m);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.matchers.length;
      this.ids.set(key, id);
      this.matchers.push(m);
    }
    this.byObject.set(m, id);
    return id;
  }
}

/** Kubernetes label selector semantics; an empty selector matches everything. */
export function selects(s: Selector | undefined, labels: Readonly<Record<string, string>>): boolean {
  return !s || labelSelectorMatches(s, labels as Record<string, string>);
}

export function namespaceMatches(
  m: PodMatcher,
  namespace: string,
  nsLabels: Readonly<Record<string, string>>,
): boolean {
  switch (m.namespace.kind) {
    case 'any':
      return true;
    case 'name':
      return m.namespace.name === namespace;
    default:
      return selects(m.namespace.selector, nsLabels);
  }
}

export function podMatches(
  m: PodMatcher,
  namespace: string,
  nsLabels: Readonly<Record<string, string>>,
  labels: Readonly<Record<string, string>>,
): boolean {
  return namespaceMatches(m, namespace, nsLabels) && selects(m.pods, labels);
}
