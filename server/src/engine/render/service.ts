import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import type { Project } from '../units/project';
import type { Unit, RenderedContent, UnitNote } from '../units/unit';
import type { RenderService } from '../units/renderService';
import type { UnitSpec } from '../units/discover';
import { Tool, findHelm, findKustomize } from './tool';
import { renderKustomize } from './kustomize';
import { mapKustomize } from './kustomizeMap';
import { renderHelmUnit } from './helmUnit';
import { chartFiles } from './helm';

export interface RenderOptions {
  /** Workspace trust: rendering runs programs on workspace content, so only when trusted. */
  trusted: boolean;
  /** Explicit binaries (machine-scoped settings, CLI options); else found on PATH. */
  kustomizePath?: string;
  helmPath?: string;
  /** Quiet time after an edit before its unit is re-rendered (the CLI renders at once). */
  debounceMs?: number;
  /** Renders running at once. */
  concurrency?: number;
}

/** The outcome of one render, cached by the content of the unit's inputs. */
type Outcome = { content: RenderedContent } | { note: UnitNote };

const CACHE_SIZE = 200;

/**
 * Keeps every Kustomize and Helm unit's rendered content current, off the request path:
 * renders are queued (a few at a time), debounced after edits, cached by the content of the
 * unit's inputs, and applied when they land (the Project then tells its listener). Until a
 * unit's first render lands, and whenever rendering is not possible, the unit is plain.
 */
export class Renderers implements RenderService {
  private project!: Project;
  private readonly timers = new Map<Unit, NodeJS.Timeout>();
  private readonly queue: Unit[] = [];
  private readonly running = new Set<Unit>();
  private readonly cache = new Map<string, Outcome>();
  private waiters: (() => void)[] = [];
  private kustomize: Tool | undefined | null = null;
  /** Renders run (cache hits excluded), for tests and the bench. */
  runs = 0;
  private helm: Tool | undefined | null = null;

  constructor(private options: RenderOptions) {}

  attach(project: Project): void {
    this.project = project;
  }

  /** Trust granted (or revoked) and tool paths changed: every renderable unit is looked at again. */
  update(options: Partial<RenderOptions>): void {
    this.options = { ...this.options, ...options };
    this.kustomize = null;
    this.helm = null;
    for (const u of this.project.units()) this.reshaped(u);
  }

  private tool(kind: 'kustomize' | 'helm'): Tool | undefined {
    if (kind === 'kustomize') {
      if (this.kustomize === null) this.kustomize = findKustomize(this.options.kustomizePath);
      return this.kustomize;
    }
    if (this.helm === null) this.helm = findHelm(this.options.helmPath);
    return this.helm;
  }

  reshaped(unit: Unit): void {
    if (unit.kind !== 'kustomize' && unit.kind !== 'helm') return;
    const cfg = this.project.unitsConfiguration;
    const enabled = unit.kind === 'kustomize' ? cfg.kustomize.enabled : cfg.helm.enabled;
    if (!enabled) return this.settle(unit, undefined, []);
    if (!this.options.trusted)
      return this.settle(unit, undefined, [
        this.note(
          unit,
          'render-untrusted',
          'information',
          `This ${unit.kind === 'kustomize' ? 'Kustomize overlay' : 'Helm chart'} is analysed as plain files: rendering runs ${unit.kind === 'kustomize' ? 'kustomize' : 'helm'} on the workspace's files, which kube-netlint does only in a trusted workspace (Restricted Mode).`,
        ),
      ]);
    const tool = this.tool(unit.kind);
    if (!tool)
      return this.settle(unit, undefined, [
        this.note(
          unit,
          'render-unavailable',
          'information',
          unit.kind === 'kustomize'
            ? 'This Kustomize overlay is analysed as plain files: neither kustomize nor kubectl was found on PATH. Install one, or set kubeNetlint.kustomize.path (CLI: --kustomize PATH), to analyse what the build produces.'
            : 'This Helm chart is analysed as plain files: helm was not found on PATH. Install Helm 3, or set kubeNetlint.helm.path (CLI: --helm PATH), to analyse what helm template produces.',
        ),
      ]);
    if (unit.state === 'plain') unit.state = 'rendering';
    this.schedule(unit, 0);
  }

  inputChanged(unit: Unit): void {
    if (unit.kind !== 'kustomize' && unit.kind !== 'helm') return;
    if (unit.state === 'plain' && unit.notes.length) return;
    this.schedule(unit, this.options.debounceMs ?? 0);
  }

  fileChanged(): void {}

  dropped(unit: Unit): void {
    clearTimeout(this.timers.get(unit));
    this.timers.delete(unit);
    const i = this.queue.indexOf(unit);
    if (i >= 0) this.queue.splice(i, 1);
    this.wake();
  }

  settled(): Promise<void> {
    if (this.idle()) return Promise.resolve();
    return new Promise(r => this.waiters.push(r));
  }

  private idle(): boolean {
    return this.timers.size === 0 && this.queue.length === 0 && this.running.size === 0;
  }

  private wake(): void {
    if (!this.idle()) return;
    const w = this.waiters;
    this.waiters = [];
    for (const r of w) r();
  }

