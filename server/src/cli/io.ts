import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * stdout and stderr for the CLI. When the reader goes away (`kube-netlint . | head -1`) Node
 * reports EPIPE as an 'error' event that would end the process with a stack trace; here it marks
 * the stream closed, later writes are dropped, and the command finishes with its own exit code.
 */
export function processIo(): { out(line: string): void; err(line: string): void } {
  const open = { out: true, err: true };
  const guard = (stream: NodeJS.WriteStream, key: 'out' | 'err') =>
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') open[key] = false;
      else throw e;
    });
  guard(process.stdout, 'out');
  guard(process.stderr, 'err');
  return {
    out: line => {
      if (open.out) process.stdout.write(line + '\n');
    },
    err: line => {
      if (open.err) process.stderr.write(line + '\n');
    },
  };
}

declare const __KN_VERSION__: string | undefined;

/** The package version: inlined by the bundler (scripts/build.mjs), else read from package.json. */
export function version(): string {
  if (typeof __KN_VERSION__ === 'string') return __KN_VERSION__;
  for (const dir of [
    __dirname,
    path.join(__dirname, '..'),
    path.join(__dirname, '../..'),
    path.join(__dirname, '../../..'),
  ]) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'kube-netlint' && pkg.version) return pkg.version;
    } catch {
      // not here; try the parent
    }
  }
  return 'unknown';
}
