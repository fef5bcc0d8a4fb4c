import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { collectFiles, readWorkspace, defaultConfig } from '../../server/src/engine';
import { tempTree, SERVICE, DEPLOYMENT } from './support/tree';

// Issue 10 item 3: the directory walk followed symlinks without a loop or boundary check (two
// links to `.` hung it, a link to `/` walked the disk, a link to a file outside was linted).

const outside = tempTree({ 'secret.yaml': SERVICE('outside-secret'), 'dir/more.yaml': SERVICE('outside-dir') });
const ws = tempTree({
  'app.yaml': DEPLOYMENT('web') + '---\n' + SERVICE('web'),
  'sub/real.yaml': SERVICE('sub'),
});
fs.symlinkSync('.', path.join(ws, 'loop1'));
fs.symlinkSync('.', path.join(ws, 'loop2'));
fs.symlinkSync('..', path.join(ws, 'sub', 'up'));
fs.symlinkSync('/', path.join(ws, 'root'));
fs.symlinkSync(path.join(outside, 'secret.yaml'), path.join(ws, 'secret.yaml'));
fs.symlinkSync(path.join(outside, 'dir'), path.join(ws, 'elsewhere'));
fs.symlinkSync('../' + path.basename(outside), path.join(ws, 'relative-out'));
fs.symlinkSync('sub/real.yaml', path.join(ws, 'alias.yaml'));
fs.symlinkSync('nowhere.yaml', path.join(ws, 'broken.yaml'));
after(() => {
  fs.rmSync(ws, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

const rel = (p: string) => path.relative(ws, p);

test('two links to `.` and a link to `..` do not loop: each real directory is walked once', () => {
  const { files, skipped } = collectFiles([ws]);
  // alias.yaml sorts before sub/, so the real file is read once, under that name.
  assert.deepEqual(files.map(rel), ['alias.yaml', 'app.yaml']);
  const again = skipped.filter(s => s.reason === 'already-walked').map(s => rel(s.path));
  assert.deepEqual(again.sort(), ['loop1', 'loop2', 'sub/up']);
});

test('a link to `/` is not walked, and links to files or folders outside the workspace are not read', () => {
  const { skipped } = collectFiles([ws]);
  const out = skipped.filter(s => s.reason === 'outside-roots');
  assert.deepEqual(
    out.map(s => [rel(s.path), s.detail]),
    [
      ['elsewhere', path.join(outside, 'dir')],
      ['relative-out', '../' + path.basename(outside)],
      ['root', '/'],
      ['secret.yaml', path.join(outside, 'secret.yaml')],
    ],
  );
  const loaded = readWorkspace([ws], defaultConfig());
  const names = loaded.ws.fileIds().flatMap(f => loaded.ws.file(f)!.resources.map(r => r.name));
  assert.ok(!names.some(n => n.includes('outside')), names.join(', '));
  assert.ok(names.some(n => n.includes('web')));
});

test('one notice says what was skipped and why', () => {
  const { notices } = collectFiles([ws]);
  assert.equal(notices.length, 1);
  assert.doesNotMatch(notices[0], /\n/);
  assert.match(notices[0], /^skipped 8 paths: /);
  assert.match(notices[0], /4 symbolic links leading out of the workspace \(.*root -> \/.*, and 1 more\)/);
  assert.match(notices[0], /3 paths already walked under another name/);
  assert.match(notices[0], /1 broken symbolic link \(.*broken\.yaml -> nowhere\.yaml\)/);
});

test('a link inside the workspace to another folder inside is followed, once', () => {
  const dir = tempTree({ 'real/svc.yaml': SERVICE('x') });
  try {
    fs.symlinkSync('real', path.join(dir, 'a-link'));
    const { files, skipped } = collectFiles([dir]);
    assert.deepEqual(
      files.map(f => path.relative(dir, f)),
      ['a-link/svc.yaml'],
    );
    assert.deepEqual(
      skipped.map(s => [path.relative(dir, s.path), s.reason]),
      [['real', 'already-walked']],
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a workspace root that is itself a link is walked (the boundary is its real path)', () => {
  const link = ws + '-link';
  fs.symlinkSync(ws, link);
  try {
    const { files } = collectFiles([link]);
    assert.deepEqual(
      files.map(f => path.relative(link, f)),
      ['alias.yaml', 'app.yaml'],
    );
  } finally {
    fs.unlinkSync(link);
  }
});

test('an explicitly named file outside any folder argument is read: it is a root itself', () => {
  const { files, skipped } = collectFiles([path.join(outside, 'secret.yaml')]);
  assert.deepEqual(files, [path.join(outside, 'secret.yaml')]);
  assert.deepEqual(skipped, []);
});
