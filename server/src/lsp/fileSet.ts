import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EngineConfig, Project } from '../engine';
import { UriMap } from './uris';
import { collectFiles, isAnalysedPath, summarise } from '../engine/load';

export interface FileSetOptions {
  roots(): readonly string[];
  /**
   * A Project over the workspace folders (`workspace`), or over the folder of one open document
   * that the workspace scan does not read (`document`).
   */
  newProject(kind: 'workspace' | 'document', roots: readonly string[], config: EngineConfig): Project;
  /** The open editor buffer of a file, if it is open. */
  openText(fileId: string): string | undefined;
  /** The fileIds of every open buffer. */
  openIds(): Iterable<string>;
  /** The file's text on disk; undefined when it is gone or unreadable. */
  readDisk(fileId: string): string | undefined;
}

export interface ScanResult {
  files: number;
  /** The walk's notices (unreadable folders, links out of the workspace), one line each. */
  notices: string[];
}

/**
 * The files the server analyses (issue 10 item 8). The workspace project holds exactly what a
 * fresh scan of the workspace folders would read — the walk's own skipped directories and
 * `exclude` apply to file events too — with open buffers standing in for the disk. An open
 * document the scan would not read (outside the workspace folders, excluded, in a skipped
 * directory) is analysed on its own, in a project of its own, so it never changes the
 * workspace's findings, and is forgotten when it is closed.
 */
export class FileSet {
  private main: Project;
  private config: EngineConfig;
  /** Open documents analysed on their own, each in its own project. */
  private readonly alone = new Map<string, Project>();
  /** Open documents placed in the workspace project (decided once, when opened or rescanned). */
  private readonly openInMain = new Set<string>();
  /** Documents whose project changed or went away: their diagnostics are published again. */
  private readonly moved = new Set<string>();
  /** What the last walk found; a configuration change that leaves the walk alone reuses it. */
  private lastWalk: ScanResult | undefined;

  constructor(
    private readonly options: FileSetOptions,
    config: EngineConfig,
  ) {
    this.config = config;
    this.main = options.newProject('workspace', options.roots(), config);
  }

  /** The workspace project (everything but the documents analysed on their own). */
  get workspace(): Project {
    return this.main;
  }

  /** The project that analyses a file. */
  projectOf(fileId: string): Project {
    return this.alone.get(fileId) ?? this.main;
  }

  /** Whether an open document is analysed on its own, outside the workspace project. */
  isOnItsOwn(fileId: string): boolean {
    return this.alone.has(fileId);
  }

  /**
   * Reads the workspace: `fresh` starts a new workspace project (start-up), otherwise the
   * current one is brought to what a fresh scan with `config` reads (a changed `exclude`).
   * `pause` is awaited every 200 files so requests and edits are not starved.
   */
  async scan(
    config: EngineConfig,
    fresh: boolean,
    pause?: (done: number, total: number) => Promise<void>,
  ): Promise<ScanResult> {
    const roots = this.options.roots();
    if (!fresh && this.lastWalk && walkKey(config) === walkKey(this.config)) {
      // Only rule settings changed: the files stay, the analysis follows the new configuration.
      this.config = config;
      this.main.setConfig(config);
      for (const p of this.alone.values()) p.setConfig(config);
      return this.lastWalk;
    }
    const walk = collectFiles(roots, config);
    const ids = new Set(walk.files.map(f => UriMap.fromPath(f)));
    this.config = config;
    if (fresh) {
      this.main = this.options.newProject('workspace', roots, config);
    } else {
      for (const id of this.main.fileIds()) if (!ids.has(id) && !this.openInMain.has(id)) this.main.removeFile(id);
      this.main.setConfig(config);
    }
    for (const p of this.alone.values()) p.setConfig(config);
    let done = 0;
    for (const id of ids) {
      if (this.options.openText(id) === undefined && (fresh || this.main.text(id) === undefined)) {
        const text = this.options.readDisk(id);
        if (text !== undefined) this.main.setFile(id, text);
      }
      if (++done % 200 === 0) await pause?.(done, ids.size);
    }
    this.openInMain.clear();
    for (const id of this.options.openIds()) this.place(id, ids.has(id));
    this.lastWalk = { files: ids.size, notices: summarise(walk.skipped, p => shown(roots, p)) };
    return this.lastWalk;
  }

