import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { defaultConfig, loadProject, parseConfigText } from '../../server/src/engine';
import { nodeProxy, proxySettings, renderRules, workspaceServices } from '../../server/src/engine/netfilter';
import { Renderers } from '../../server/src/engine/render/service';
import { sharedSuite } from '../support/shared';
import { KUSTOMIZE, noKustomize, tree } from './support';

const svc = (name: string, port: number) =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    app: ${name}\n  ports:\n    - port: ${port}\n`;
const dep = (name: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    matchLabels:\n      app: ${name}\n  template:\n    metadata:\n      labels:\n        app: ${name}\n    spec:\n      containers:\n        - name: c\n          image: x\n`;

describe('object-duplicate and counting once', () => {
  it('in a declared unit the same object in two files is a duplicate, each related to the other, counted once', async () => {
    const dir = tree({
      'app/a.yaml': `${svc('api', 80)}---\n${dep('api')}`,
      'app/b.yaml': svc('api', 8080),
      'other/c.yaml': svc('api', 80),
    });
    const { config } = parseConfigText('units: ["app", "other"]\n');
    const p = await loadProject([dir], config);
    const a = p.diagnostics(path.join(dir, 'app/a.yaml')).filter(d => d.code === 'object-duplicate');
    const b = p.diagnostics(path.join(dir, 'app/b.yaml')).filter(d => d.code === 'object-duplicate');
    assert.equal(a.length, 1);
    assert.equal(b.length, 1);
    assert.equal(a[0].severity, 'warning');
    assert.equal(a[0].related[0].fileId, path.join(dir, 'app/b.yaml'));
    assert.equal(b[0].related[0].fileId, path.join(dir, 'app/a.yaml'));
    assert.deepEqual(
      p.diagnostics(path.join(dir, 'other/c.yaml')).map(d => d.code),
      ['service-selector-no-match'],
      'the same object in another unit is normal',
    );
    const ws = p.unit('app')!.ws;
    assert.equal(workspaceServices(ws).length, 1, 'kube-proxy programs the Service once');
  });

  it('among plain files, alternatives in different files are not reported; a repeat in one file is', async () => {
    const dir = tree({
      'install.yaml': svc('server', 80),
      'ha/install.yaml': svc('server', 80),
      'twice.yaml': `${svc('x', 80)}---\n${svc('x', 81)}`,
    });
    const p = await loadProject([dir], defaultConfig());
    const dups = p.fileIds().flatMap(f => p.diagnostics(f).filter(d => d.code === 'object-duplicate'));
    assert.deepEqual(
      dups.map(d => [path.relative(dir, d.fileId), d.range.start.line]),
      [
        ['twice.yaml', 3],
        ['twice.yaml', 13],
      ],
    );
  });

  it('removing one definition clears the finding on the other (incremental)', async () => {
    const dir = tree({ 'app/a.yaml': svc('api', 80), 'app/b.yaml': svc('api', 80) });
    const { config } = parseConfigText('units: ["app"]\n');
    const p = await loadProject([dir], config);
    const a = path.join(dir, 'app/a.yaml');
    assert.equal(p.diagnostics(a).filter(d => d.code === 'object-duplicate').length, 1);
    p.setFile(path.join(dir, 'app/b.yaml'), svc('other', 80));
    const changed = p.analyze();
    assert.ok(changed.has(a));
    assert.deepEqual(
      p.diagnostics(a).filter(d => d.code === 'object-duplicate'),
      [],
    );
  });
});

const demo = sharedSuite('corpus/good/gcp-microservices-demo');
describe(
  'microservices demo: kubernetes-manifests/ and release/ are different units',
  { skip: demo.skip || noKustomize },
  () => {
    it('each KUBE-SERVICES rule is printed once per unit, not twice', async () => {
      const p = await loadProject(
        [demo.dir],
        defaultConfig(),
        new Renderers({ trusted: true, kustomizePath: KUSTOMIZE?.path }),
      );
      assert.deepEqual(
        p.units().map(u => [u.name, u.kind, u.state]),
        [
          ['kubernetes-manifests', 'kustomize', 'rendered'],
          ['plain', 'plain', 'plain'],
        ],
      );
      for (const u of p.units()) {
        const ws = u.ws;
        const text = renderRules(nodeProxy(ws, proxySettings(ws)), 'iptables', 'restore');
        const rules = text.split('\n').filter(l => l.startsWith('-A KUBE-SERVICES') && l.includes('cluster IP'));
        assert.ok(rules.length > 5, `${u.name}: ${rules.length} Services`);
        assert.equal(new Set(rules).size, rules.length, `${u.name}: no KUBE-SERVICES rule twice`);
      }
      assert.deepEqual(
        p.fileIds().flatMap(f => p.diagnostics(f).filter(d => d.code === 'object-duplicate')),
        [],
      );
    });
  },
);
