import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultConfig, loadProject } from '../../server/src/engine';
import { Renderers } from '../../server/src/engine/render/service';
import { Tool, runTool } from '../../server/src/engine/render/tool';
import { KUSTOMIZE, noKustomize, tree } from './support';

/** A stand-in renderer: a shell script (absolute paths only, since the tool runs without PATH). */
function script(body: string): Tool {
  const dir = tree({ 'tool.sh': `#!/bin/sh\n${body}\n` });
  const p = path.join(dir, 'tool.sh');
  fs.chmodSync(p, 0o755);
  return { path: p, kind: 'kustomize' };
}

const LIMITS = { timeoutMs: 20_000, maxOutputBytes: 1 << 20 };
const noShell = fs.existsSync('/bin/sh') && fs.existsSync('/bin/sleep') ? false : 'skipped: no /bin/sh or /bin/sleep';

describe('rendering runs a program on workspace content, boxed in', { skip: noShell }, () => {
  it('a render that does not finish is killed at the timeout', async () => {
    const started = Date.now();
    const r = await runTool(script('exec /bin/sleep 30'), [], process.cwd(), { ...LIMITS, timeoutMs: 300 });
    assert.equal(r.stopped, 'timeout');
    assert.ok(Date.now() - started < 10_000, 'killed long before the program would have ended');
  });

  it('a render whose output passes the size limit is stopped and its output dropped', async () => {
    const r = await runTool(script('while :; do echo "kind: ConfigMap"; done'), [], process.cwd(), {
      ...LIMITS,
      maxOutputBytes: 4096,
    });
    assert.equal(r.stopped, 'output-limit');
    assert.ok(r.stdout.length <= 4096, `${r.stdout.length} bytes kept`);
  });

  it('sees no PATH, no kubeconfig, proxies that go nowhere and a throw-away HOME', async () => {
    const r = await runTool(
      script('echo "$PATH|$KUBECONFIG|$HTTPS_PROXY|$HELM_PLUGINS|$HOME"'),
      [],
      process.cwd(),
      LIMITS,
    );
    assert.equal(r.code, 0, r.stderr);
    const [p, kubeconfig, proxy, plugins, home] = r.stdout.trim().split('|');
    assert.ok(!p.split(':').some(d => fs.existsSync(d)), `PATH ${p} leads to no binaries`);
    assert.ok(!fs.existsSync(kubeconfig), 'no kubeconfig');
    assert.equal(proxy, 'http://127.0.0.1:9');
    assert.ok(plugins.startsWith(home), 'helm plugins come from the empty HOME');
    assert.ok(!fs.existsSync(home), 'the HOME is removed afterwards');
  });
});

describe('kustomize exec functions never run', { skip: noKustomize }, () => {
  it('a generator naming an exec KRM function fails the render; the script is not run', async () => {
    const dir = tree({
      'app/kustomization.yaml': 'resources: [svc.yaml]\ngenerators: [fn.yaml]\n',
      'app/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports: [{port: 80}]\n',
      'app/fn.yaml':
        'apiVersion: example.com/v1\nkind: Gen\nmetadata:\n  name: gen\n  annotations:\n' +
        '    config.kubernetes.io/function: |\n      exec:\n        path: ./fn.sh\n',
    });
    const marker = path.join(dir, 'RAN');
    fs.writeFileSync(path.join(dir, 'app/fn.sh'), `#!/bin/sh\n/usr/bin/touch ${marker}\n`, { mode: 0o755 });
    const p = await loadProject(
      [dir],
      defaultConfig(),
      new Renderers({ trusted: true, kustomizePath: KUSTOMIZE?.path }),
    );
    assert.equal(p.unit('app')!.state, 'failed');
    const [note] = p.diagnostics(path.join(dir, 'app/kustomization.yaml'));
    assert.equal(note.code, 'render-failed');
    assert.match(note.message, /plugins disabled/);
    assert.equal(fs.existsSync(marker), false, 'the exec function was not run');
  });
});