  private schedule(unit: Unit, delay: number): void {
    clearTimeout(this.timers.get(unit));
    this.timers.set(
      unit,
      setTimeout(() => {
        this.timers.delete(unit);
        if (!this.queue.includes(unit)) this.queue.push(unit);
        this.pump();
      }, delay),
    );
  }

  private pump(): void {
    const max = this.options.concurrency ?? 2;
    while (this.running.size < max && this.queue.length) {
      const unit = this.queue.shift()!;
      if (this.running.has(unit)) {
        // Already rendering: look again when that render lands.
        this.queue.push(unit);
        break;
      }
      this.running.add(unit);
      void this.render(unit).finally(() => {
        this.running.delete(unit);
        this.pump();
        this.wake();
      });
    }
  }

  /** The content key: the tool, the options and every input's text (buffers over disk). */
  private keyOf(unit: Unit, tool: Tool): string {
    const h = createHash('sha256');
    const cfg = this.project.unitsConfiguration;
    h.update(JSON.stringify([tool.path, unit.kind, unit.spec.dir, unit.spec.valueSet, cfg.helm, cfg.kustomize]));
    h.update(JSON.stringify([this.project.configuration.defaultNamespace]));
    const inputs =
      unit.kind === 'helm' ? [...new Set([...chartFiles(unit.spec.dir), ...unit.spec.inputs])] : unit.spec.inputs;
    for (const p of inputs) {
      h.update(`\u0000${p}\u0000`);
      const t = this.text(p);
      h.update(t ?? '\u0001missing');
    }
    return h.digest('hex');
  }

  private text(p: string): string | undefined {
    const t = this.project.text(this.project.fromPath(p));
    if (t !== undefined) return t;
    try {
      return fs.readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  }

  private async render(unit: Unit): Promise<void> {
    if (!this.project.units().includes(unit)) return;
    const tool = this.tool(unit.kind as 'kustomize' | 'helm');
    if (!tool) return;
    const key = this.keyOf(unit, tool);
    if (key === unit.renderedKey) return;
    let outcome = this.cache.get(key);
    if (!outcome) {
      this.runs++;
      outcome = await this.run(unit, unit.spec, tool);
      this.cache.set(key, outcome);
      if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
      // Edited again while rendering: the newer inputs get their own render.
      if (this.keyOf(unit, tool) !== key || !this.project.units().includes(unit)) return;
    }
    if ('content' in outcome) this.apply(unit, outcome.content, key, 'rendered', []);
    else this.apply(unit, undefined, key, 'failed', [outcome.note]);
  }

  private async run(unit: Unit, spec: UnitSpec, tool: Tool): Promise<Outcome> {
    const cfg = this.project.unitsConfiguration;
    const buffer = (p: string) => this.project.text(this.project.fromPath(p));
    try {
      if (unit.kind === 'kustomize') {
        const r = await renderKustomize(spec, tool, buffer, {
          timeoutMs: cfg.kustomize.timeoutMs,
          maxOutputBytes: cfg.maxOutputBytes,
        });
        if (!r.ok) return { note: this.note(unit, 'render-failed', r.offline ? 'information' : 'warning', r.message) };
        return {
          content: mapKustomize(r.objects, {
            spec,
            text: p => this.text(p),
            fromPath: p => this.project.fromPath(p),
            known: p => this.project.text(this.project.fromPath(p)) !== undefined,
            defaultNamespace: this.project.configuration.defaultNamespace,
          }),
        };
      }
      return await renderHelmUnit(this.project, unit, tool, (code, sev, msg, where) =>
        this.note(unit, code, sev, msg, where),
      );
    } catch (e) {
      return { note: this.note(unit, 'render-failed', 'warning', `rendering failed: ${(e as Error).message}`) };
    }
  }

  private apply(
    unit: Unit,
    content: RenderedContent | undefined,
    key: string | undefined,
    state: Unit['state'],
    notes: UnitNote[],
  ): void {
    unit.notes = notes;
    unit.state = state;
    unit.useRendered(content, key, id => this.project.text(id));
    this.project.notifyChanged(unit);
  }

  /** Back to plain analysis (with these notes), without a render. */
  private settle(unit: Unit, _content: undefined, notes: UnitNote[]): void {
    clearTimeout(this.timers.get(unit));
    this.timers.delete(unit);
    const same =
      unit.state === 'plain' &&
      !unit.isRendered &&
      JSON.stringify(unit.notes.map(n => n.message)) === JSON.stringify(notes.map(n => n.message));
    if (!same) this.apply(unit, undefined, undefined, 'plain', notes);
    this.wake();
  }

  note(
    unit: Unit,
    code: string,
    severity: UnitNote['severity'],
    message: string,
    where?: { path: string; line?: number },
  ): UnitNote {
    const file = where?.path ?? unit.spec.entry ?? unit.spec.dir;
    const fileId = this.project.fromPath(file);
    const line = Math.max(0, (where?.line ?? 1) - 1);
    const text = this.project.text(fileId) ?? '';
    const lineText = text.split('\n')[line] ?? '';
    return {
      fileId,
      range: { start: { line, character: 0 }, end: { line, character: lineText.length } },
      severity,
      code,
      message,
    };
  }
}
