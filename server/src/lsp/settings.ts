import { EngineConfig, mergeConfig } from '../engine';
import { dict, dictOf } from '../engine/model/dict';

/**
 * VS Code settings (`kubeNetlint.*`) layered over the workspace's .kube-netlint.yaml: the file
 * is the project's shared configuration, settings are the person's overrides. Empty values
 * mean "not set" so defaults from the file survive.
 */
export function applyEditorSettings(
  base: EngineConfig,
  settings: unknown,
  problems: { message: string }[],
): EngineConfig {
  if (!settings || typeof settings !== 'object') return base;
  const s = pruneUnset(settings as Record<string, unknown>);
  delete s.trace;
  const merged = mergeConfig(base, s, problems);
  // Sections such as `plan` and `proxy` merge key by key so a file value survives an unrelated setting.
  for (const [k, v] of Object.entries(s)) {
    const fromFile = base.extra[k];
    if (fromFile && typeof fromFile === 'object' && v && typeof v === 'object' && !Array.isArray(v)) {
      merged.extra[k] = dictOf({ ...(fromFile as object), ...(v as object) });
    }
  }
  return merged;
}

/** Drops settings left at their empty defaults, at any depth (`kubeNetlint.plan.podCIDR: ""`). */
function pruneUnset(o: Record<string, unknown>): Record<string, unknown> {
  const out = dict<unknown>();
  for (const [k, v] of Object.entries(o)) {
    if (v === '' || v === null || v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    if (typeof v === 'object' && !Array.isArray(v)) {
      const inner = pruneUnset(v as Record<string, unknown>);
      if (Object.keys(inner).length) out[k] = inner;
      continue;
    }
    out[k] = v;
  }
  return out;
}
