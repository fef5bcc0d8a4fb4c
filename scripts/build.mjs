// Bundles every entry point with esbuild; one list, so client, server, CLI and webview stay in step.
import { build } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// mainFields: jsonc-parser's UMD entry requires its own files at run time; its ESM build bundles cleanly.
const node = {
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  bundle: true,
  sourcemap: true,
  logLevel: 'warning',
  mainFields: ['module', 'main'],
};
const entries = [
  { ...node, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  { ...node, entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js' },
  {
    ...node,
    entryPoints: ['server/src/cli/main.ts'],
    outfile: 'dist/cli.js',
    // `kube-netlint --version` without shipping or reading package.json at run time.
    define: { __KN_VERSION__: JSON.stringify(version) },
  },
  { ...node, entryPoints: ['test/bench/bench.ts'], outfile: 'dist/bench.js', external: ['@monokle/validation'] },
  {
    platform: 'browser',
    target: 'es2020',
    format: 'iife',
    bundle: true,
    sourcemap: false,
    logLevel: 'warning',
    entryPoints: ['media/src/pathView.ts'],
    outfile: 'dist/webview/pathView.js',
  },
  {
    platform: 'browser',
    target: 'es2020',
    format: 'iife',
    bundle: true,
    sourcemap: false,
    logLevel: 'warning',
    entryPoints: ['media/src/connectivityView.ts'],
    outfile: 'dist/webview/connectivityView.js',
  },
].filter(e => e.entryPoints.every(p => existsSync(p)));

await Promise.all(entries.map(e => build(e)));
console.log(`built ${entries.map(e => e.outfile).join(', ')}`);