  /** An open buffer's text changed (or the document was opened). */
  changed(fileId: string): void {
    const text = this.options.openText(fileId);
    if (text === undefined) return;
    const own = this.alone.get(fileId);
    if (own) own.setFile(fileId, text);
    else if (this.openInMain.has(fileId)) this.main.setFile(fileId, text);
    else this.place(fileId, this.scanReads(fileId));
  }

  /** A document was closed: the workspace goes back to the disk; a document on its own is forgotten. */
  closed(fileId: string): void {
    this.openInMain.delete(fileId);
    if (this.alone.delete(fileId)) {
      this.moved.add(fileId);
      return;
    }
    this.fromDisk(fileId);
  }

  /**
   * The client reported a file-system change. Open buffers win over the disk. A deleted path
   * may be a folder: everything below it goes too. Returns true when the change needs a new
   * scan (a folder appeared), which the caller runs with scan(config, false).
   */
  watched(fileId: string, deleted: boolean): boolean {
    if (this.options.openText(fileId) !== undefined) return false;
    if (deleted) {
      const below = fileId.endsWith('/') ? fileId : `${fileId}/`;
      for (const id of this.main.fileIds())
        if ((id === fileId || id.startsWith(below)) && this.options.openText(id) === undefined)
          this.main.removeFile(id);
      return false;
    }
    const p = UriMap.toPath(fileId);
    if (p && isDirectory(p)) return true;
    this.fromDisk(fileId);
    return false;
  }

  /** Brings every project up to date; returns the files whose diagnostics may have changed. */
  analyze(): Set<string> {
    const changed = this.main.analyze();
    for (const [id, p] of this.alone) if (p.analyze().has(id)) changed.add(id);
    for (const id of this.moved) changed.add(id);
    this.moved.clear();
    return changed;
  }

  private scanReads(fileId: string): boolean {
    const p = UriMap.toPath(fileId);
    return !!p && isAnalysedPath(this.options.roots(), p, this.config);
  }

  /** Puts an open document into the workspace project, or into a project of its own. */
  private place(fileId: string, inWorkspace: boolean): void {
    const text = this.options.openText(fileId);
    if (text === undefined) return;
    if (inWorkspace) {
      if (this.alone.delete(fileId)) this.moved.add(fileId);
      this.openInMain.add(fileId);
      this.main.setFile(fileId, text);
      return;
    }
    // Not read by a scan: never part of the workspace's cluster, even if it was before.
    if (this.main.text(fileId) !== undefined) this.main.removeFile(fileId);
    let own = this.alone.get(fileId);
    if (!own) {
      const p = UriMap.toPath(fileId);
      own = this.options.newProject('document', p ? [path.dirname(p)] : [], this.config);
      this.alone.set(fileId, own);
      this.moved.add(fileId);
    }
    own.setFile(fileId, text);
  }

  /** The workspace project takes the file from disk if a scan reads it, and drops it otherwise. */
  private fromDisk(fileId: string): void {
    const text = this.scanReads(fileId) ? this.options.readDisk(fileId) : undefined;
    if (text !== undefined) this.main.setFile(fileId, text);
    else this.main.removeFile(fileId);
  }
}

/** The settings the walk depends on. */
function walkKey(config: EngineConfig): string {
  return JSON.stringify([config.exclude, config.skipDirectories]);
}

/** A path as a person reads it in a notice: relative to its workspace folder. */
function shown(roots: readonly string[], p: string): string {
  const root = roots.find(r => p === r || p.startsWith(r.endsWith(path.sep) ? r : r + path.sep));
  return root ? path.relative(root, p) || '.' : p;
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
