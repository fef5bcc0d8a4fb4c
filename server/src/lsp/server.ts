import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CodeAction,
  CodeActionKind,
  CodeLens,
  Connection,
  Diagnostic,
  DiagnosticSeverity,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  Hover,
  InitializeParams,
  InitializeResult,
  MessageType,
  ShowMessageNotification,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { Project, defaultConfig, parseConfigText, CONFIG_FILE_NAME } from '../engine';
import type { EngineConfig, LocatedDiagnostic } from '../engine';
import { hoverAt } from '../engine/hover';
import { codeLensesFor } from '../engine/codelens';
import '../engine/features';
import { UriMap } from './uris';
import { checkedDocuments } from './documentSync';
import { FileSet } from './fileSet';
import { applyEditorSettings } from './settings';
import { registerRequests } from './requests';
import { codeActionsFor } from '../engine/actions/codeActions';
import type { RequestContext } from './requests/context';
import { SERVER_COMMANDS, declaredClientCommands, hoverLink, lensCommand, registerCommands } from './commands';
import { Renderers } from '../engine/render/service';
import { decodeText } from '../engine/text/decode';

/** Client → server: the workspace's trust state (VS Code Workspace Trust), after start-up changes. */
export const TRUST_NOTIFICATION = 'kubeNetlint/workspaceTrust';
/** Quiet time after an edit before its unit is rendered again. */
const RENDER_DEBOUNCE_MS = 300;

