import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// Issue 11 item 2: CLI conventions, one test per finding of the issue.

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const SHOP = path.join(ROOT, 'examples/shop');
const run = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'kn-conventions-')));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
before(() => assert.ok(fs.existsSync(CLI), 'run npm run build first (npm test does)'));

const SUBCOMMANDS = ['lint', 'plan', 'iptables', 'trace', 'units', 'connectivity', 'policies generate'];

function write(rel: string, text: string): string {
  const p = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
}

const SERVICE_JSON = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'api' },
  spec: { selector: { app: 'apii' }, ports: [{ port: 80, targetPort: 'http' }] },
};
const DEPLOYMENT_JSON = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'api' },
  spec: {
    selector: { matchLabels: { app: 'api' } },
    template: {
      metadata: { labels: { app: 'api' } },
      spec: { containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: 8080 }] }] },
    },
  },
};

test('a missing path is exit 2 with a message, for every sub-command', () => {
  for (const sub of SUBCOMMANDS) {
    const extra = sub === 'trace' ? ['--from', 'nodeport:30080'] : [];
    const r = run(tmp, ...sub.split(' '), 'no-such-dir', ...extra);
    assert.equal(r.status, 2, `${sub}: ${r.stderr}`);
    assert.match(r.stderr, /^kube-netlint: no-such-dir: no such file or directory$/m, sub);
    assert.equal(r.stdout, '');
  }
  assert.equal(run(tmp, 'no-such-dir').status, 2, 'the default command too');
});

test('options are never read as paths: -f json is --format json, an unknown one is a usage error', () => {
  const r = run(SHOP, '-f', 'json', '.');
  assert.equal(r.status, 1);
  assert.ok(Array.isArray(JSON.parse(r.stdout)));
  const bad = run(SHOP, '-x', '.');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown option -x/);
  assert.match(bad.stderr, /Run "kube-netlint lint --help"/);
});

test('-h/--help and --version on every sub-command, exit 0', () => {
  const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version as string;
  for (const sub of SUBCOMMANDS) {
    for (const flag of ['-h', '--help']) {
      const r = run(tmp, ...sub.split(' '), flag);
      assert.equal(r.status, 0, `${sub} ${flag}: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^Usage: kube-netlint ${sub} `), `${sub} ${flag}`);
      assert.match(r.stdout, /-h, --help/);
      assert.match(r.stdout, /Exit codes: 0/);
    }
    const v = run(tmp, ...sub.split(' '), '--version');
    assert.equal(v.status, 0);
    assert.equal(v.stdout, `kube-netlint ${version}\n`);
  }
  assert.match(run(tmp, 'plan', '--help').stdout, /--format text\|json/);
  assert.match(run(tmp, 'iptables', '--help').stdout, /--syntax restore\|save/);
  assert.match(run(tmp, 'trace', '--help').stdout, /--from ENTRY/);
  const top = run(tmp, '--help');
  assert.equal(top.status, 0);
  for (const sub of SUBCOMMANDS) assert.match(top.stdout, new RegExp(`^  ${sub} `, 'm'));
  assert.match(run(tmp, 'policies').stderr, /policies needs a command: generate/);
  assert.equal(run(tmp, 'help', 'plan').stdout, run(tmp, 'plan', '--help').stdout);
});

test('skipped directories are listed in --help and can be overridden in the configuration', () => {
  const help = run(tmp, '--help').stdout;
  assert.match(help, /Never walked unless named:\s+node_modules, \.git, \.hg, \.svn, dist, out/);
  assert.match(help, /skipDirectories:/);
  const dir = path.join(tmp, 'skips');
  write(
    'skips/dist/svc.yaml',
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  ports:\n    - port: 80\n',
  );
  write('skips/app.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n');
  assert.deepEqual(JSON.parse(run(dir, 'units', '-f', 'json').stdout)[0].files, ['app.yaml']);
  write('skips/.kube-netlint.yaml', 'skipDirectories: [node_modules, .git]\n');
  assert.deepEqual(JSON.parse(run(dir, 'units', '-f', 'json').stdout)[0].files.sort(), ['app.yaml', 'dist/svc.yaml']);
});

