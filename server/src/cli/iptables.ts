import { openCliProject } from './workspace';
import { UNIT_OPTIONS, pickUnits } from './units';
import { InputError, UsageError } from './args';
import type { ParsedArgs } from './args';
import { CONFIG_OPTION, EXIT, displayPath } from './command';
import type { CliIo, CommandSpec } from './command';
import { findService, nodeProxy, proxySettings, renderRules } from '../engine/netfilter';
import type { ProxyMode, RuleSyntax } from '../engine/netfilter';
import { parseCidr } from '../engine/netfilter/ipaddr';

async function runIptables(args: ParsedArgs, { out, err }: CliIo): Promise<number> {
  const mode = args.options.mode;
  const syntax = args.options.syntax ?? 'restore';
  const cidr = args.options['cluster-cidr'];
  if (cidr !== undefined && !parseCidr(cidr)) throw new UsageError(`--cluster-cidr: "${cidr}" is not a CIDR`);
  const { project, paths } = await openCliProject(args, { out, err });
  let units = pickUnits(project, args.options.unit, paths);
  if (args.options.service) {
    units = units.filter(u => findService(u.ws, args.options.service!));
    if (!units.length)
      throw new InputError(`no Service ${args.options.service} in ${paths.map(p => displayPath(p)).join(', ')}`);
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
  return EXIT.ok;
}

export const IPTABLES: CommandSpec = {
  name: 'iptables',
  summary: 'print what kube-proxy programs (iptables, nftables or IPVS)',
  synopsis: '[paths...] [options]',
  description: [
    'Prints what kube-proxy on node NAME would program for the Services below the given paths:',
    "iptables nat and filter tables in kube-proxy's own iptables-restore syntax (default) or as",
    'iptables-save prints them; nftables as nft -f input; IPVS as ipvsadm -Ln plus ipset members.',
    'Lines starting with # say which facts are illustrative. Each analysis unit is its own cluster:',
    '--unit NAME (or a file argument) picks one, otherwise every unit is printed.',
  ].join('\n'),
  options: [
    { name: 'service', value: 'NS/NAME', help: 'only this Service (an unknown one is an input error)' },
    { name: 'node', value: 'NAME', help: 'the node whose rules are shown (default: proxy.nodeName, else node-1)' },
    {
      name: 'cluster-cidr',
      value: 'CIDR',
      help: 'the local-traffic detector (default: the address plan, proxy.clusterCIDR, then 10.244.0.0/16)',
    },
    {
      name: 'mode',
      value: 'iptables|nftables|ipvs',
      choices: ['iptables', 'nftables', 'ipvs'],
      help: 'kube-proxy mode',
    },
    {
      name: 'syntax',
      value: 'restore|save',
      choices: ['restore', 'save'],
      help: 'iptables-restore input (default) or iptables-save output',
    },
    CONFIG_OPTION,
    ...UNIT_OPTIONS,
  ],
  run: runIptables,
};

/** `#` lines (valid in restore input) with the assumptions behind the rules. */
function header(node: ReturnType<typeof nodeProxy>): string[] {
  const s = node.settings;
  const lines = [
    `# kube-proxy ${s.mode} mode on node ${s.nodeName}; ` +
      `local-traffic detector ${s.clusterCIDR.value} (${s.clusterCIDR.source})`,
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
          : `${p.endpoints.length} endpoint${p.endpoints.length === 1 ? '' : 's'} (${
              p.endpointSource === 'illustrative'
                ? 'illustrative, synthesised from pod templates'
                : `real, from ${p.endpointSource}`
            })`;
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
