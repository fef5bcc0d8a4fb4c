import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Workspace, defaultAnalyzers, parseConfigText } from '../../server/src/engine';
import { configFileProblems } from '../../server/src/engine/config/config';
import { LspSession } from '../support/lsp';

// Issue 11 item 5: problems in .kube-netlint.yaml are diagnostics in that file at the exact key
// (engine side, so the language server shows them like any finding), `file:line` on the CLI's
// stderr with exit 2. The shape comes from schemas/kube-netlint.schema.json.

const CLI = path.resolve(__dirname, '../../dist/cli.js');
const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'kn-config-')));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const BAD = [
  'defaultNamspace: shop', // 1: unknown key, near miss
  'nodePortRange: 32767-30000', // 2: bad range
  'rules:',
  '  service-selector-no-matc: off', // 4: unknown rule id, near miss
  '  pod-port-conflict: loud', // 5: bad severity
  'exclude: ["charts/**", "/etc/**"]', // 6: bad glob
  'plan:',
  '  podCIDR: 10.244.0.0/33', // 8: not a CIDR
  'proxy:',
  '  mode: ebpf', // 10: not a mode
  '',
].join('\n');

/** `line:col text message` of each problem, 1-based, with the text the range covers. */
function located(text: string): string[] {
  return configFileProblems(text).map(p => {
    const before = text.slice(0, p.start).split('\n');
    return `${before.length}:${before[before.length - 1].length + 1} ${text.slice(p.start, p.end)} | ${p.message}`;
  });
}

test('each problem sits on the exact key or value, with a near-miss suggestion for keys and rule ids', () => {
  assert.deepEqual(located(BAD), [
    '1:1 defaultNamspace | unknown key "defaultNamspace" (did you mean "defaultNamespace"?)',
    '2:16 32767-30000 | nodePortRange: 32767-30000 starts above its end',
    '4:3 service-selector-no-matc | unknown rule id "service-selector-no-matc" in rules ' +
      '(did you mean "service-selector-no-match"?)',
    '5:22 loud | rules.pod-port-conflict: "loud" is not one of off, info, information, warning, error, hint',
    '6:24 "/etc/**" | exclude[1]: "/etc/**" is absolute; patterns are relative to the workspace folder',
    '8:12 10.244.0.0/33 | plan.podCIDR: "10.244.0.0/33" is not a CIDR',
    '10:9 ebpf | proxy.mode: "ebpf" is not one of iptables, nftables, ipvs',
  ]);
});

test('valid settings still apply next to invalid ones; a clean file has no problems', () => {
  const { config } = parseConfigText(BAD);
  assert.deepEqual(config.exclude, ['charts/**']);
  assert.equal(config.nodePortRange[0], 30000, 'the inverted range is not applied');
  const good = [
    'defaultNamespace: shop',
    'nodePortRange: 30000-32767',
    'maxFileSize: 1000000',
    'exclude: ["charts/**"]',
    'skipDirectories: [node_modules]',
    'rules: {cidr-overlap: warning, pod-port-conflict: off, service-selector-no-match: info}',
    'plan: {podCIDR: 10.244.0.0/16, serviceCIDR: [10.96.0.0/12], nodeNetworks: 192.168.0.0/24,',
    '  dockerBridge: none, nodeCidrMaskSize: {ipv4: 24, ipv6: 64}, clusterDomain: cluster.local,',
    '  cni: {plugin: calico, encapsulation: vxlan}}',
    'proxy: {mode: ipvs, nodeName: n1, clusterCIDR: 10.244.0.0/16, masqueradeBit: 14, nfacct: false}',
    'units: ["apps/*"]',
    'kustomize: {enabled: true, timeout: 30}',
    'helm: {releaseName: r, namespace: ns, valueSets: {charts/web: {prod: [values-prod.yaml]}}}',
    '',
  ].join('\n');
  assert.deepEqual(located(good), []);
  for (const f of fs.readdirSync(path.resolve(__dirname, '../fixtures'), { recursive: true }) as string[])
    if (path.basename(f) === '.kube-netlint.yaml') {
      const text = fs.readFileSync(path.resolve(__dirname, '../fixtures', f), 'utf8');
      assert.deepEqual(located(text), [], f);
    }
  assert.deepEqual(
    located(fs.readFileSync(path.resolve(__dirname, '../../examples/shop/.kube-netlint.yaml'), 'utf8')),
    [],
  );
});

