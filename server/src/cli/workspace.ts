import { loadConfig } from '../engine';
import type { EngineConfig, Project } from '../engine';
import { InputError } from './args';
import type { ParsedArgs } from './args';
import { displayPath, pathArguments } from './command';
import type { CliIo } from './command';
import { openProject } from './units';

/**
 * The configuration every sub-command reads first: `--config FILE`, else `.kube-netlint.yaml` in
 * the first folder argument or the working directory. A missing `--config` file is an input
 * error (exit 2) for every sub-command alike; other problems go to stderr.
 */
export function readCliConfig(
  paths: readonly string[],
  configFile: string | undefined,
  err: (s: string) => void,
): EngineConfig {
  const { config, problems } = loadConfig(paths, configFile);
  if (configFile && problems.some(p => p.startsWith('config file not found'))) throw new InputError(problems[0]);
  for (const p of problems) err(`kube-netlint: ${p}`);
  return config;
}

/**
 * What every analysing sub-command does first: check the paths, read the configuration, walk and
 * analyse. Reading nothing at all is an input error: an empty or mistyped folder must not pass CI
 * as "no findings".
 */
export async function openCliProject(args: ParsedArgs, io: CliIo): Promise<{ project: Project; paths: string[] }> {
  const paths = pathArguments(args.positionals);
  const config = readCliConfig(paths, args.options.config, io.err);
  const project = await openProject(paths, config, args, io.err);
  if (project.fileIds().length === 0)
    throw new InputError(
      `no Kubernetes manifests found in ${paths.map(p => displayPath(p)).join(', ')} ` +
        '(no *.yaml, *.yml, *.json, *.conf or *.conflist file outside the skipped folders)',
    );
  return { project, paths };
}
