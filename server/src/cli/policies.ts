import { loadConfig } from '../engine';
import { generatePolicies, policiesYaml } from '../engine/calls/generate';
import { parseArgs, UsageError } from './args';
import { UNIT_OPTIONS, UNIT_USAGE, openProject, pickUnits } from './units';

export const POLICIES_USAGE = `kube-netlint policies generate [paths...] [--config FILE]
  Prints NetworkPolicy YAML that allows exactly the connections the workloads are configured to
  make (addresses in env, args, commands and the ConfigMaps/Secrets they load or mount), under a
  default deny per namespace, plus DNS egress to kube-system kube-dns/CoreDNS (UDP and TCP 53).
  Workloads exposed outside the cluster (LoadBalancer/NodePort Services, Ingress) also admit
  addresses outside the cluster on those ports. One set per analysis unit.
  Exit code: 0 policies printed, 1 no connection was discovered (nothing printed but a comment),
  2 usage or internal failure.
${UNIT_USAGE}`;

export async function runPolicies(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb !== 'generate')
    throw new UsageError(verb ? `unknown policies command "${verb}"` : 'policies needs a command: generate');
  const args = parseArgs(rest, { config: 'string', ...UNIT_OPTIONS });
  const paths = args.positionals.length ? args.positionals : ['.'];
  const { config, problems } = loadConfig(paths, args.options.config);
  for (const p of problems) err(`kube-netlint: ${p}`);
  const project = await openProject(paths, config, args);
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
    out(
      '# kube-netlint found no connection to allow: no workload names a Service of its unit in its env, args or config.',
    );
    return 1;
  }
  out(texts.join('\n').replace(/\n$/, ''));
  return 0;
}
