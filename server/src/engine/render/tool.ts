import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A renderer binary the engine may run. */
export interface Tool {
  /** Absolute path of the binary. */
  path: string;
  /** kustomize's own binary, kubectl (kubectl kustomize), or helm. */
  kind: 'kustomize' | 'kubectl' | 'helm';
}

function executable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** A binary by name on PATH (the server's and the CLI's own PATH, never the workspace's). */
export function onPath(name: string, envPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, name);
    if (executable(p)) return p;
  }
  return undefined;
}

/**
 * The kustomize to run: an explicit path (setting kubeNetlint.kustomize.path, --kustomize),
 * else `kustomize`, else `kubectl` (whose `kustomize` sub-command is the same builder).
 */
export function findKustomize(explicit?: string): Tool | undefined {
  if (explicit) {
    const p = path.resolve(explicit);
    if (!executable(p)) return undefined;
    return { path: p, kind: /kubectl[^/\\]*$/.test(path.basename(p)) ? 'kubectl' : 'kustomize' };
  }
  const k = onPath('kustomize');
  if (k) return { path: k, kind: 'kustomize' };
  const kc = onPath('kubectl');
  return kc ? { path: kc, kind: 'kubectl' } : undefined;
}

export function findHelm(explicit?: string): Tool | undefined {
  const p = explicit ? path.resolve(explicit) : onPath('helm');
  return p && executable(p) ? { path: p, kind: 'helm' } : undefined;
}

export interface RunLimits {
  timeoutMs: number;
  maxOutputBytes: number;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Why the run was stopped, if it was. */
  stopped?: 'timeout' | 'output-limit';
}

/**
 * Runs a renderer with nothing from the workspace's environment that could reach out: no PATH
 * (kustomize finds no git, so remote bases fail at once), proxies pointing at a closed local
 * port (an http resource fails at once), an empty HOME, no kubeconfig, empty helm plugin,
 * cache and repository folders. Killed (its whole process group) on timeout or when its
 * output passes the size limit.
 */
export function runTool(tool: Tool, args: string[], cwd: string, limits: RunLimits): Promise<RunResult> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-netlint-home-'));
  const closed = 'http://127.0.0.1:9';
  const env: NodeJS.ProcessEnv = {
    PATH: path.join(home, 'no-bin'),
    HOME: home,
    TMPDIR: os.tmpdir(),
    KUBECONFIG: path.join(home, 'no-kubeconfig'),
    HTTP_PROXY: closed,
    HTTPS_PROXY: closed,
    http_proxy: closed,
    https_proxy: closed,
    NO_PROXY: '',
    no_proxy: '',
    GIT_TERMINAL_PROMPT: '0',
    XDG_CACHE_HOME: path.join(home, 'cache'),
    XDG_CONFIG_HOME: path.join(home, 'config'),
    XDG_DATA_HOME: path.join(home, 'data'),
    HELM_PLUGINS: path.join(home, 'plugins'),
    HELM_CACHE_HOME: path.join(home, 'cache'),
    HELM_CONFIG_HOME: path.join(home, 'config'),
    HELM_DATA_HOME: path.join(home, 'data'),
    HELM_REPOSITORY_CONFIG: path.join(home, 'repositories.yaml'),
    HELM_REGISTRY_CONFIG: path.join(home, 'registry.json'),
    KUSTOMIZE_PLUGIN_HOME: path.join(home, 'plugins'),
  };
  return new Promise(resolve => {
    const child = spawn(tool.path, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    let stopped: RunResult['stopped'];
    const kill = (why: RunResult['stopped']) => {
      if (stopped) return;
      stopped = why;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => kill('timeout'), limits.timeoutMs);
    child.stdout.on('data', (b: Buffer) => {
      size += b.length;
      if (size > limits.maxOutputBytes) kill('output-limit');
      else out.push(b);
    });
    child.stderr.on('data', (b: Buffer) => {
      if (err.reduce((n, x) => n + x.length, 0) < 64 * 1024) err.push(b);
    });
    const done = (code: number | null) => {
      clearTimeout(timer);
      fs.rmSync(home, { recursive: true, force: true });
      resolve({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        stopped,
      });
    };
    child.on('error', e => {
      err.push(Buffer.from(String(e.message)));
      done(null);
    });
    child.on('close', code => done(code));
  });
}
