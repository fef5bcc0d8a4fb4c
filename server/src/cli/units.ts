import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadProject } from '../engine';
import type { EngineConfig, Project, Unit } from '../engine';
import { InputError } from './args';
import type { OptionSpec } from './args';
import { Renderers } from '../engine/render/service';

/** Options every sub-command that analyses takes for units and rendering. */
export const UNIT_OPTIONS: readonly OptionSpec[] = [
  { name: 'unit', value: 'NAME', help: 'one analysis unit (kube-netlint units lists them)' },
  {
    name: 'kustomize',
    value: 'PATH',
    help: 'the kustomize (or kubectl) binary; default: kustomize, else kubectl, on PATH',
  },
  { name: 'helm', value: 'PATH', help: 'the helm binary; default: helm on PATH' },
  { name: 'no-render', help: 'analyse Kustomize and Helm sources as plain files, run no program' },
];

export interface RenderArgs {
  options: Record<string, string | undefined>;
  flags: Set<string>;
}

/**
 * The CLI renders by default: the person running it chose the files and the binaries (the
 * --kustomize/--helm options or PATH); --no-render analyses the sources as plain files.
 */
export async function openProject(
  paths: readonly string[],
  config: EngineConfig,
  args?: RenderArgs,
  err?: (s: string) => void,
): Promise<Project> {
  const renderer = args?.flags.has('no-render')
    ? undefined
    : new Renderers({ trusted: true, kustomizePath: args?.options.kustomize, helmPath: args?.options.helm });
  // The walk's notice (what it skipped and why) goes to stderr, one line.
  const notices: string[] = [];
  const project = await loadProject(paths, config, renderer, notices);
  for (const n of notices) err?.(`kube-netlint: ${n}`);
  return project;
}

/**
 * The units a sub-command works on: `--unit NAME`, else the units of the file arguments, else
 * every unit that has objects (or the plain unit when none has).
 */
export function pickUnits(project: Project, unitName: string | undefined, paths: readonly string[]): Unit[] {
  if (unitName !== undefined) {
    const u = project.unit(unitName);
    if (!u)
      throw new InputError(
        `no unit named "${unitName}" (units: ${project
          .units()
          .map(x => x.name)
          .join(', ')})`,
      );
    return [u];
  }
  const files = paths.filter(p => {
    try {
      return fs.statSync(p).isFile();
    } catch {
      return false;
    }
  });
  const fromFiles = new Set<Unit>();
  for (const f of files) {
    const id = project.fileIds().find(x => path.resolve(x) === path.resolve(f));
    for (const u of id ? project.unitsOf(id) : []) fromFiles.add(u);
  }
  if (fromFiles.size) return [...fromFiles];
  const withObjects = project.units().filter(u => u.objectCount() > 0);
  return withObjects.length ? withObjects : project.units().filter(u => u.kind === 'plain');
}
