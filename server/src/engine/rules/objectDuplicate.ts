import { ANY_KIND, Rule, at, relatedTo } from './rule';
import { Resource, displayName, identityKey } from '../model/resource';

/**
 * The same object (API group, kind, namespace, name) defined twice in one unit: `kubectl apply`
 * keeps whichever comes last, Helm and Kustomize refuse or silently merge. Among a repository's
 * plain files, definitions in different files are usually alternative installs (one per provider,
 * `kubernetes-manifests/` next to a `release/` bundle): nobody applies both, so that case is
 * information, still reported because the object counts once and the user may not know why.
 */
export const objectDuplicate: Rule = {
  id: 'object-duplicate',
  defaultSeverity: 'warning',
  summary: 'The same object (group, kind, namespace, name) is defined twice in one analysis unit.',
  kinds: new Set([ANY_KIND]),
  when: (subject, cluster) => cluster.definitions(identityKey(subject)).size > 1,
  check({ subject, cluster, report }) {
    const others = cluster.definitions(identityKey(subject)).filter(r => r !== subject);
    if (others.length === 0) return;
    const name = displayName(subject);
    const times = `${name} is defined ${others.length + 1} times in this unit`;
    const related = (rs: Resource[]) =>
      rs.slice(0, 5).map(r => relatedTo(r, `another definition of ${displayName(r)}`));
    const anchor = at(subject, [...subject.base, 'metadata', 'name']);
    // Others in the same file come first: that repeat is the likelier slip, and the one to show.
    const ordered = [
      ...others.filter(r => r.fileId === subject.fileId),
      ...others.filter(r => r.fileId !== subject.fileId),
    ];
    if (!cluster.alternativeFiles || ordered[0].fileId === subject.fileId) {
      report({
        anchor,
        message: `${times}; applied together, the last definition replaces the others (only one is analysed).`,
        related: related(ordered),
      });
      return;
    }
    report({
      anchor,
      severity: 'information',
      message:
        `${times}, in different files; it counts once. If the files are alternative installs, give each its own ` +
        'analysis unit (`units:` in .kube-netlint.yaml); applied together, the last definition replaces the others.',
      related: related(ordered),
    });
  },
};
