import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { tempTree, SERVICE } from './support/tree';

// Issue 10 item 12 (CLI half): `kube-netlint dir | head -1` printed an EPIPE stack. A closed
// stdout must end the CLI quietly. The workspace is large enough that the CLI is still writing
// when head has exited (thousands of findings, far beyond a pipe buffer of 64 KiB).

const CLI = path.resolve(__dirname, '../../dist/cli.js');
const files: Record<string, string> = {};
for (let i = 0; i < 300; i++)
  files[`svc-${String(i).padStart(3, '0')}.yaml`] = Array.from({ length: 10 }, (_, j) => SERVICE(`s${i}-${j}`)).join(
    '---\n',
  );
const dir = tempTree(files);
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function piped(args: string): { status: number | null; stdout: string; stderr: string } {
  assert.ok(fs.existsSync(CLI), 'run npm run build first (npm test does)');
  // `set -o pipefail` is not POSIX; PIPESTATUS needs bash: report the CLI's own exit code.
  const r = spawnSync('bash', ['-c', `node ${JSON.stringify(CLI)} ${args} | head -1; exit \${PIPESTATUS[0]}`], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

for (const args of ['.', '--format json .', '--format sarif .', '--format github .', 'iptables .', 'units .']) {
  test(`kube-netlint ${args} | head -1 ends quietly`, () => {
    const r = piped(args);
    assert.equal(r.stdout.split('\n').filter(Boolean).length, 1);
    assert.doesNotMatch(r.stderr, /EPIPE|Error|at .*\(/, r.stderr);
    // The CLI's own exit code still follows the policy (warnings only: 0), not a crash.
    assert.equal(r.status, 0, r.stderr);
  });
}

test('the workspace really produces more output than a pipe holds (the test exercises EPIPE)', () => {
  const r = spawnSync(process.execPath, [CLI, '.'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.ok(r.stdout.length > 256 * 1024, `${r.stdout.length} bytes`);
});
