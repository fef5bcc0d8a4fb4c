// Issue 11 item 6 in a real second LSP client: Debian's Neovim (its built-in client, no plugins)
// runs every kube-netlint code lens with vim.lsp.codelens.run(). Before, each lens answered
// "Language server does not support command `kubeNetlint.…`". Skips in one line without nvim.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';

const ROOT = path.resolve(__dirname, '../..');
const FIXTURE = path.join(ROOT, 'test/fixtures/protocol/ws');
const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
const available = nvim.status === 0;

interface Report {
  error?: string;
  lenses: { title: string; command: string; line: number }[];
  ran: { title: string; answered: boolean }[];
  messages: { type: number; message: string }[];
  notifications: { msg: string; level: number }[];
}

test(
  'issue 11.6: Neovim runs every code lens through the server',
  { skip: available ? false : 'skipped: nvim is not installed (apt-get install neovim)' },
  () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kn-nvim-')), 'report.json');
    const r = spawnSync(
      'nvim',
      ['--headless', '--clean', '-n', '-c', `luafile ${path.join(__dirname, 'neovim/lenses.lua')}`],
      {
        encoding: 'utf8',
        timeout: 90_000,
        env: {
          ...process.env,
          KN_OUT: out,
          KN_NODE: process.execPath,
          KN_SERVER: path.join(ROOT, 'dist/server.js'),
          KN_ROOT: FIXTURE,
          KN_FILE: path.join(FIXTURE, 'service.yaml'),
          XDG_STATE_HOME: path.dirname(out),
          XDG_CACHE_HOME: path.dirname(out),
        },
      },
    );
    assert.ok(fs.existsSync(out), `nvim wrote no report (status ${r.status}): ${r.stderr}`);
    const report = JSON.parse(fs.readFileSync(out, 'utf8')) as Report;
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
    assert.equal(report.error ?? null, null);
    assert.deepEqual(report.lenses.map(l => l.title).sort(), ['Preview traffic path', 'Show kube-proxy rules']);
    assert.deepEqual(
      report.ran.map(x => x.answered),
      report.lenses.map(() => true),
    );
    assert.deepEqual(report.notifications, [], 'Neovim complained about nothing');
    const texts = report.messages.map(m => m.message);
    assert.ok(
      texts.some(t => t.startsWith('# kube-proxy iptables mode')),
      texts.join('\n---\n'),
    );
    assert.ok(
      texts.some(t => t.startsWith('Traffic path ')),
      texts.join('\n---\n'),
    );
  },
);
