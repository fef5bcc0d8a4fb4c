import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { tempTree, SERVICE } from './support/tree';
import { bundleForOthers, runnableByOthers } from '../support/unprivileged';

// Issue 10 item 5: an unreadable directory crashed the CLI (EACCES) and blanked the server's
// start-up scan; unreadable files were skipped silently. Both become one notice and the rest is
// analysed. Root reads everything, so when the suite runs as root (CI) the walk runs in a child
// process as `nobody`; the assertions on EACCES prove the denied path really was exercised.

const ROOT = path.resolve(__dirname, '../..');
const NOBODY = 65534;
const dir = tempTree({
  'a-ok.yaml': SERVICE('visible'),
  'locked/hidden.yaml': SERVICE('hidden'),
  'private.yaml': SERVICE('private'),
  'z-after/late.yaml': SERVICE('late'),
});
fs.chmodSync(dir, 0o755);
fs.chmodSync(path.join(dir, 'locked'), 0o000);
fs.chmodSync(path.join(dir, 'private.yaml'), 0o000);
after(() => {
  fs.chmodSync(path.join(dir, 'locked'), 0o755);
  fs.rmSync(dir, { recursive: true, force: true });
});

interface ChildReport {
  uid: number;
  files: string[];
  skipped: { path: string; reason: string; detail?: string }[];
  notices: string[];
  loadedFiles: string[];
  loadedNotices: string[];
  resources: string[];
}

function walkAsUnprivileged(target: string): ChildReport {
  const asRoot = process.getuid?.() === 0;
  const child = bundleForOthers(path.join(__dirname, 'support/walk-child.ts'));
  const r = spawnSync(process.execPath, [child, target], {
    cwd: asRoot ? os.tmpdir() : ROOT,
    encoding: 'utf8',
    ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
    env: { ...process.env, HOME: '/tmp' },
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as ChildReport;
}

const report = walkAsUnprivileged(dir);
const rel = (p: string) => path.relative(dir, p);

test('the walk really ran without the right to read (not as root)', () => {
  assert.notEqual(report.uid, 0);
});

test('an unreadable directory and an unreadable file become skipped entries with EACCES; the rest is walked', () => {
  assert.deepEqual(report.files.map(rel), ['a-ok.yaml', 'z-after/late.yaml']);
  assert.deepEqual(
    report.skipped.map(s => [rel(s.path), s.reason, s.detail]),
    [
      ['locked', 'unreadable', 'EACCES'],
      ['private.yaml', 'unreadable', 'EACCES'],
    ],
  );
});

test('one notice names both, and the readable files are analysed', () => {
  assert.equal(report.notices.length, 1);
  assert.equal(
    report.notices[0],
    `skipped 2 paths: 2 unreadable paths (${dir}/locked: EACCES, ${dir}/private.yaml: EACCES)`,
  );
  assert.deepEqual(report.loadedNotices, report.notices);
  assert.deepEqual(report.resources.sort(), ['late', 'visible']);
});

test('the CLI does not crash on an unreadable directory: it prints the notice and lints the rest', () => {
  const cli = path.join(ROOT, 'dist/cli.js');
  assert.ok(fs.existsSync(cli), 'run npm run build first (npm test does)');
  const asRoot = process.getuid?.() === 0;
  const r = spawnSync(process.execPath, [asRoot ? runnableByOthers(cli) : cli, '--format', 'json', dir], {
    cwd: dir,
    encoding: 'utf8',
    ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
  });
  assert.doesNotMatch(r.stderr, /internal error|EACCES: permission denied, scandir/);
  assert.match(r.stderr, /skipped 2 paths: 2 unreadable paths/);
  const findings = JSON.parse(r.stdout) as { file: string }[];
  assert.ok(findings.every(f => !f.file.includes('locked')));
});
