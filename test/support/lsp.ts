import { spawn, ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runnableByOthers } from './unprivileged';
import {
  createMessageConnection,
  MessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-jsonrpc/node';

export interface PublishedDiagnostics {
  uri: string;
  diagnostics: LspDiagnostic[];
}
export interface LspDiagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity?: number;
  code?: string;
  source?: string;
  message: string;
  codeDescription?: { href: string };
  relatedInformation?: { location: { uri: string; range: LspDiagnostic['range'] }; message: string }[];
}

const SERVER = path.resolve(__dirname, '../../dist/server.js');

/** Start options of a client that runs the VS Code commands itself, as the extension declares. */
export const AS_VSCODE = {
  initializationOptions: { clientCommands: ['kubeNetlint.showProxyRules', 'kubeNetlint.previewTrafficPath'] },
};

/**
 * A minimal LSP client for protocol tests: spawns the bundled server over stdio, as any editor
 * would, and records what it publishes.
 */
export class LspSession {
  readonly published = new Map<string, LspDiagnostic[]>();
  /** window/logMessage lines, in order (type 1 error, 2 warning, 3 info, 4 log). */
  readonly logs: { type: number; message: string }[] = [];
  /** window/showMessage notices, in order. */
  readonly messages: { type: number; message: string }[] = [];
  private readonly waiters: {
    uri: string;
    pred: (d: LspDiagnostic[]) => boolean;
    resolve: (d: LspDiagnostic[]) => void;
  }[] = [];
  private version = new Map<string, number>();
  /** The server's answer to initialize. */
  initializeResult:
    { capabilities: { executeCommandProvider?: { commands: string[] } } & Record<string, unknown> } | undefined;

  private constructor(
    readonly proc: ChildProcess,
    readonly conn: MessageConnection,
    readonly rootUri: string,
  ) {}

  static async start(
    root: string,
    settings: Record<string, unknown> = {},
    options: { uid?: number; initializationOptions?: unknown; capabilities?: Record<string, unknown> } = {},
  ): Promise<LspSession> {
    const user = options.uid === undefined ? {} : { uid: options.uid, gid: options.uid };
    const server = options.uid === undefined ? SERVER : runnableByOthers(SERVER);
    const proc = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], ...user });
    proc.stderr!.on('data', d => {
      if (process.env.KN_DEBUG) process.stderr.write(d);
    });
    const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const rootUri = pathToFileURL(path.resolve(root)).href;
    const s = new LspSession(proc, conn, rootUri);
    conn.onNotification('textDocument/publishDiagnostics', (p: PublishedDiagnostics) => {
      s.published.set(p.uri, p.diagnostics);
      for (const w of [...s.waiters]) {
        if (w.uri === p.uri && w.pred(p.diagnostics)) {
          s.waiters.splice(s.waiters.indexOf(w), 1);
          w.resolve(p.diagnostics);
        }
      }
    });
    conn.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map(() => settings));
    conn.onRequest('client/registerCapability', () => null);
    conn.onRequest('window/workDoneProgress/create', () => null);
    conn.onNotification('window/showMessage', (p: { type: number; message: string }) => s.messages.push(p));
    conn.onNotification('window/logMessage', (p: { type: number; message: string }) => s.logs.push(p));
    conn.onNotification('$/progress', () => undefined);
    conn.onError(() => undefined);
    conn.listen();
    s.initializeResult = await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: path.basename(root) }],
      capabilities: options.capabilities ?? {
        workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } },
        window: { workDoneProgress: true },
        textDocument: { publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true } },
      },
      initializationOptions: options.initializationOptions,
    });
    await conn.sendNotification('initialized', {});
    return s;
  }

  uri(relative: string): string {
    return pathToFileURL(path.join(new URL(this.rootUri).pathname, relative)).href;
  }

  /** Resolves with the next (or current) diagnostics of `uri` that satisfy `pred`. */
  diagnostics(
    uri: string,
    pred: (d: LspDiagnostic[]) => boolean = () => true,
    timeoutMs = 10000,
  ): Promise<LspDiagnostic[]> {
    const current = this.published.get(uri);
    if (current && pred(current)) return Promise.resolve(current);
    return new Promise((resolve, reject) => {
      const t = setTimeout(
        () =>
          reject(
            new Error(
              `no matching diagnostics for ${uri} within ${timeoutMs} ms; last: ${JSON.stringify(this.published.get(uri))}`,
            ),
          ),
        timeoutMs,
      );
      this.waiters.push({
        uri,
        pred,
        resolve: d => {
          clearTimeout(t);
          resolve(d);
        },
      });
    });
  }

  open(uri: string, text: string, languageId = 'yaml'): void {
    this.version.set(uri, 1);
    this.conn
      .sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } })
      .catch(() => undefined);
  }

  change(uri: string, text: string): void {
    const v = (this.version.get(uri) ?? 1) + 1;
    this.version.set(uri, v);
    this.conn
      .sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ text }] })
      .catch(() => undefined);
  }

  /** An incremental didChange: `text` replaces `range` (sent as given, valid or not). */
  changeRange(uri: string, range: unknown, text: string): void {
    const v = (this.version.get(uri) ?? 1) + 1;
    this.version.set(uri, v);
    this.conn
      .sendNotification('textDocument/didChange', {
        textDocument: { uri, version: v },
        contentChanges: [{ range, text }],
      })
      .catch(() => undefined);
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.conn.sendRequest(method, params) as Promise<T>;
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>(r => (this.proc.exitCode !== null ? r() : this.proc.once('exit', () => r())));
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise(r => setTimeout(r, 2000))]);
      await this.conn.sendNotification('exit').catch(() => undefined);
    } catch {
      /* already gone */
    }
    await Promise.race([exited, new Promise(r => setTimeout(r, 2000))]);
    if (this.proc.exitCode === null) this.proc.kill();
    this.conn.dispose();
  }
}