const SEVERITY: Record<LocatedDiagnostic['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/**
 * The language server: one Project holding every YAML/CNI file of the workspace folders, with
 * open editor buffers taking precedence over disk, split into analysis units (one Workspace
 * each). Diagnostics are pushed for all files, not only open ones, because a Service and the
 * Deployment it misses usually live in different files.
 */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(checkedDocuments(m => connection.console.warn(m)));
  const uris = new UriMap();
  let roots: string[] = [];
  // Rendering runs kustomize/helm on workspace files: only when the client says the workspace is
  // trusted, with binaries from machine-scoped settings (a workspace cannot name its own).
  let trusted = false;
  let toolPaths: { kustomize?: string; helm?: string } = {};
  /** The workspace project's renderer; a document analysed on its own is never rendered. */
  let renderer: Renderers | undefined;
  // The analysed files: the workspace scan plus open documents (see fileSet.ts).
  const files = new FileSet(
    {
      roots: () => roots,
      newProject: (kind, projectRoots, config) => {
        const r =
          kind === 'workspace'
            ? new Renderers({
                trusted,
                kustomizePath: toolPaths.kustomize,
                helmPath: toolPaths.helm,
                debounceMs: RENDER_DEBOUNCE_MS,
              })
            : undefined;
        if (r) renderer = r;
        const p = new Project({
          roots: projectRoots,
          config,
          toPath: id => UriMap.toPath(id),
          fromPath: f => UriMap.fromPath(f),
          renderer: r,
        });
        p.onDidChange(() => schedule());
        return p;
      },
      openText: id => documents.get(uris.toUri(id))?.getText(),
      openIds: () => documents.all().map(d => uris.toFileId(d.uri)),
      readDisk,
    },
    defaultConfig(),
  );
  /** VS Code commands the client runs itself (code lenses carry them only then). */
  let clientCommands = new Set<string>();
  let supportsConfiguration = false;
  let supportsWatchRegistration = false;
  let supportsProgress = false;
  let ready: Promise<void> = Promise.resolve();
  const published = new Set<string>();
  let scheduled = false;

  /**
   * A message for the person (window/showMessage). The notification, not connection.window's
   * show*Message, which sends a request: a client without window/showMessageRequest answers it
   * with an error, and that rejected promise ended the server.
   */
  const notify = (type: MessageType, message: string) =>
    void connection.sendNotification(ShowMessageNotification.type, { type, message }).catch(() => undefined);

  const toDiagnostic = (d: LocatedDiagnostic): Diagnostic => ({
    range: d.range,
    severity: SEVERITY[d.severity],
    code: d.code,
    codeDescription: { href: d.href },
    source: d.source,
    message: d.message,
    relatedInformation: d.related.length
      ? d.related.map(r => ({ location: { uri: uris.toUri(r.fileId), range: r.range }, message: r.message }))
      : undefined,
  });

  const publish = (fileIds: Iterable<string>) => {
    for (const id of fileIds) {
      const diags = files.projectOf(id).diagnostics(id);
      if (diags.length === 0 && !published.has(id)) continue;
      if (diags.length) published.add(id);
      else published.delete(id);
      void connection.sendDiagnostics({ uri: uris.toUri(id), diagnostics: diags.map(toDiagnostic) });
    }
  };

  /** Brings the analysis up to date (before answering a request) and publishes what changed. */
  const sync = () => publish(files.analyze());

  /** Coalesces bursts of edits and file events into one analysis pass. */
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      try {
        sync();
      } catch (e) {
        connection.console.error(`kube-netlint: analysis failed: ${(e as Error).stack ?? e}`);
      }
    });
  };

  const readConfig = async (): Promise<EngineConfig> => {
    const problems: { message: string }[] = [];
    let config = defaultConfig();
    for (const root of roots) {
      const file = path.join(root, CONFIG_FILE_NAME);
      if (!fs.existsSync(file)) continue;
      const parsed = parseConfigText(decodeText(fs.readFileSync(file)).text, config);
      config = parsed.config;
      // The file's problems are config-invalid diagnostics in the file itself (engine/config/analyzer.ts).
      for (const p of parsed.problems) connection.console.info(`kube-netlint: ${file}: ${p.message}`);
    }
    if (supportsConfiguration) {
      const settings = await connection.workspace.getConfiguration('kubeNetlint').catch(() => undefined);
      config = applyEditorSettings(config, settings, problems);
      toolPaths = rendererPaths(settings);
    }
    for (const p of problems) notify(MessageType.Warning, `kube-netlint: ${p.message}`);
    return config;
  };

  /**
   * Reads the workspace (start-up: `fresh`) or brings the file set to a changed configuration.
   * What the walk skipped (unreadable folders, links out of the workspace) is logged, and shown
   * once as an information message when it first appears.
   */
  let shownNotices = '';
  const scan = async (fresh: boolean): Promise<void> => {
    const config = await readConfig();
    const progress =
      fresh && supportsProgress ? await connection.window.createWorkDoneProgress().catch(() => undefined) : undefined;
    progress?.begin('kube-netlint', 0, 'Reading the workspace', false);
    const { files: count, notices } = await files.scan(config, fresh, async (done, total) => {
      progress?.report(Math.round((100 * done) / total), `Read ${done} of ${total} files`);
      await new Promise(r => setImmediate(r));
    });
    const text = notices.join('; ');
    if (fresh) {
      const folders = `${roots.length} workspace folder${roots.length === 1 ? '' : 's'}`;
      connection.console.info(`kube-netlint: read ${count} file${count === 1 ? '' : 's'} in ${folders}`);
    }
    if (fresh || text !== shownNotices) for (const n of notices) connection.console.info(`kube-netlint: ${n}`);
    if (text && text !== shownNotices) notify(MessageType.Info, `kube-netlint read ${count} files; ${text}`);
    shownNotices = text;
    progress?.report(100, 'Analysing');
    const changed = files.analyze();
    for (const id of published) changed.add(id);
    publish(changed);
    progress?.done();
  };

  connection.onNotification(TRUST_NOTIFICATION, (p: { trusted?: boolean } | undefined) => {
    void ready.then(() => {
      trusted = p?.trusted === true;
      renderer?.update({ trusted });
      schedule();
    });
  });

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const init = params.initializationOptions as { trusted?: unknown } | undefined;
    trusted = init?.trusted === true;
    roots = (params.workspaceFolders ?? [])
      .map(f => UriMap.toPath(uris.toFileId(f.uri)))
      .filter((p): p is string => !!p);
    if (roots.length === 0 && params.rootUri) {
      const p = UriMap.toPath(uris.toFileId(params.rootUri));
      if (p) roots = [p];
    }
    clientCommands = declaredClientCommands(params.initializationOptions);
    supportsConfiguration = !!params.capabilities.workspace?.configuration;
    supportsWatchRegistration = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    supportsProgress = !!params.capabilities.window?.workDoneProgress;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        codeLensProvider: { resolveProvider: false },
        executeCommandProvider: { commands: Object.values(SERVER_COMMANDS) },
      },
      serverInfo: { name: 'kube-netlint' },
    };
  });

  connection.onInitialized(() => {
    if (supportsWatchRegistration) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*.{yaml,yml,json,conf,conflist}' }, { globPattern: `**/${CONFIG_FILE_NAME}` }],
      });
    }
    ready = scan(true).catch(e =>
      connection.console.error(`kube-netlint: start-up scan failed: ${(e as Error).stack ?? e}`),
    );
  });

  /** A settings or .kube-netlint.yaml change: the file set follows `exclude` and friends. */
  const rescan = () => {
    ready = ready.then(() =>
      scan(false).catch(e => connection.console.error(`kube-netlint: rescan failed: ${(e as Error).stack ?? e}`)),
    );
  };

  connection.onDidChangeConfiguration(() => {
    rescan();
    void ready.then(() => renderer?.update({ kustomizePath: toolPaths.kustomize, helmPath: toolPaths.helm }));
  });

  documents.onDidChangeContent(e => {
    void ready.then(() => {
      files.changed(uris.toFileId(e.document.uri));
      schedule();
    });
  });

  documents.onDidClose(e => {
    void ready.then(() => {
      files.closed(uris.toFileId(e.document.uri));
      schedule();
    });
  });

  connection.onDidChangeWatchedFiles(params => {
    void ready.then(() => {
      let again = false;
      for (const change of params.changes) {
        const id = uris.toFileId(change.uri);
        if (id.endsWith(`/${CONFIG_FILE_NAME}`)) again = true;
        else if (files.watched(id, change.type === FileChangeType.Deleted)) again = true;
      }
      if (again) rescan();
      schedule();
    });
  });

  connection.onHover(async (params): Promise<Hover | null> => {
    await ready;
    const id = uris.toFileId(params.textDocument.uri);
    sync();
    const ws = files.projectOf(id).workspaceFor(id);
    const file = ws?.file(id);
    if (!ws || !file) return null;
    const h = hoverAt(ws, id, file.locator.lines.offsetAt(params.position), {
      commandLink: l => hoverLink(l, clientCommands),
    });
    return h ? { contents: { kind: 'markdown', value: h.markdown }, range: h.range } : null;
  });

  connection.onCodeAction(async (params): Promise<CodeAction[]> => {
    await ready;
    const id = uris.toFileId(params.textDocument.uri);
    sync();
    const project = files.projectOf(id);
    // The engine decides which actions exist and writes their edits (engine/actions); this only transports them.
    return codeActionsFor(project.diagnostics(id), project.file(id), params.range).map(a => {
      const changes: Record<string, { range: (typeof a.edits)[number]['range']; newText: string }[]> = {};
      for (const e of a.edits) (changes[uris.toUri(e.fileId)] ??= []).push({ range: e.range, newText: e.newText });
      return {
        title: a.title,
        kind: CodeActionKind.QuickFix,
        isPreferred: a.preferred,
        diagnostics: [toDiagnostic(a.diagnostic)],
        edit: { changes },
      };
    });
  });

  connection.onCodeLens(async (params): Promise<CodeLens[]> => {
    await ready;
    const id = uris.toFileId(params.textDocument.uri);
    sync();
    const ws = files.projectOf(id).workspaceFor(id);
    if (!ws?.file(id)) return [];
    const lenses: CodeLens[] = [];
    for (const l of codeLensesFor(ws, id)) {
      const c = lensCommand(l.command, l.arguments, clientCommands, params.textDocument.uri);
      if (c) lenses.push({ range: l.range, command: { title: l.title, ...c } });
    }
    return lenses;
  });

  const requestContext: RequestContext = {
    connection,
    workspace: (fileId?: string, unit?: string) => {
      sync();
      return pickWorkspace(
        fileId && files.isOnItsOwn(fileId) ? files.projectOf(fileId) : files.workspace,
        fileId,
        unit,
      );
    },
    project: () => {
      sync();
      return files.workspace;
    },
    toFileId: u => uris.toFileId(u),
    toUri: id => uris.toUri(id),
  };
  registerRequests(requestContext);
  registerCommands({
    ...requestContext,
    show: (message, isError) => notify(isError ? MessageType.Error : MessageType.Info, message),
    roots: () => roots,
  });

  documents.listen(connection);
  connection.listen();
}

