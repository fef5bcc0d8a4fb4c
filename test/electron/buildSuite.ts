// Bundles the VS Code API suite into one CommonJS file the extension host can require.
import { build } from 'esbuild';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '../..');

export async function buildSuite(outDir: string): Promise<string> {
  const outfile = join(outDir, 'suite.js');
  await build({
    entryPoints: [join(repoRoot, 'test/electron/suite/index.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    logLevel: 'warning',
  });
  return outfile;
}
