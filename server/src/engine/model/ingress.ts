import type { Path } from '../parse/locate';
import { Resource, asArray, asObj, asString, get, isObj } from './resource';

export interface IngressBackend {
  serviceName: string;
  /** Port by number or by name; `undefined` when missing. */
  port: number | string | undefined;
  /** Path to the backend object. */
  path: Path;
  namePath: Path;
  portPath: Path;
  host: string | undefined;
  httpPath: string | undefined;
  pathType: string | undefined;
  isDefault: boolean;
  /**
   * AWS Load Balancer Controller: `servicePort: use-annotation` (or `port.name: use-annotation`)
   * makes the "service name" an action defined in the annotation
   * `alb.ingress.kubernetes.io/actions.<name>` (redirect, fixed response, weighted forward), not
   * a Service.
   */
  albAction?: { name: string; annotation: string; defined: boolean };
}

export const ALB_USE_ANNOTATION = 'use-annotation';
const ALB_ACTION_PREFIX = 'alb.ingress.kubernetes.io/actions.';

/**
 * Service backends of an Ingress: `networking.k8s.io/v1` `service.name`/`service.port`, and the
 * legacy `serviceName`/`servicePort` form of `extensions/v1beta1` and `networking.k8s.io/v1beta1`.
 * Resource backends carry no Service and are skipped.
 */
export function ingressBackendsOf(r: Resource): IngressBackend[] {
  if (r.kind !== 'Ingress') return [];
  const out: IngressBackend[] = [];
  const legacy = r.apiVersion !== 'networking.k8s.io/v1';
  const specPath = [...r.base, 'spec'];
  const spec = asObj(r.value.spec) ?? {};
  const read = (
    b: unknown,
    path: Path,
    extra: Pick<IngressBackend, 'host' | 'httpPath' | 'pathType' | 'isDefault'>,
  ) => {
    if (!isObj(b)) return;
    if (!legacy) {
      const svc = asObj(b.service);
      if (svc) {
        const port = asObj(svc.port);
        const num = port?.number,
          name = port?.name;
        out.push({
          serviceName: asString(svc.name) ?? '',
          port: typeof num === 'number' ? num : typeof name === 'string' ? name : undefined,
          path,
          namePath: [...path, 'service', 'name'],
          portPath:
            typeof num === 'number'
              ? [...path, 'service', 'port', 'number']
              : typeof name === 'string'
                ? [...path, 'service', 'port', 'name']
                : [...path, 'service', 'port'],
          ...extra,
        });
        return;
      }
      if (b.resource) return;
      if ('serviceName' in b) {
        // v1 objects with v1beta1 fields: the API drops them, the backend is empty.
        out.push({
          serviceName: '',
          port: undefined,
          path,
          namePath: [...path, 'serviceName'],
          portPath: [...path, 'servicePort'],
          ...extra,
        });
      }
      return;
    }
    if (b.resource && !b.serviceName) return;
    const sp = b.servicePort;
    out.push({
      serviceName: asString(b.serviceName) ?? '',
      port: typeof sp === 'number' ? sp : typeof sp === 'string' ? (/^[0-9]+$/.test(sp) ? Number(sp) : sp) : undefined,
      path,
      namePath: [...path, 'serviceName'],
      portPath: [...path, 'servicePort'],
      ...extra,
    });
  };
  const def = spec.defaultBackend ?? spec.backend;
  if (def)
    read(def, [...specPath, spec.defaultBackend ? 'defaultBackend' : 'backend'], {
      host: undefined,
      httpPath: undefined,
      pathType: undefined,
      isDefault: true,
    });
  asArray(spec.rules).forEach((rule, ri) => {
    const host = asString(get(rule, 'host'));
    asArray(get(rule, 'http', 'paths')).forEach((p, pi) => {
      read(get(p, 'backend'), [...specPath, 'rules', ri, 'http', 'paths', pi, 'backend'], {
        host,
        httpPath: asString(get(p, 'path')),
        pathType: asString(get(p, 'pathType')),
        isDefault: false,
      });
    });
  });
  for (const b of out) {
    if (b.port !== ALB_USE_ANNOTATION || !b.serviceName) continue;
    const annotation = ALB_ACTION_PREFIX + b.serviceName;
    b.albAction = { name: b.serviceName, annotation, defined: annotation in r.annotations };
  }
  return out;
}
