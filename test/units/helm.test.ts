import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultConfig, loadProject, parseConfigText } from '../../server/src/engine';
import { Renderers } from '../../server/src/engine/render/service';
import { HELM, noHelm, tree } from './support';

const CHART = path.resolve(__dirname, '../fixtures/units/chart');
const renderer = () => new Renderers({ trusted: true, helmPath: HELM?.path });
const lineOf = (file: string, needle: string) =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .findIndex(l => l.includes(needle));

describe('Helm units rendered with the real tool', { skip: noHelm }, () => {
  it('values.yaml sets service.targetPort: web, the port is named http: finding on the template line, related to the values key', async () => {
    const p = await loadProject([CHART], defaultConfig(), renderer());
    assert.equal(p.unit('web')?.state, 'rendered');
    const all = p.fileIds().flatMap(f => p.diagnostics(f));
    assert.deepEqual(
      all.map(d => [path.relative(CHART, d.fileId), d.code]),
      [['web/templates/service.yaml', 'service-target-port-unresolved']],
      'no template-skipped notes once the chart is rendered',
    );
    const [d] = all;
    const svc = path.join(CHART, 'web/templates/service.yaml');
    const line = lineOf(svc, 'targetPort:');
    assert.equal(d.range.start.line, line);
    assert.equal(d.range.start.character, 18);
    assert.match(d.message, /"web".*Deployment default\/release-name-web.*Did you mean "http"/);
    const values = path.join(CHART, 'web/values.yaml');
    const rel = d.related.find(r => r.fileId === values);
    assert.ok(rel, JSON.stringify(d.related));
    assert.equal(rel.range.start.line, lineOf(values, 'targetPort: web'));
    assert.match(rel.message, /\.Values\.service\.targetPort/);
    assert.deepEqual(d.fixes, [], 'a template expression is not rewritten by a quick fix');
  });

  it('a template error is a diagnostic on the file and line helm names', async () => {
    const dir = tree({
      'c/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n',
      'c/values.yaml': 'a: 1\n',
      'c/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.missing.deep }}\n',
    });
    const p = await loadProject([dir], defaultConfig(), renderer());
    // The chart falls back to plain analysis (its templates are skipped), with the error on top.
    const d = p.diagnostics(path.join(dir, 'c/templates/cm.yaml')).find(x => x.code === 'render-failed')!;
    assert.ok(d);
    assert.equal(p.unit('c')!.state, 'failed');
    assert.equal(d.range.start.line, 3);
    assert.match(d.message, /nil pointer/);
  });

  it('one unit per values set; a finding of one set says which; vendored subcharts render with the parent', async () => {
    const svc = (port: string) =>
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-api\nspec:\n  selector:\n    app: api\n  ports:\n    - port: 80\n      targetPort: ${port}\n`;
    const dir = tree({
      'api/Chart.yaml': 'apiVersion: v2\nname: api\nversion: 0.1.0\n',
      'api/values.yaml': 'port: http\n',
      'api/values-prod.yaml': 'port: htp\n',
      'api/templates/svc.yaml': svc('{{ .Values.port }}'),
      'api/charts/backend/Chart.yaml': 'apiVersion: v2\nname: backend\nversion: 0.1.0\n',
      'api/charts/backend/templates/deploy.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: backend\nspec:\n  selector:\n    matchLabels:\n      app: api\n  template:\n    metadata:\n      labels:\n        app: api\n    spec:\n      containers:\n        - name: api\n          image: x\n          ports:\n            - name: http\n              containerPort: 8080\n',
    });
    const { config } = parseConfigText(
      'helm:\n  valueSets:\n    api:\n      default: [values.yaml]\n      prod: [values.yaml, values-prod.yaml]\n',
    );
    const p = await loadProject([dir], config, renderer());
    assert.deepEqual(
      p.units().map(u => [u.name, u.state]),
      [
        ['api@default', 'rendered'],
        ['api@prod', 'rendered'],
        ['plain', 'plain'],
      ],
    );
    const deploy = path.join(dir, 'api/charts/backend/templates/deploy.yaml');
    assert.equal(p.unit('api@default')!.ws.file(deploy)?.resources[0]?.kind, 'Deployment');
    const d = p.diagnostics(path.join(dir, 'api/templates/svc.yaml'));
    assert.deepEqual(
      d.map(x => x.code),
      ['service-target-port-unresolved'],
    );
    assert.match(d[0].message, /"htp".*\(in values set prod\)$/);
    assert.ok(d[0].related.some(r => r.fileId === path.join(dir, 'api/values-prod.yaml')));
  });

  it('without helm: plain analysis and one information note on Chart.yaml', async () => {
    const p = await loadProject(
      [CHART],
      defaultConfig(),
      new Renderers({ trusted: true, helmPath: '/nonexistent/helm' }),
    );
    const d = p.diagnostics(path.join(CHART, 'web/Chart.yaml'));
    assert.deepEqual(
      d.map(x => [x.code, x.severity]),
      [['render-unavailable', 'information']],
    );
    assert.match(d[0].message, /kubeNetlint\.helm\.path/);
  });
});
