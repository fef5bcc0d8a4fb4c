import { Resource, asArray, asObj, asString, get } from './resource';
import { Protocol, asProtocol } from './workload';

export interface EndpointAddress {
  ip: string;
  nodeName: string | undefined;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  hostname?: string;
  zone?: string;
}
export interface EndpointPortInfo {
  name: string | undefined;
  port: number | undefined;
  protocol: Protocol;
}

export interface EndpointSet {
  resource: Resource;
  /** The Service these endpoints belong to. */
  serviceName: string;
  addressType: string;
  addresses: EndpointAddress[];
  ports: EndpointPortInfo[];
}

/** EndpointSlice (label kubernetes.io/service-name) or core Endpoints (same name as the Service). */
export function endpointSetsOf(r: Resource): EndpointSet[] {
  if (r.kind === 'EndpointSlice') {
    const svc = r.labels['kubernetes.io/service-name'];
    if (!svc) return [];
    const addresses: EndpointAddress[] = [];
    for (const ep of asArray(r.value.endpoints)) {
      const cond = asObj(get(ep, 'conditions')) ?? {};
      const ready = cond.ready !== false;
      for (const ip of asArray(get(ep, 'addresses'))) {
        if (typeof ip !== 'string') continue;
        addresses.push({
          ip,
          nodeName: asString(get(ep, 'nodeName')),
          ready,
          serving: cond.serving === undefined ? ready : cond.serving !== false,
          terminating: cond.terminating === true,
          hostname: asString(get(ep, 'hostname')),
          zone: asString(get(ep, 'zone')),
        });
      }
    }
    const ports = asArray(r.value.ports).map(p => ({
      name: asString(get(p, 'name')),
      port: typeof get(p, 'port') === 'number' ? (get(p, 'port') as number) : undefined,
      protocol: asProtocol(get(p, 'protocol')),
    }));
    return [{ resource: r, serviceName: svc, addressType: asString(r.value.addressType) ?? 'IPv4', addresses, ports }];
  }
  if (r.kind === 'Endpoints') {
    return asArray(r.value.subsets).map(s => {
      const addresses: EndpointAddress[] = [];
      for (const [key, ready] of [
        ['addresses', true],
        ['notReadyAddresses', false],
      ] as const) {
        for (const a of asArray(get(s, key))) {
          const ip = asString(get(a, 'ip'));
          if (ip)
            addresses.push({
              ip,
              nodeName: asString(get(a, 'nodeName')),
              ready,
              serving: ready,
              terminating: false,
              hostname: asString(get(a, 'hostname')),
            });
        }
      }
      const ports = asArray(get(s, 'ports')).map(p => ({
        name: asString(get(p, 'name')),
        port: typeof get(p, 'port') === 'number' ? (get(p, 'port') as number) : undefined,
        protocol: asProtocol(get(p, 'protocol')),
      }));
      return { resource: r, serviceName: r.name, addressType: 'IPv4', addresses, ports };
    });
  }
  return [];
}
