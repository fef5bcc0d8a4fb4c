import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EngineConfig } from '../config/config';
import { defaultConfig } from '../config/config';
import type { FileState, GlobalAnalyzer, Workspace } from '../workspace';
import type { LocatedDiagnostic } from '../diagnostic';
import { defaultAnalyzers } from '../analyzers';
import { UnitsConfig, unitsConfigOf } from './config';
import { UnitSpec, discoverUnits, shapesUnits } from './discover';
import { Unit } from './unit';
import { mergeAcrossUnits } from './merge';
import type { RenderService } from './renderService';
import { addTo } from '../collections';

export interface ProjectOptions {
  /** Workspace roots (directories); unit names are relative to them. */
  roots: readonly string[];
  config?: EngineConfig;
  analyzers?: () => GlobalAnalyzer[];
  /** File ids are paths by default (CLI, tests); the language server uses file: URIs. */
  toPath?(fileId: string): string | undefined;
  fromPath?(p: string): string;
  /** Renders Kustomize and Helm units; without it every unit is analysed plain. */
  renderer?: RenderService;
}

/**
 * The engine's top level: the file set (open buffers over disk), its split into analysis
 * units, one Workspace per unit, and each file's diagnostics merged across the units it
 * belongs to. Front ends (language server, CLI, tests) drive this class; every feature that
 * works on one cluster view takes the Workspace of one unit (workspaceFor, unit).
 */
export class Project {
  private config: EngineConfig;
  private unitsConfig: UnitsConfig;
  private readonly texts = new Map<string, string>();
  private unitList: Unit[] = [];
  private readonly byName = new Map<string, Unit>();
  private readonly byFile = new Map<string, Unit[]>();
  private shapeDirty = true;
  private readonly dirtyUnits = new Set<Unit>();
  private readonly pendingChanged = new Set<string>();
  private readonly listeners: (() => void)[] = [];
  readonly roots: readonly string[];
  readonly configProblems: { message: string }[] = [];

  constructor(private readonly options: ProjectOptions) {
    this.roots = options.roots.map(r => path.resolve(r));
    this.config = options.config ?? defaultConfig();
    this.unitsConfig = unitsConfigOf(this.config, this.configProblems);
    options.renderer?.attach(this);
  }

  get configuration(): EngineConfig {
    return this.config;
  }
  get unitsConfiguration(): UnitsConfig {
    return this.unitsConfig;
  }

  toPath(fileId: string): string | undefined {
    return this.options.toPath ? this.options.toPath(fileId) : fileId;
  }
  fromPath(p: string): string {
    return this.options.fromPath ? this.options.fromPath(p) : p;
  }

  /** Called when work finished off the request path (a render) changed diagnostics: call analyze(). */
  onDidChange(listener: () => void): void {
    this.listeners.push(listener);
  }
  /** For the renderer: a unit's content changed asynchronously. */
  notifyChanged(unit: Unit): void {
    this.dirtyUnits.add(unit);
    for (const l of this.listeners) l();
  }

  setConfig(config: EngineConfig): void {
    this.config = config;
    this.configProblems.length = 0;
    this.unitsConfig = unitsConfigOf(config, this.configProblems);
    for (const u of this.unitList) {
      u.ws.setConfig(config);
      this.dirtyUnits.add(u);
    }
    this.shapeDirty = true;
  }

  setFile(fileId: string, text: string): void {
    const old = this.texts.get(fileId);
    if (old === text) return;
    this.texts.set(fileId, text);
    const p = this.toPath(fileId);
    if (old === undefined || (p && shapesUnits(p))) {
      this.shapeDirty = true;
      if (old === undefined) return;
    }
    for (const u of this.byFile.get(fileId) ?? []) {
      u.setText(fileId, text);
      this.dirtyUnits.add(u);
      this.options.renderer?.inputChanged(u);
    }
    if (!this.shapeDirty) this.options.renderer?.fileChanged(fileId);
  }

  removeFile(fileId: string): void {
    if (!this.texts.delete(fileId)) return;
    this.shapeDirty = true;
    for (const u of this.byFile.get(fileId) ?? []) {
      u.setText(fileId, undefined);
      this.dirtyUnits.add(u);
    }
  }

