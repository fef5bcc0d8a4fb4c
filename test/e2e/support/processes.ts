// Starting and stopping helper processes by pid. Each one is spawned as the leader of its own
// process group, so stopping it by its pid also stops what it forked (code-server's extension
// host, our language server), and nothing outlives the test.
import { spawn, ChildProcess, execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { openSync, closeSync } from 'node:fs';

export interface Started {
  pid: number;
  child: ChildProcess;
  log: string;
}

export function start(
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; log: string; cwd?: string },
): Started {
  const fd = openSync(opts.log, 'a');
  const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`could not start ${cmd}`);
  return { pid: child.pid, child, log: opts.log };
}

/** Pids still alive in the process group led by `pid` (the group outlives its leader). */
export function groupMembers(pid: number): number[] {
  try {
    const out = execFileSync('ps', ['-o', 'pid=', '-g', String(pid)], { encoding: 'utf8' });
    return out
      .split('\n')
      .map(s => Number(s.trim()))
      .filter(n => n > 0);
  } catch {
    return [];
  } // ps exits 1 when the group is empty
}

export async function stop(p: Started, graceMs = 5000): Promise<void> {
  const signalGroup = (sig: NodeJS.Signals) => {
    try {
      process.kill(-p.pid, sig);
    } catch {
      /* already gone */
    }
  };
  signalGroup('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (groupMembers(p.pid).length && Date.now() < deadline) await sleep(100);
  if (groupMembers(p.pid).length) signalGroup('SIGKILL');
  const until = Date.now() + 2000;
  while (groupMembers(p.pid).length && Date.now() < until) await sleep(50);
  const left = groupMembers(p.pid);
  if (left.length) throw new Error(`processes ${left.join(', ')} of group ${p.pid} survived SIGKILL`);
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolvePort(addr.port) : reject(new Error('no port'))));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>(r => setTimeout(r, ms));

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 30000,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`,
      );
    await sleep(everyMs);
  }
}
