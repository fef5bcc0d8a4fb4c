import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { defaultConfig, loadProject, parseConfigText } from '../../server/src/engine';
import { nodeProxy, proxySettings, renderRules, workspaceServices } from '../../server/src/engine/netfilter';
import { Renderers } from '../../server/src/engine/render/service';
import { listEntries, tracePath } from '../../server/src/engine/path';
import { sharedSuite } from '../support/shared';
import { HELM, KUSTOMIZE, noHelm, noKustomize, tree } from './support';

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

  it('among plain files, a copy in another file is information on both definitions, each related to the other', async () => {
    const dir = tree({
      'kubernetes-manifests/web.yaml': `${svc('web', 80)}---\n${dep('web')}`,
      'release/all.yaml': `${svc('web', 80)}---\n${dep('web')}`,
    });
    const p = await loadProject([dir], defaultConfig());
    const dups = p.fileIds().flatMap(f => p.diagnostics(f).filter(d => d.code === 'object-duplicate'));
    assert.deepEqual(
      dups.map(d => [path.relative(dir, d.fileId), d.range.start.line, d.severity]),
      [
        ['kubernetes-manifests/web.yaml', 3, 'information'],
        ['kubernetes-manifests/web.yaml', 13, 'information'],
        ['release/all.yaml', 3, 'information'],
        ['release/all.yaml', 13, 'information'],
      ],
    );
    const [first, , third] = dups;
    assert.deepEqual(
      first.related.map(r => [path.relative(dir, r.fileId), r.range.start.line]),
      [['release/all.yaml', 3]],
    );
    assert.deepEqual(
      third.related.map(r => [path.relative(dir, r.fileId), r.range.start.line]),
      [['kubernetes-manifests/web.yaml', 3]],
    );
    assert.match(
      first.message,
      /Service default\/web is defined 2 times in this unit, in different files; it counts once/,
    );
    assert.match(first.message, /alternative installs.*`units:` in \.kube-netlint\.yaml/);
  });

  it('among plain files, a repeat inside one file is a warning, whatever other files hold', async () => {
    const dir = tree({
      'twice.yaml': `${svc('x', 80)}---\n${svc('x', 81)}`,
      'copy/x.yaml': svc('x', 80),
    });
    const p = await loadProject([dir], defaultConfig());
    const dups = p.fileIds().flatMap(f => p.diagnostics(f).filter(d => d.code === 'object-duplicate'));
    assert.deepEqual(
      dups.map(d => [path.relative(dir, d.fileId), d.range.start.line, d.severity]),
      [
        ['copy/x.yaml', 3, 'information'],
        ['twice.yaml', 3, 'warning'],
        ['twice.yaml', 13, 'warning'],
      ],
    );
    const inTwice = dups[1];
    assert.equal(
      path.relative(dir, inTwice.related[0].fileId),
      'twice.yaml',
      'the repeat in the same file comes first',
    );
    assert.equal(inTwice.related.length, 2);
    assert.match(inTwice.message, /defined 3 times in this unit; applied together, the last definition replaces/);
  });

  it('a cluster-scoped object written once with a stray namespace and once without is one object, twice', async () => {
    const ns = (extra: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n${extra}`;
    const anp = (extra: string) =>
      `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata:\n  name: guard\n${extra}` +
      'spec:\n  priority: 10\n  subject:\n    namespaces: {}\n  ingress: []\n';
    const dir = tree({
      'all.yaml': [ns(''), ns('  namespace: default\n'), anp(''), anp('  namespace: shop\n')].join('---\n'),
    });
    const p = await loadProject([dir], defaultConfig());
    const dups = p.diagnostics(path.join(dir, 'all.yaml')).filter(d => d.code === 'object-duplicate');
    assert.deepEqual(
      dups.map(d => [d.range.start.line, d.severity]),
      [
        [3, 'warning'],
        [8, 'warning'],
        [14, 'warning'],
        [24, 'warning'],
      ],
    );
    assert.match(dups[0].message, /^Namespace shop /);
    assert.match(dups[2].message, /^AdminNetworkPolicy guard /);
  });

  it('a cluster-scoped object is named without the namespace it never had', async () => {
    const sc = 'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: fast\nprovisioner: x\n';
    const dir = tree({ 'gce/sc.yaml': sc, 'aws/sc.yaml': sc });
    const p = await loadProject([dir], defaultConfig());
    const [d] = p.diagnostics(path.join(dir, 'gce/sc.yaml')).filter(x => x.code === 'object-duplicate');
    assert.match(d.message, /^StorageClass fast is defined 2 times in this unit/);
    assert.equal(d.related[0].message, 'another definition of StorageClass fast');
  });

  it('a plain-file copy counts once: kube-proxy rules, the trace, the Service and entry pickers', async () => {
    const nodePortSvc = svc('web', 80).replace('spec:\n', 'spec:\n  type: NodePort\n');
    const dir = tree({
      'kubernetes-manifests/web.yaml': `${nodePortSvc}---\n${dep('web')}`,
      'release/all.yaml': `${nodePortSvc}---\n${dep('web')}`,
    });
    const p = await loadProject([dir], defaultConfig());
    const ws = p.unit('plain')!.ws;
    assert.equal(
      p.unit('plain')!.distinctObjectCount(),
      2,
      'kube-netlint units counts the Service and the Deployment once',
    );
    assert.deepEqual(
      workspaceServices(ws).map(s => s.resource.name),
      ['web'],
    );
    const text = renderRules(nodeProxy(ws, proxySettings(ws)), 'iptables', 'restore');
    assert.equal(text.split('\n').filter(l => l.startsWith('-A KUBE-SERVICES') && l.includes('cluster IP')).length, 1);
    const { entries, destinations } = listEntries(ws);
    assert.deepEqual(
      entries.filter(e => e.kind === 'nodeport').map(e => e.description),
      ['Service default/web port 80'],
    );
    assert.deepEqual(
      destinations.map(e => e.value),
      ['web.default:80'],
    );
    const model = tracePath(ws, { from: 'pod:default/web', to: 'web.default:80' });
    assert.ok(
      model.hops.some(h => /: 1 endpoint$/.test(h.title)),
      model.hops.map(h => h.title).join('\n'),
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

describe('object-duplicate in rendered units', () => {
  it(
    'Helm: two templates that render the same Service are a warning on both template lines, each related to the other',
    {
      skip: noHelm,
    },
    async () => {
      const dir = tree({
        'c/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n',
        'c/values.yaml': 'a: 1\n',
        'c/templates/a.yaml': `${svc('api', 80)}---\n${dep('api')}`,
        'c/templates/b.yaml': svc('api', 8080),
      });
      const p = await loadProject([dir], defaultConfig(), new Renderers({ trusted: true, helmPath: HELM?.path }));
      assert.equal(p.unit('c')!.state, 'rendered');
      const dups = p.fileIds().flatMap(f => p.diagnostics(f).filter(d => d.code === 'object-duplicate'));
      assert.deepEqual(
        dups.map(d => [
          path.relative(dir, d.fileId),
          d.range.start.line,
          d.severity,
          path.relative(dir, d.related[0].fileId),
        ]),
        [
          ['c/templates/a.yaml', 3, 'warning', 'c/templates/b.yaml'],
          ['c/templates/b.yaml', 3, 'warning', 'c/templates/a.yaml'],
        ],
      );
      assert.equal(workspaceServices(p.unit('c')!.ws).length, 1, 'kube-proxy programs the Service once');
    },
  );

  it(
    'Kustomize refuses the same object twice: the render error on the kustomization, both copies warned',
    {
      skip: noKustomize,
    },
    async () => {
      const dir = tree({
        'app/kustomization.yaml': 'resources: [a.yaml, b.yaml]\n',
        'app/a.yaml': `${svc('api', 80)}---\n${dep('api')}`,
        'app/b.yaml': svc('api', 8080),
      });
      const p = await loadProject(
        [dir],
        defaultConfig(),
        new Renderers({ trusted: true, kustomizePath: KUSTOMIZE?.path }),
      );
      assert.equal(p.unit('app')!.state, 'failed');
      const [note] = p.diagnostics(path.join(dir, 'app/kustomization.yaml'));
      assert.equal(note.code, 'render-failed');
      assert.match(note.message, /already registered id/);
      for (const f of ['app/a.yaml', 'app/b.yaml'])
        assert.deepEqual(
          p
            .diagnostics(path.join(dir, f))
            .filter(d => d.code === 'object-duplicate')
            .map(d => d.severity),
          ['warning'],
          f,
        );
    },
  );
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
      // loadgenerator.yaml is not in the kustomization, so it stays a plain file beside the release
      // bundle: the copy is reported, as information (two alternative installs of one working app).
      assert.deepEqual(
        p
          .fileIds()
          .flatMap(f => p.diagnostics(f).filter(d => d.code === 'object-duplicate'))
          .map(d => [path.relative(demo.dir, d.fileId), d.severity, path.relative(demo.dir, d.related[0].fileId)]),
        [
          ['kubernetes-manifests/loadgenerator.yaml', 'information', 'release/kubernetes-manifests.yaml'],
          ['kubernetes-manifests/loadgenerator.yaml', 'information', 'release/kubernetes-manifests.yaml'],
          ['release/kubernetes-manifests.yaml', 'information', 'kubernetes-manifests/loadgenerator.yaml'],
          ['release/kubernetes-manifests.yaml', 'information', 'kubernetes-manifests/loadgenerator.yaml'],
        ],
      );
    });
  },
);
