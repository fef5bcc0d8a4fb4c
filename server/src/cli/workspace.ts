import { loadConfig } from '../engine';
import type { EngineConfig } from '../engine';
import { UsageError } from './args';

/**
 * The configuration every sub-command reads first: `--config FILE`, else `.kube-netlint.yaml` in
 * the first folder argument or the working directory. A missing `--config` file is a usage error
 * (exit 2) for every sub-command alike; other problems go to stderr.
 */
export function readCliConfig(
  paths: readonly string[],
  configFile: string | undefined,
  err: (s: string) => void,
): EngineConfig {
  const { config, problems } = loadConfig(paths, configFile);
  if (configFile && problems.some(p => p.startsWith('config file not found'))) throw new UsageError(problems[0]);
  for (const p of problems) err(`kube-netlint: ${p}`);
  return config;
}
