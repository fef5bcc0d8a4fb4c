import { readCliConfig } from './workspace';
import { UNIT_OPTIONS, openProject, pickUnits } from './units';
import { parseArgs, UsageError } from './args';
import { findService, nodeProxy, proxySettings, renderRules } from '../engine/netfilter';
import type { ProxyMode, RuleSyntax } from '../engine/netfilter';
import { parseCidr } from '../engine/netfilter/ipaddr';

export const IPTABLES_USAGE = `kube-netlint iptables [paths...] [--service ns/name] [--node NAME] [--cluster-cidr CIDR]
                     [--mode iptables|nftables|ipvs] [--syntax restore|save] [--config FILE] [--unit NAME]
  Prints what kube-proxy on node NAME would program for the Services below the given paths:
  iptables nat and filter tables in kube-proxy's own iptables-restore syntax (default) or as
  iptables-save prints them; nftables as nft -f input; IPVS as ipvsadm -Ln plus ipset members.
  --cluster-cidr is the local-traffic detector (default: the address plan, setting proxy.clusterCIDR,
  then 10.244.0.0/16). Lines starting with # say which facts are illustrative. Each analysis unit is
  its own cluster: --unit NAME (or a file argument) picks one, otherwise every unit is printed.`;

export async function runIptables(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const args = parseArgs(argv, {
    service: 'string',
    node: 'string',
    'cluster-cidr': 'string',
    mode: 'string',
    syntax: 'string',
    config: 'string',
    ...UNIT_OPTIONS,
  });
  const mode = args.options.mode;
  if (mode !== undefined && mode !== 'iptables' && mode !== 'nftables' && mode !== 'ipvs')
    throw new UsageError(`--mode must be iptables, nftables or ipvs, not ${mode}`);
  const syntax = args.options.syntax ?? 'restore';
  if (syntax !== 'restore' && syntax !== 'save')
    throw new UsageError(`--syntax must be restore or save, not ${syntax}`);
  const cidr = args.options['cluster-cidr'];
  if (cidr !== undefined && !parseCidr(cidr)) throw new UsageError(`--cluster-cidr: "${cidr}" is not a CIDR`);
  const paths = args.positionals.length ? args.positionals : ['.'];
  const config = readCliConfig(paths, args.options.config, err);
  const project = await openProject(paths, config, args, err);
  let units = pickUnits(project, args.options.unit, paths);
  if (args.options.service) {
    units = units.filter(u => findService(u.ws, args.options.service!));
    if (!units.length) {
      err(`kube-netlint: no Service ${args.options.service} in ${paths.join(' ')}`);
      return 2;
    }
  }
  for (const unit of units) {
    const ws = unit.ws;
    const settings = proxySettings(ws, {
      mode: mode as ProxyMode | undefined,
      nodeName: args.options.node,
      clusterCIDR: cidr,
    });
    const services = args.options.service ? [findService(ws, args.options.service)!] : undefined;
    const node = nodeProxy(ws, settings, services);
    if (project.units().length > 1) out(`# unit ${unit.name} (${unit.kind})`);
    out(header(node).join('\n'));
    out(renderRules(node, settings.mode, syntax as RuleSyntax).replace(/\n$/, ''));
  }
  return 0;
}

/** `#` lines (valid in restore input) with the assumptions behind the rules. */
function header(node: ReturnType<typeof nodeProxy>): string[] {
  const s = node.settings;
  const lines = [
    `# kube-proxy ${s.mode} mode on node ${s.nodeName}; local-traffic detector ${s.clusterCIDR.value} (${s.clusterCIDR.source})`,
  ];
  if (node.largeCluster)
    lines.push('# more than 1000 endpoints: kube-proxy drops the per-endpoint comments (large cluster mode)');
  for (const svc of node.services) {
    if (svc.skipped) {
      lines.push(`# ${svc.namespace}/${svc.name}: ${svc.skipped}`);
      continue;
    }
    for (const p of svc.ports) {
      const facts =
        p.endpointSource === 'none'
          ? 'no endpoints'
          : `${p.endpoints.length} endpoint${p.endpoints.length === 1 ? '' : 's'} (${p.endpointSource === 'illustrative' ? 'illustrative, synthesised from pod templates' : `real, from ${p.endpointSource}`})`;
      const ill = [
        p.clusterIP.illustrative && `ClusterIP ${p.clusterIP.value}`,
        p.nodePort?.illustrative && `nodePort ${p.nodePort.value}`,
        ...p.loadBalancerIPs.filter(l => l.illustrative).map(l => `LB IP ${l.value}`),
        p.healthCheckNodePort?.illustrative && `healthCheckNodePort ${p.healthCheckNodePort.value}`,
      ].filter(Boolean);
      lines.push(`# ${p.spn}/${p.protocol}: ${facts}${ill.length ? `; illustrative ${ill.join(', ')}` : ''}`);
    }
  }
  return lines;
}
