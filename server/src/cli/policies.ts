import { generatePolicies, policiesYaml } from '../engine/calls/generate';
import type { ParsedArgs } from './args';
import { UNIT_OPTIONS, pickUnits } from './units';
import { openCliProject } from './workspace';
import { CONFIG_OPTION, EXIT } from './command';
import type { CliIo, CommandSpec } from './command';

async function runPolicies(args: ParsedArgs, io: CliIo): Promise<number> {
  const { project, paths } = await openCliProject(args, io);
  const units = pickUnits(project, args.options.unit, paths);
  let edges = 0;
  const texts: string[] = [];
  for (const unit of units) {
    unit.ws.analyze();
    const g = generatePolicies(unit.ws);
    edges += g.edges.length;
    if (!g.edges.length) continue;
    texts.push((units.length > 1 ? `# unit: ${unit.name}\n` : '') + policiesYaml(g));
  }
  if (!edges) {
    io.out(
      '# kube-netlint found no connection to allow: ' +
        'no workload names a Service of its unit in its env, args or config.',
    );
    return EXIT.findings;
  }
  io.out(texts.join('\n').replace(/\n$/, ''));
  return EXIT.ok;
}

export const POLICIES_GENERATE: CommandSpec = {
  name: 'policies generate',
  summary: 'print NetworkPolicies that allow exactly the configured connections',
  synopsis: '[paths...] [options]',
  description: [
    'Prints NetworkPolicy YAML that allows exactly the connections the workloads are configured to',
    'make (addresses in env, args, commands and the ConfigMaps/Secrets they load or mount), under a',
    'default deny per namespace, plus DNS egress to kube-system kube-dns/CoreDNS (UDP and TCP 53).',
    'Workloads exposed outside the cluster (LoadBalancer/NodePort Services, Ingress) also admit',
    'addresses outside the cluster on those ports. One set per analysis unit.',
  ].join('\n'),
  options: [CONFIG_OPTION, ...UNIT_OPTIONS],
  exit1: 'no connection was discovered (nothing printed but a comment)',
  run: runPolicies,
};