test('nothing read: "no Kubernetes manifests found in …", exit 2', () => {
  const empty = path.join(tmp, 'empty');
  fs.mkdirSync(path.join(empty, 'node_modules'), { recursive: true });
  fs.writeFileSync(path.join(empty, 'README.md'), '# nothing here\n');
  fs.writeFileSync(path.join(empty, 'node_modules', 'x.yaml'), 'kind: Service\n');
  for (const sub of SUBCOMMANDS) {
    const extra = sub === 'trace' ? ['--from', 'nodeport:30080'] : [];
    const r = run(empty, ...sub.split(' '), ...extra);
    assert.equal(r.status, 2, sub);
    assert.match(r.stderr, /^kube-netlint: no Kubernetes manifests found in \. \(/m, sub);
  }
});

test('one exit-code policy: an unknown Service is 2 for trace and iptables alike; a broken path is 1', () => {
  const trace = run(SHOP, 'trace', '--from', 'pod:shop/frontend', '--to', 'nosuch:80');
  assert.equal(trace.status, 2);
  assert.match(trace.stderr, /no Service shop\/nosuch in \./);
  const lb = run(SHOP, 'trace', '--from', 'lb:shop/nosuch');
  assert.equal(lb.status, 2);
  assert.match(lb.stderr, /no Service shop\/nosuch/);
  const ipt = run(SHOP, 'iptables', '--service', 'shop/nosuch');
  assert.equal(ipt.status, 2);
  assert.match(ipt.stderr, /no Service shop\/nosuch in \./);
  const workload = run(SHOP, 'trace', '--from', 'pod:shop/nosuch', '--to', 'cart:7070');
  assert.equal(workload.status, 2);
  // cart's targetPort "gprc" is the shop's deliberate typo: a broken path, not an input error.
  const broken = run(SHOP, 'trace', '--from', 'pod:shop/frontend', '--to', 'cart:7070');
  assert.equal(broken.status, 1, broken.stderr);
  assert.equal(run(SHOP).status, 1, 'lint: error findings');
  assert.equal(run(SHOP, 'plan').status, 0);
  assert.equal(run(SHOP, 'units').status, 0);
  assert.equal(run(SHOP, 'plan', '--config', 'missing.yaml').status, 2, 'plan --config missing.yaml');
  assert.match(run(SHOP, 'plan', '--config', 'missing.yaml').stderr, /config file not found: missing\.yaml/);
});

test('paths are printed relative to the working directory by every sub-command', () => {
  const sub = path.join(tmp, 'elsewhere');
  fs.mkdirSync(sub, { recursive: true });
  const rel = path.relative(sub, SHOP); // ../../…/examples/shop
  const lint = run(sub, SHOP); // an absolute argument
  assert.match(lint.stdout, new RegExp(`^${rel.replace(/[.]/g, '\\.')}/apps/cart\\.yaml:\\d+:\\d+ error`, 'm'));
  assert.doesNotMatch(lint.stdout, /^\//m);
  const json = JSON.parse(run(sub, '-f', 'json', SHOP).stdout) as { file: string }[];
  assert.ok(json.every(d => d.file.startsWith(`${rel}/`)));
  const plan = run(sub, 'plan', SHOP).stdout;
  assert.ok(plan.includes(` ${rel}/`), plan);
  assert.doesNotMatch(plan, / \/[^ ]*\.yaml/);
  const trace = run(sub, 'trace', SHOP, '--from', 'pod:shop/frontend', '--to', 'cart:7070').stdout;
  assert.ok(trace.includes(`${rel}/`), trace);
  assert.doesNotMatch(trace, /(^|\s)\/[^ ]*\.yaml/m);
  const units = JSON.parse(run(sub, 'units', '-f', 'json', SHOP).stdout) as { files: string[] }[];
  assert.ok(units[0].files.every(f => f.startsWith(`${rel}/`)));
});

test('.json manifests (an object and a List) are analysed; CNI JSON configs still are too', () => {
  const dir = path.join(tmp, 'json');
  write('json/svc.json', JSON.stringify(SERVICE_JSON, null, 2));
  write('json/list.json', JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [DEPLOYMENT_JSON] }, null, 2));
  write(
    'json/10-net.conflist',
    '{"cniVersion":"1.0.0","name":"n","plugins":[{"type":"bridge","ipam":{"subnet":"10.1.0.0/33"}}]}',
  );
  write('json/daemon.json', '{"bip": "172.18.0.1/16"}');
  const findings = JSON.parse(run(dir, '-f', 'json').stdout) as { file: string; code: string; message: string }[];
  const svc = findings.find(f => f.code === 'service-selector-no-match');
  assert.equal(svc?.file, 'svc.json');
  assert.match(svc!.message, /Did you mean "api"\?/, 'the Deployment of list.json is seen');
  assert.ok(findings.some(f => f.file === '10-net.conflist' && f.code === 'cidr-invalid'));
  const plan = run(dir, 'plan').stdout;
  assert.match(plan, /172\.18\.0\.0\/16 +docker-bridge .*daemon\.json:1/);
});

test('files named explicitly are analysed whatever their extension', () => {
  const dir = path.join(tmp, 'explicit');
  const yamlText = [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    '  name: api',
    'spec:',
    '  selector:',
    '    app: nothing',
    '  ports:',
    '    - port: 80',
    '',
  ].join('\n');
  write('explicit/rendered.golden', yamlText);
  write('explicit/exported.txt', JSON.stringify(SERVICE_JSON));
  assert.equal(run(dir, '.').status, 2, 'a walk does not pick them up: nothing to analyse');
  const named = JSON.parse(run(dir, '-f', 'json', 'rendered.golden', 'exported.txt').stdout) as { file: string }[];
  assert.deepEqual([...new Set(named.map(f => f.file))].sort(), ['exported.txt', 'rendered.golden']);
});
