import type { PodTemplate } from '../../model/workload';
import type { Resource } from '../../model/resource';
import { objectKey } from '../../model/resource';

/**
 * Repositories often define the same object in several alternative files (one install per
 * provider, an HA variant, a release bundle). For checks that look at "the pods a Service
 * selects", each object counts once, through the definition closest to the Service: the one in
 * the same file, else the one whose path shares the longest prefix with it.
 */
export function closestDefinitions(templates: PodTemplate[], subject: Resource): PodTemplate[] {
  const groups = new Map<string, PodTemplate[]>();
  for (const t of templates) {
    // Alternative installs may use different kinds for the same workload (a Deployment in one
    // provider's manifest, a DaemonSet in another's), so group by namespace and name.
    // A Rollout running a Deployment's template (workloadRef) usually shares its name, but it
    // is the Deployment's successor, not another definition of it: both count.
    const k = `${t.owner.namespace}/${t.owner.name}${t.source !== t.owner ? '\u0000borrowed' : ''}`;
    const g = groups.get(k);
    if (g) g.push(t);
    else groups.set(k, [t]);
  }
  const out: PodTemplate[] = [];
  for (const g of groups.values()) {
    if (g.length === 1) {
      out.push(g[0]);
      continue;
    }
    let best = g[0],
      bestScore = -1;
    for (const t of g) {
      const score =
        t.owner.fileId === subject.fileId ? Number.MAX_SAFE_INTEGER : commonPrefix(t.owner.fileId, subject.fileId);
      if (score > bestScore) {
        best = t;
        bestScore = score;
      }
    }
    // Objects of different kinds defined side by side in one file are distinct, not alternatives.
    out.push(
      ...g.filter(
        t => t.owner.fileId === best.owner.fileId && (t === best || objectKey(t.owner) !== objectKey(best.owner)),
      ),
    );
  }
  return out;
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}
