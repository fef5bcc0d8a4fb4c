import { ANY_KIND, Rule, at, relatedTo } from './rule';
import { displayName, identityKey } from '../model/resource';

/**
 * The same object (API group, kind, namespace, name) defined twice in one unit: `kubectl apply`
 * keeps whichever comes last, Helm and Kustomize refuse or silently merge. Among a repository's
 * plain files, definitions in different files are alternatives (one install per provider, an HA
 * variant) and count once; only a repeat inside one file is reported there.
 */
export const objectDuplicate: Rule = {
  id: 'object-duplicate',
  defaultSeverity: 'warning',
  summary: 'The same object (group, kind, namespace, name) is defined twice in one analysis unit.',
  kinds: new Set([ANY_KIND]),
  when: (subject, cluster) => cluster.definitions(identityKey(subject)).size > 1,
  check({ subject, cluster, report }) {
    const others = cluster
      .definitions(identityKey(subject))
      .filter(r => r !== subject && (!cluster.alternativeFiles || r.fileId === subject.fileId));
    if (others.length === 0) return;
    report({
      anchor: at(subject, [...subject.base, 'metadata', 'name']),
      message: `${displayName(subject)} is defined ${others.length + 1} times in this unit; applied together, the last definition replaces the others (only one is analysed).`,
      related: others.slice(0, 5).map(r => relatedTo(r, `another definition of ${displayName(r)}`)),
    });
  },
};
