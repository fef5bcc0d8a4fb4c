import { Rule, at } from './rule';

/** The API server rejects a Service with two ports of the same number and protocol, or the same name. */
export const servicePortDuplicate: Rule = {
  id: 'service-port-duplicate',
  defaultSeverity: 'error',
  summary: 'A Service lists the same port+protocol, or the same port name, twice.',
  kinds: new Set(['Service']),
  check({ subject, cluster, report }) {
    const svc = cluster.facts(subject)?.service;
    if (!svc) return;
    const byNumber = new Map<string, number>();
    const byName = new Map<string, number>();
    for (const p of svc.ports) {
      if (p.port !== undefined) {
        const key = `${p.port}/${p.protocol}`;
        const first = byNumber.get(key);
        if (first === undefined) byNumber.set(key, p.index);
        else
          report({
            anchor: at(subject, [...p.path, 'port']),
            message: `Port ${key} is already defined by ports[${first}]; each port and protocol may appear once in a Service.`,
            related: [
              {
                fileId: subject.fileId,
                anchor: at(subject, [...svc.ports.find(x => x.index === first)!.path, 'port']),
                message: 'first definition',
              },
            ],
          });
      }
      if (p.name) {
        const first = byName.get(p.name);
        if (first === undefined) byName.set(p.name, p.index);
        else
          report({
            anchor: at(subject, [...p.path, 'name']),
            message: `Port name "${p.name}" is already used by ports[${first}]; Service port names must be unique.`,
            related: [
              {
                fileId: subject.fileId,
                anchor: at(subject, [...svc.ports.find(x => x.index === first)!.path, 'name']),
                message: 'first use',
              },
            ],
          });
      }
    }
  },
};
