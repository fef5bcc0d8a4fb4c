import * as fs from 'node:fs';
import * as path from 'node:path';
import * as jsyaml from 'js-yaml';
import { MANIFEST_SCHEMA } from '../parse/yamlFile';
import { isObj } from '../model/resource';
import type { UnitSpec } from '../units/discover';
import { RunLimits, Tool, runTool } from './tool';
import { makeWorkDir } from './workdir';

const ORIGIN = 'config.kubernetes.io/origin';

/** Where kustomize says a rendered object came from. */
export type Origin =
  /** A resource file (absolute real path). */
  | { file: string }
  /** Made by a generator configured in a kustomization (absolute real path). */
  | { configuredIn: string; generator: string }
  /** Anything else (a remote base): only the unit's kustomization can carry findings. */
  | { unknown: true };

export interface RenderedObject {
  value: Record<string, unknown>;
  origin: Origin;
}

export type RenderOutcome =
  | { ok: true; objects: RenderedObject[] }
  | { ok: false; message: string; file?: string; line?: number; offline?: boolean };

/**
 * `kustomize build` (or `kubectl kustomize`) of one root through a temporary wrapper
 * kustomization that asks for origin annotations; kustomize records each origin relative to
 * the wrapper. Plugins, exec functions and Helm inflation are never enabled (they are off
 * unless asked for by flags), and the environment leaves no way to the network (see runTool).
 */
export async function renderKustomize(
  spec: UnitSpec,
  tool: Tool,
  buffer: (p: string) => string | undefined,
  limits: RunLimits,
): Promise<RenderOutcome> {
  if (spec.remote?.length)
    return {
      ok: false,
      offline: true,
      message: `not rendered: the build needs the network for ${spec.remote.slice(0, 3).join(', ')}${spec.remote.length > 3 ? ', …' : ''}, and kube-netlint never fetches remote resources. The local files are analysed as plain manifests.`,
    };
  const dirs = [...(spec.kustomizations?.keys() ?? [spec.dir])];
  const work = makeWorkDir(spec.inputs, dirs, buffer);
  try {
    const wrapper = path.join(work.tmp, 'wrapper');
    fs.mkdirSync(wrapper);
    const rel = path.relative(wrapper, work.toWork(spec.dir)).split(path.sep).join('/');
    fs.writeFileSync(
      path.join(wrapper, 'kustomization.yaml'),
      `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ${JSON.stringify(rel)}\nbuildMetadata: [originAnnotations]\n`,
    );
    const args = tool.kind === 'kubectl' ? ['kustomize', wrapper] : ['build', wrapper];
    const r = await runTool(tool, args, wrapper, limits);
    if (r.stopped === 'timeout')
      return { ok: false, message: `kustomize did not finish within ${limits.timeoutMs / 1000} s; not rendered.` };
    if (r.stopped === 'output-limit')
      return { ok: false, message: `kustomize output passed ${limits.maxOutputBytes} bytes; not rendered.` };
    if (r.code !== 0) return { ok: false, message: cleanError(work.realMessage(r.stderr || r.stdout)) };
    let docs: unknown[];
    try {
      docs = jsyaml.loadAll(r.stdout, undefined, { json: true, schema: MANIFEST_SCHEMA });
    } catch (e) {
      return {
        ok: false,
        message: `kustomize printed output that is not YAML: ${(e as Error).message.split('\n')[0]}`,
      };
    }
    const objects: RenderedObject[] = [];
    for (const d of docs) {
      if (!isObj(d)) continue;
      objects.push({ value: d, origin: takeOrigin(d, wrapper, work.toReal) });
    }
    return { ok: true, objects };
  } finally {
    work.dispose();
  }
}

/** Reads and removes the origin annotation (and the annotations map if it is left empty). */
function takeOrigin(obj: Record<string, unknown>, wrapper: string, toReal: (p: string) => string): Origin {
  const meta = isObj(obj.metadata) ? obj.metadata : undefined;
  const ann = meta && isObj(meta.annotations) ? meta.annotations : undefined;
  const raw = ann?.[ORIGIN];
  if (ann) {
    delete ann[ORIGIN];
    if (Object.keys(ann).length === 0) delete meta!.annotations;
  }
  if (typeof raw !== 'string') return { unknown: true };
  let o: unknown;
  try {
    o = jsyaml.load(raw);
  } catch {
    return { unknown: true };
  }
  if (!isObj(o) || o.repo !== undefined) return { unknown: true };
  if (typeof o.path === 'string') return { file: toReal(path.resolve(wrapper, o.path)) };
  if (typeof o.configuredIn === 'string') {
    const by = isObj(o.configuredBy) && typeof o.configuredBy.kind === 'string' ? o.configuredBy.kind : 'generator';
    return { configuredIn: toReal(path.resolve(wrapper, o.configuredIn)), generator: by };
  }
  return { unknown: true };
}

/** kustomize's error text without the "Error: " prefix and the trailing usage noise. */
function cleanError(s: string): string {
  const text = s
    // kubectl prefixes its error with a klog header: E1202 08:04:41.99 19516 run.go:72] "command failed" err="…"
    .replace(/^[EWI]\d{4} [\d:.]+\s+\d+ [\w.]+:\d+\] "command failed" err="([\s\S]*)"\s*$/m, '$1')
    .replace(/^Error:\s*/m, '')
    .replace(/\n\s*Usage:[\s\S]*$/, '')
    .trim();
  return `kustomize build failed: ${text || 'no message'}`;
}
