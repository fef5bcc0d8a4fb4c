import { loadConfig, readWorkspace } from '../engine';
import type { Workspace } from '../engine';
import { UsageError } from './args';

/**
 * What every sub-command does first: read the configuration, walk the paths and analyse them as
 * one workspace. Configuration problems and the walk's notice (what it skipped and why) go to
 * stderr, once, the same way for every sub-command.
 */
export function openWorkspace(
  paths: readonly string[],
  configFile: string | undefined,
  err: (s: string) => void,
): Workspace {
  const { config, problems } = loadConfig(paths, configFile);
  if (configFile && problems.some(p => p.startsWith('config file not found'))) throw new UsageError(problems[0]);
  for (const p of problems) err(`kube-netlint: ${p}`);
  const loaded = readWorkspace(paths, config);
  for (const n of loaded.notices) err(`kube-netlint: ${n}`);
  return loaded.ws;
}
