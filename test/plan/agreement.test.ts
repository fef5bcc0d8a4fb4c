import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PLAN_FIXTURES, load } from './support';
import { LspSession } from '../support/lsp';

/**
 * The CLI and the language server are two front ends of one engine: on every address-plan
 * fixture, `kube-netlint --format json`, the server's published diagnostics and
 * Workspace.diagnostics must list the same findings at the same ranges.
 */
const CLI = path.resolve(__dirname, '../../dist/cli.js');
const built = fs.existsSync(CLI) && fs.existsSync(path.resolve(__dirname, '../../dist/server.js'));
const SEVERITY: Record<number, string> = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };

function fixtureDirs(): string[] {
  const out: string[] = [];
  for (const d of fs.readdirSync(PLAN_FIXTURES).sort()) {
    const dir = path.join(PLAN_FIXTURES, d);
    const subs = ['trigger', 'clean'].map(s => path.join(dir, s)).filter(s => fs.existsSync(s));
    out.push(...(subs.length ? subs : [dir]));
  }
  return out;
}

type Row = string;
const row = (
  file: string,
  r: { start: { line: number; character: number }; end: { line: number; character: number } },
  severity: string,
  code: string,
  message: string,
): Row =>
  `${path.basename(file)} ${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character} ${severity} ${code} ${message}`;

function engineRows(dir: string): Row[] {
  const ws = load(dir);
  return ws
    .fileIds()
    .flatMap(f => ws.diagnostics(f).map(d => row(f, d.range, d.severity, d.code, d.message)))
    .sort();
}

describe(
  'CLI, server and engine agree on every address-plan fixture',
  { skip: built ? false : 'run npm run build first' },
  () => {
    for (const dir of fixtureDirs()) {
      const name = path.relative(PLAN_FIXTURES, dir);
      test(`CLI: ${name}`, () => {
        const r = spawnSync(process.execPath, [CLI, '--format', 'json', dir], { encoding: 'utf8', cwd: dir });
        assert.ok(r.status === 0 || r.status === 1, r.stderr);
        const cli = (
          JSON.parse(r.stdout) as { file: string; range: never; severity: string; code: string; message: string }[]
        )
          .map(d => row(d.file, d.range, d.severity, d.code, d.message))
          .sort();
        assert.deepEqual(cli, engineRows(dir));
      });
    }

    for (const dir of fixtureDirs()) {
      const name = path.relative(PLAN_FIXTURES, dir);
      describe(`server: ${name}`, () => {
        let s: LspSession;
        before(async () => {
          s = await LspSession.start(dir);
        });
        after(async () => {
          await s.stop();
        });
        test('publishes the same diagnostics as the engine', async () => {
          const expected = engineRows(dir);
          const files = (fs.readdirSync(dir, { recursive: true }) as string[]).filter(
            f => /\.(ya?ml|json|conf|conflist)$/.test(f) && !f.endsWith('.kube-netlint.yaml'),
          );
          const rows: Row[] = [];
          // A request makes the server finish its analysis and publish first (it publishes nothing for files without findings).
          await s.request('textDocument/hover', {
            textDocument: { uri: pathToFileURL(path.join(dir, files[0])).href },
            position: { line: 0, character: 0 },
          });
          for (const f of files) {
            const uri = pathToFileURL(path.join(dir, f)).href;
            const want = expected.filter(e => e.startsWith(`${path.basename(f)} `)).length;
            const diags = want
              ? await s.diagnostics(uri, d => d.length === want, 15000).catch(() => s.published.get(uri) ?? [])
              : (s.published.get(uri) ?? []);
            rows.push(
              ...diags.map(d => row(path.basename(f), d.range, SEVERITY[d.severity ?? 1], String(d.code), d.message)),
            );
          }
          assert.deepEqual(rows.sort(), expected);
        });
      });
    }
  },
);