/**
 * The Workspace a request works on: the named unit, else the unit of the file it is about,
 * else the unit with the most objects (the plain files first, as before units existed).
 */
function pickWorkspace(project: Project, fileId: string | undefined, unit: string | undefined) {
  const named = unit ? project.unit(unit) : undefined;
  if (named) return named.ws;
  const ofFile = fileId ? project.workspaceFor(fileId) : undefined;
  if (ofFile) return ofFile;
  const units = [...project.units()].sort(
    (a, b) =>
      Number(b.kind === 'plain' && b.objectCount() > 0) - Number(a.kind === 'plain' && a.objectCount() > 0) ||
      b.objectCount() - a.objectCount(),
  );
  return units[0].ws;
}

/** The renderer binaries from the (machine-scoped) settings kubeNetlint.kustomize.path and .helm.path. */
function rendererPaths(settings: unknown): { kustomize?: string; helm?: string } {
  const s = settings as { kustomize?: { path?: unknown }; helm?: { path?: unknown } } | undefined;
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  return { kustomize: str(s?.kustomize?.path), helm: str(s?.helm?.path) };
}

function readDisk(fileId: string): string | undefined {
  const p = UriMap.toPath(fileId);
  if (!p) return undefined;
  try {
    return decodeText(fs.readFileSync(p)).text;
  } catch {
    return undefined;
  }
}