test('syntax errors and duplicate keys are located too', () => {
  assert.deepEqual(located('a: [\n'), [
    '2:1  | cannot parse configuration: unexpected end of the stream within a flow collection (2:1)',
  ]);
  const dup = located('defaultNamespace: a\ndefaultNamespace: b\n');
  assert.equal(dup.length, 1);
  assert.match(dup[0], /^2:1 .*duplicated mapping key/);
});

test('the workspace reports them as config-invalid diagnostics in the config file', () => {
  const ws = new Workspace(undefined, defaultAnalyzers());
  const file = path.join(tmp, '.kube-netlint.yaml');
  ws.setFile(file, BAD);
  ws.setFile(path.join(tmp, 'nested', 'not-a-config.yaml'), 'defaultNamspace: x\n');
  ws.analyze();
  const diags = ws.diagnostics(file);
  assert.equal(diags.length, 7);
  assert.ok(diags.every(d => d.code === 'config-invalid' && d.severity === 'error'));
  assert.deepEqual(diags[0].range, { start: { line: 0, character: 0 }, end: { line: 0, character: 15 } });
  assert.match(diags[0].href, /docs\/rules\/config-invalid\.md$/);
  assert.deepEqual(ws.diagnostics(path.join(tmp, 'nested', 'not-a-config.yaml')), []);
});

test('the CLI prints file:line:col for each problem on stderr and exits 2, for every sub-command', () => {
  const dir = path.join(tmp, 'cli');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, '.kube-netlint.yaml'), BAD);
  fs.writeFileSync(path.join(dir, 'svc.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n');
  for (const sub of ['lint', 'plan', 'iptables', 'units', 'trace']) {
    const extra = sub === 'trace' ? ['--from', 'nodeport:30080'] : [];
    const r = spawnSync(process.execPath, [CLI, sub, ...extra], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 2, `${sub}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    const lines = r.stderr.trim().split('\n');
    assert.equal(
      lines[0],
      'kube-netlint: .kube-netlint.yaml:1:1: unknown key "defaultNamspace" (did you mean "defaultNamespace"?)',
    );
    assert.ok(
      lines.includes(
        'kube-netlint: .kube-netlint.yaml:10:9: proxy.mode: "ebpf" is not one of iptables, nftables, ipvs',
      ),
    );
    assert.match(lines[lines.length - 1], /invalid configuration \(7 problems\)/);
  }
  const other = spawnSync(process.execPath, [CLI, '--config', path.join(dir, '.kube-netlint.yaml'), '.'], {
    cwd: path.join(tmp),
    encoding: 'utf8',
  });
  assert.match(other.stderr, /^kube-netlint: cli\/\.kube-netlint\.yaml:1:1: /m, 'relative to the working directory');
});

test('the language server shows them as diagnostics in the file, not as pop-ups', async () => {
  const dir = path.join(tmp, 'lsp');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, '.kube-netlint.yaml'), BAD);
  fs.writeFileSync(path.join(dir, 'svc.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n');
  const s = await LspSession.start(dir);
  try {
    const diags = await s.diagnostics(s.uri('.kube-netlint.yaml'), d => d.length > 0);
    assert.equal(diags.length, 7);
    const unknown = diags.find(d => /defaultNamspace/.test(d.message))!;
    assert.equal(unknown.code, 'config-invalid');
    assert.deepEqual(unknown.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 15 } });
    assert.deepEqual(s.messages, [], 'no window/showMessage pop-ups for file problems');
  } finally {
    await s.stop();
  }
});
