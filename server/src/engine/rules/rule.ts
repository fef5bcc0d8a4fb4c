import type { Anchor, Path } from '../parse/locate';
import type { Finding, Fix, RelatedInfo, Severity } from '../findings';
import type { Resource } from '../model/resource';
import type { ClusterView } from '../cluster/view';
import type { Cluster } from '../cluster/cluster';

export interface RuleContext {
  subject: Resource;
  cluster: ClusterView;
  report(
    f: Omit<Finding, 'rule' | 'severity' | 'fileId' | 'related' | 'fixes'> & {
      related?: RelatedInfo[];
      fixes?: Fix[];
      severity?: Severity;
    },
  ): void;
}

export interface Rule {
  id: string;
  defaultSeverity: Severity;
  /** One line for docs and settings. */
  summary: string;
  /**
   * The kinds of resource the rule inspects; findings land in that resource's file. Declared
   * rather than computed so the workspace can pick a subject's rules with one lookup.
   */
  kinds: ReadonlySet<string>;
  check(ctx: RuleContext): void;
  /**
   * A precondition checked on the cluster before the rule gets a context; false skips the
   * subject. Its answer is not a recorded dependency: the workspace re-judges what it reads.
   */
  when?(subject: Resource, cluster: Cluster): boolean;
}

export function at(r: Resource, path: Path, part?: 'key' | 'value' | 'pair'): Anchor {
  return { doc: r.doc, path, part };
}

/** A related-information entry pointing at another resource (its name, by default). */
export function relatedTo(r: Resource, message: string, path: Path = [...r.base, 'metadata', 'name']): RelatedInfo {
  return { fileId: r.fileId, anchor: at(r, path), message };
}

/**
 * A pseudo-kind for `Rule.kinds`: the rule also inspects any object that carries a pod template,
 * whatever its kind (custom resources such as Argo Rollouts, CloneSets, Knative Services).
 */
export const ANY_POD_TEMPLATE = '<pod-template>';

/** In a rule's `kinds`: the rule inspects every object (it should declare `when`). */
export const ANY_KIND = '*';

export const WORKLOAD_KINDS: ReadonlySet<string> = new Set([
  ANY_POD_TEMPLATE,
  'Pod',
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'ReplicationController',
  'DeploymentConfig',
]);