  text(fileId: string): string | undefined {
    return this.texts.get(fileId);
  }

  /** Runs what the updates since the last call made necessary; returns the files whose diagnostics changed. */
  analyze(): Set<string> {
    const changed = new Set(this.pendingChanged);
    this.pendingChanged.clear();
    if (this.shapeDirty) for (const f of this.reshape()) changed.add(f);
    for (const u of this.dirtyUnits) for (const f of u.analyze()) changed.add(f);
    this.dirtyUnits.clear();
    return changed;
  }

  private reshape(): Set<string> {
    this.shapeDirty = false;
    const changed = new Set<string>();
    const pathOf = new Map<string, string>();
    for (const id of this.texts.keys()) {
      const p = this.toPath(id);
      if (p) pathOf.set(p, id);
    }
    const specs = discoverUnits({
      roots: this.roots,
      files: [...pathOf.keys()],
      read: p => {
        const id = pathOf.get(p);
        return id !== undefined ? this.texts.get(id) : undefined;
      },
      isDirectory: p => {
        try {
          return fs.statSync(p).isDirectory();
        } catch {
          return false;
        }
      },
      config: this.unitsConfig,
    });
    const old = new Map(this.unitList.map(u => [`${u.kind}\u0000${u.name}`, u]));
    const next: Unit[] = [];
    const text = (id: string) => this.texts.get(id);
    for (const spec of specs) {
      const key = `${spec.kind}\u0000${spec.name}`;
      let u = old.get(key);
      old.delete(key);
      if (!u) u = new Unit(spec, this.config, (this.options.analyzers ?? defaultAnalyzers)(), this);
      for (const f of u.reshape(spec, text)) changed.add(f);
      this.dirtyUnits.add(u);
      next.push(u);
    }
    for (const u of old.values()) {
      for (const f of u.members) changed.add(f);
      this.options.renderer?.dropped(u);
    }
    this.unitList = next;
    this.byName.clear();
    this.byFile.clear();
    for (const u of next) {
      this.byName.set(u.name, u);
      for (const f of u.members) addTo(this.byFile, f, u);
    }
    for (const u of next) this.options.renderer?.reshaped(u);
    return changed;
  }

  /** Every file of the project (real files only). */
  fileIds(): string[] {
    return [...this.texts.keys()];
  }

  units(): Unit[] {
    this.ensureShape();
    return this.unitList;
  }
  unit(name: string): Unit | undefined {
    this.ensureShape();
    return this.byName.get(name);
  }
  /** The units a file belongs to (a base used by two overlays belongs to both). */
  unitsOf(fileId: string): Unit[] {
    this.ensureShape();
    return this.byFile.get(fileId) ?? [];
  }
  /** The Workspace a request about this file uses: its first unit that analyses it. */
  workspaceFor(fileId: string): Workspace | undefined {
    const units = this.unitsOf(fileId);
    return (units.find(u => u.ws.file(fileId)) ?? units[0])?.ws;
  }
  /** The file as the unit that answers requests for it holds it. */
  file(fileId: string): FileState | undefined {
    return this.workspaceFor(fileId)?.file(fileId);
  }

  private ensureShape(): void {
    if (this.shapeDirty) for (const f of this.reshape()) this.pendingChanged.add(f);
  }

  /** A file's diagnostics: every unit's, each finding once, saying which units when the file is shared. */
  diagnostics(fileId: string): LocatedDiagnostic[] {
    const units = this.unitsOf(fileId);
    if (units.length === 1) return units[0].diagnosticsFor(fileId);
    const labels = units.map(u => ({ name: u.name, kind: u.kind, valueSet: u.spec.valueSet?.name }));
    return mergeAcrossUnits(
      labels,
      units.map((u, i) => ({ unit: labels[i], diagnostics: u.diagnosticsFor(fileId) })),
    );
  }

  /** Resolves when no render is queued or running (the CLI waits for it; the server does not). */
  async settled(): Promise<void> {
    this.ensureShape();
    await this.options.renderer?.settled();
  }

  /** The discovered units' specs, for listings. */
  specs(): UnitSpec[] {
    return this.units().map(u => u.spec);
  }
}
