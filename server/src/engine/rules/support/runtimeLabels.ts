import { dict } from '../../model/dict';

/**
 * Labels that controllers add to pods at run time; a selector that uses them cannot be checked
 * against templates (they are not in the YAML).
 */
export const RUNTIME_LABELS = new Set([
  'pod-template-hash',
  'controller-revision-hash',
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'job-name',
  'batch.kubernetes.io/job-name',
  'controller-uid',
  'batch.kubernetes.io/controller-uid',
  'batch.kubernetes.io/job-completion-index',
  // Argo Rollouts adds the ReplicaSet's hash to the pods and to its canary/stable/active/preview
  // Services' selectors.
  'rollouts-pod-template-hash',
  // Knative Serving: per-revision labels, known only once a revision exists.
  'serving.knative.dev/revision',
  'serving.knative.dev/revisionUID',
  'serving.knative.dev/configurationGeneration',
  'serving.knative.dev/configurationUID',
  'serving.knative.dev/serviceUID',
]);

export function withoutRuntimeLabels(sel: Record<string, string>): {
  checkable: Record<string, string>;
  runtime: string[];
} {
  const checkable = dict<string>();
  const runtime: string[] = [];
  for (const [k, v] of Object.entries(sel)) {
    if (RUNTIME_LABELS.has(k)) runtime.push(k);
    else checkable[k] = v;
  }
  return { checkable, runtime };
}
