import type { ClusterView } from '../../cluster/view';
import type { Resource } from '../../model/resource';
import type { ServiceInfo } from '../../model/service';
import type { PodTemplate } from '../../model/workload';
import { withoutRuntimeLabels } from './runtimeLabels';
import { closestDefinitions } from './alternatives';

/**
 * The pod templates a selector-based Service sends traffic to, as the port rules judge them:
 * run-time labels left out of the selector, each workload counted once through its definition
 * nearest the Service. Undefined for Services without endpoints of their own (ExternalName,
 * no selector).
 */
export function servicePods(
  subject: Resource,
  cluster: ClusterView,
): { svc: ServiceInfo; templates: PodTemplate[] } | undefined {
  const svc = cluster.facts(subject)?.service;
  if (!svc || svc.type === 'ExternalName' || !svc.selector) return undefined;
  const { checkable } = withoutRuntimeLabels(svc.selector);
  return { svc, templates: closestDefinitions(cluster.templatesSelectedBy(subject.namespace, checkable), subject) };
}
