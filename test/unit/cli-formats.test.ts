import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as Sarif from 'sarif';
import { toGithub } from '../../server/src/cli/github';
import type { LocatedDiagnostic } from '../../server/src/engine';

// Issue 11 item 3: --format sarif (validated by Microsoft's SARIF multitool), --format github,
// --fail-on.

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const SHOP = path.join(ROOT, 'examples/shop');
const run = (cwd: string, ...args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kn-formats-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

before(() => assert.ok(fs.existsSync(CLI), 'run npm run build first (npm test does)'));

interface JsonFinding {
  file: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: string;
  code: string;
  message: string;
}

function sarifOf(cwd: string, ...paths: string[]): { log: Sarif.Log; json: JsonFinding[] } {
  const s = run(cwd, '--format', 'sarif', ...paths);
  assert.ok(s.status === 0 || s.status === 1, s.stderr);
  const j = run(cwd, '--format', 'json', ...paths);
  return { log: JSON.parse(s.stdout) as Sarif.Log, json: JSON.parse(j.stdout) as JsonFinding[] };
}

test('SARIF: rules with id, description, help URI and default level; results point into them', () => {
  const { log } = sarifOf(SHOP, '.');
  assert.equal(log.version, '2.1.0');
  const run0 = log.runs[0];
  const rules = run0.tool.driver.rules!;
  for (const r of rules) {
    assert.match(r.id, /^[a-z0-9-]+$/);
    assert.ok(r.shortDescription?.text, r.id);
    assert.match(
      r.helpUri!,
      /^https:\/\/github\.com\/kube-netlint\/kube-netlint\/blob\/main\/docs\/rules\/[a-z0-9-]+\.md$/,
    );
    assert.ok(['error', 'warning', 'note'].includes(r.defaultConfiguration!.level!), r.id);
    const page = path.join(ROOT, 'docs/rules', path.basename(r.helpUri!));
    assert.ok(fs.existsSync(page), `${r.id}: ${page} exists`);
  }
  assert.ok(run0.results!.length >= 5);
  for (const res of run0.results!) {
    assert.equal(rules[res.ruleIndex!].id, res.ruleId);
    assert.ok(['error', 'warning', 'note'].includes(res.level!));
  }
});

test('SARIF: 1-based regions equal the JSON output, URIs relative to the working directory, related locations', () => {
  const { log, json } = sarifOf(SHOP, '.');
  const results = log.runs[0].results!;
  assert.equal(results.length, json.length);
  results.forEach((res, i) => {
    const d = json[i];
    const loc = res.locations![0].physicalLocation!;
    assert.equal(loc.artifactLocation!.uri, d.file);
    assert.equal(loc.artifactLocation!.uriBaseId, '%SRCROOT%');
    assert.deepEqual(loc.region, {
      startLine: d.range.start.line + 1,
      startColumn: d.range.start.character + 1,
      endLine: d.range.end.line + 1,
      endColumn: d.range.end.character + 1,
    });
    assert.equal(res.message.text, d.message);
  });
  assert.ok(!results.some(r => /^(\/|file:)/.test(r.locations![0].physicalLocation!.artifactLocation!.uri!)));
  const withRelated = results.filter(r => r.relatedLocations?.length);
  assert.ok(withRelated.length > 0, 'some findings carry related locations');
  for (const r of withRelated)
    for (const rl of r.relatedLocations!) {
      assert.ok(rl.message?.text);
      assert.ok(rl.physicalLocation!.region!.startLine! >= 1);
      assert.doesNotMatch(rl.physicalLocation!.artifactLocation!.uri!, /^\//);
    }
  assert.equal(log.runs[0].originalUriBaseIds!['%SRCROOT%'].uri, `file://${SHOP}/`);
  // From another directory the same files are named relative to it.
  const fromRoot = sarifOf(ROOT, 'examples/shop').log.runs[0].results!;
  assert.equal(fromRoot[0].locations![0].physicalLocation!.artifactLocation!.uri, `examples/shop/${json[0].file}`);
});

test('SARIF passes Microsoft SARIF multitool validation (schema and SARIF1xxx/2xxx rules)', () => {
  const pkg = path.dirname(require.resolve('@microsoft/sarif-multitool-linux/package.json', { paths: [ROOT] }));
  const bin = path.join(pkg, 'Sarif.Multitool');
  // npm 11 no longer runs the package's `chmod u+x` postinstall unless approved.
  if (!(fs.statSync(bin).mode & 0o100)) fs.chmodSync(bin, 0o755);
  // A file name with a space exercises URI escaping.
  const dir = path.join(tmp, 'my shop');
  fs.cpSync(SHOP, dir, { recursive: true });
  const input = path.join(tmp, 'kube-netlint.sarif');
  const r = run(dir, '--format', 'sarif', '.');
  fs.writeFileSync(input, r.stdout);
  const output = path.join(tmp, 'validation.sarif');
  const v = spawnSync(bin, ['validate', input, '--output', output, '--log', 'ForceOverwrite'], {
    encoding: 'utf8',
    env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' },
  });
  assert.equal(v.status, 0, v.stdout + v.stderr);
  const report = JSON.parse(fs.readFileSync(output, 'utf8')) as Sarif.Log;
  assert.equal(report.runs[0].tool.driver.name, 'Sarif.Multitool', 'the validator really ran');
  const problems = (report.runs[0].results ?? []).map(
    x => `${x.ruleId} ${x.level ?? 'warning'} ${(x.message.arguments ?? []).join(' | ')}`,
  );
  assert.deepEqual(problems, []);
  // …and the validator does report a broken file (so an empty report means something).
  const broken = JSON.parse(r.stdout) as Sarif.Log;
  broken.runs[0].results![0].locations![0].physicalLocation!.region!.startLine = 0;
  fs.writeFileSync(input, JSON.stringify(broken));
  spawnSync(bin, ['validate', input, '--output', output, '--log', 'ForceOverwrite'], { encoding: 'utf8' });
  const flagged = (JSON.parse(fs.readFileSync(output, 'utf8')) as Sarif.Log).runs[0].results ?? [];
  assert.ok(
    flagged.some(x => x.ruleId === 'JSON1008'),
    JSON.stringify(flagged.map(x => x.ruleId)),
  );
});

test('github: one workflow command per finding, 1-based, with the runner escaping', () => {
  const r = run(SHOP, '--format', 'github', '.');
  const json = JSON.parse(run(SHOP, '--format', 'json', '.').stdout) as JsonFinding[];
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, json.length);
  lines.forEach((l, i) => {
    const d = json[i];
    const level = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' }[d.severity];
    assert.ok(
      l.startsWith(`::${level} file=${d.file},line=${d.range.start.line + 1},endLine=${d.range.end.line + 1},`),
      l,
    );
    assert.match(l, new RegExp(`,col=${d.range.start.character + 1}[,:]`));
    assert.match(l, new RegExp(`title=kube-netlint ${d.code}::`));
  });
  const odd: LocatedDiagnostic = {
    fileId: 'a,b:c.yaml',
    range: { start: { line: 0, character: 0 }, end: { line: 1, character: 3 } },
    severity: 'information',
    code: 'x',
    source: 'kube-netlint',
    message: '100% sure\nsecond line',
    href: '',
    related: [],
    fixes: [],
  };
  assert.deepEqual(toGithub([odd]), [
    '::notice file=a%2Cb%3Ac.yaml,line=1,endLine=2,col=1,title=kube-netlint x::100%25 sure%0Asecond line',
  ]);
});

test('--fail-on sets the lowest severity that makes the exit code 1', () => {
  const warnOnly = path.join(tmp, 'warn');
  fs.mkdirSync(warnOnly);
  fs.writeFileSync(
    path.join(warnOnly, 'svc.yaml'),
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n' +
      'spec:\n  selector:\n    app: nothing\n  ports:\n    - port: 80\n',
  );
  const severities = (JSON.parse(run(warnOnly, '-f', 'json').stdout) as JsonFinding[]).map(d => d.severity);
  assert.deepEqual(severities, ['warning']);
  assert.equal(run(warnOnly).status, 0, 'default: errors only');
  assert.equal(run(warnOnly, '--fail-on', 'error').status, 0);
  assert.equal(run(warnOnly, '--fail-on', 'warning').status, 1);
  assert.equal(run(warnOnly, '--fail-on', 'info').status, 1);
  assert.equal(run(SHOP, '--fail-on', 'error', '--format', 'sarif').status, 1);
  const bad = run(warnOnly, '--fail-on', 'notice');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--fail-on must be error, warning or info, not notice/);
});
