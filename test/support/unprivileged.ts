import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';

/**
 * Tests that must not run as root (chmod 000 denies nothing to root) start a child as `nobody`.
 * That user can only run code it can reach: a clone under /root or inside a `mktemp -d` folder
 * (mode 0700) is closed to it. These helpers put what the child runs in a fresh world-readable
 * folder, so the tests behave the same wherever the repository was cloned.
 */

function openFolder(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kn-unprivileged-'));
  fs.chmodSync(dir, 0o755);
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Whether users other than the owner can reach and read `file` (every folder above lets them through). */
function readableByOthers(file: string): boolean {
  if ((fs.statSync(file).mode & 0o004) === 0) return false;
  for (let d = path.dirname(path.resolve(file)); ; d = path.dirname(d)) {
    if ((fs.statSync(d).mode & 0o001) === 0) return false;
    if (path.dirname(d) === d) return true;
  }
}

/** A self-contained script (a bundle such as dist/server.js) at a path `nobody` can run. */
export function runnableByOthers(script: string): string {
  if (readableByOthers(script)) return script;
  const copy = path.join(openFolder(), path.basename(script));
  fs.copyFileSync(script, copy);
  fs.chmodSync(copy, 0o644);
  return copy;
}

/** A TypeScript entry point bundled (with the engine it imports) into one script `nobody` can run. */
export function bundleForOthers(entry: string): string {
  const outfile = path.join(openFolder(), `${path.basename(entry, path.extname(entry))}.js`);
  // As scripts/build.mjs bundles: jsonc-parser's UMD entry would require its own files at run time.
  buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    mainFields: ['module', 'main'],
    outfile,
    logLevel: 'error',
  });
  fs.chmodSync(outfile, 0o644);
  return outfile;
}
