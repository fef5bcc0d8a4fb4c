import { loadConfig } from '../engine';
import type { EngineConfig, Project } from '../engine';
import { InputError } from './args';
import type { ParsedArgs } from './args';
import { displayPath, pathArguments } from './command';
import type { CliIo } from './command';
import { openProject } from './units';

/**
 * The configuration every sub-command reads first: `--config FILE`, else `.kube-netlint.yaml` in
 * the first folder argument or the working directory. A missing `--config` file or any problem
 * in the file is an input error (exit 2) for every sub-command alike, printed as
 * `file:line:col: message` lines (the editor shows the same problems as config-invalid diagnostics).
 */
export function readCliConfig(
  paths: readonly string[],
  configFile: string | undefined,
  _err?: (s: string) => void,
): EngineConfig {
  const { config, problems } = loadConfig(paths, configFile);
  const missing = problems.find(p => p.missing);
  if (missing) throw new InputError(missing.message);
  if (problems.length)
    throw new InputError(
      [
        ...problems.map(p => `${displayPath(p.file)}:${p.line}:${p.column}: ${p.message}`),
        `invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}); ` +
          `the keys are described in ${SCHEMA_URL}`,
      ].join('\n'),
    );
  return config;
}

const SCHEMA_URL = 'https://github.com/kube-netlint/kube-netlint/blob/main/schemas/kube-netlint.schema.json';

/**
 * What every analysing sub-command does first: check the paths, read the configuration, walk and
 * analyse. Reading nothing at all is an input error: an empty or mistyped folder must not pass CI
 * as "no findings".
 */
export async function openCliProject(args: ParsedArgs, io: CliIo): Promise<{ project: Project; paths: string[] }> {
  const paths = pathArguments(args.positionals);
  const config = readCliConfig(paths, args.options.config);
  const project = await openProject(paths, config, args, io.err);
  if (project.fileIds().length === 0)
    throw new InputError(
      `no Kubernetes manifests found in ${paths.map(p => displayPath(p)).join(', ')} ` +
        '(no *.yaml, *.yml, *.json, *.conf or *.conflist file outside the skipped folders)',
    );
  return { project, paths };
}
