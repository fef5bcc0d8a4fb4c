import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import '../../server/src/engine/features';
import { hoverAt } from '../../server/src/engine/hover';
import type { HoverLink } from '../../server/src/engine/hover';
import type { ProxyMode } from '../../server/src/engine/netfilter';
import { proxyRulesFor } from '../../server/src/lsp/requests/proxyRules';
import { codeLensesFor } from '../../server/src/engine/codelens';
import { loadConfig, loadWorkspace } from '../../server/src/engine';
import { workspace } from './helpers';

const dir = path.resolve(__dirname, '../fixtures/netfilter/overall');
const servicesFile = path.join(dir, 'services.yaml');
const servicesText = fs.readFileSync(servicesFile, 'utf8');

function overall(extraProxy: Record<string, unknown> = {}) {
  const { config } = loadConfig([dir]);
  const proxy = { ...(config.extra.proxy as object), ...extraProxy };
  return loadWorkspace([dir], { ...config, extra: { ...config.extra, proxy } });
}

const at = (text: string, needle: string, nth = 0) => {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  assert.ok(i >= 0, `no ${needle}`);
  return i + 1;
};

/** The hover up to its first rule: what shows before any scrolling. */
const summaryOf = (md: string) => md.split('\n\n---\n\n')[0];

/** What "Show kube-proxy rules" shows for a Service (the rules view and its server command). */
const rulesView = (ws: ReturnType<typeof overall>, service: string, mode?: ProxyMode) => {
  const r = proxyRulesFor(ws, { service, mode });
  assert.ok(!('error' in r), JSON.stringify(r));
  return r.text;
};

test('hover on a Service name tells the packet story and the DNS names; its rules are in the rules view', () => {
  const ws = overall();
  const h = hoverAt(ws, servicesFile, at(servicesText, 'name: svc4') + 6);
  assert.ok(h, 'a hover');
  const md = h.markdown;
  assert.match(md, /A packet to `172\.30\.0\.44:80`\/TCP from any pod or node/);
  assert.match(md, /one of 2 endpoints, 1\/2 each/);
  assert.match(md, /externalIP `192\.168\.99\.33:80`/);
  assert.match(md, /A `svc4\.ns4\.svc\.cluster\.local` → `172\.30\.0\.44`/);
  assert.match(md, /SRV `_p80\._tcp\.svc4\.ns4\.svc\.cluster\.local` → `0 100 80 svc4\.ns4\.svc\.cluster\.local`/);
  assert.match(md, /Endpoints are real: read from EndpointSlice svc4-abcde/);
  assert.ok(!md.includes('```'), 'no rule listing in the hover');
  assert.ok(
    rulesView(ws, 'ns4/svc4').includes(
      '-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.4:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-UKSFD7AGPMPPLUHC',
    ),
  );
  // The hover covers the hovered value.
  assert.equal(h.range?.start.line, servicesText.slice(0, at(servicesText, 'name: svc4')).split('\n').length - 1);
});

test('issue 11.6: the Service hover starts with a summary of at most 12 lines linking to the rules view and the path preview', () => {
  const ws = overall();
  const commandLink = (l: HoverLink) => `[${l.title}](command:${l.command}?${JSON.stringify(l.arguments)})`;
  const md = hoverAt(ws, servicesFile, at(servicesText, 'name: svc4') + 6, { commandLink })!.markdown;
  const summary = summaryOf(md);
  assert.ok(summary.split('\n').length <= 12, summary);
  assert.match(summary, /^### Service `ns4\/svc4`/);
  assert.match(
    summary,
    /`p80` 80\/TCP → targetPort `80`.*: 2 endpoints \(from EndpointSlice\) through `KUBE-SVC-4SW47YFZTEDKD3PK`/,
  );
  assert.match(summary, /DNS: A `svc4\.ns4\.svc\.cluster\.local`/);
  assert.ok(summary.includes('[Show kube-proxy rules](command:kubeNetlint.showProxyRules?[{"service":"ns4/svc4"}])'));
  assert.ok(summary.includes('[Preview traffic path](command:kubeNetlint.previewTrafficPath?[{"from":'), summary);
  // The packet story follows the summary.
  assert.match(md.slice(summary.length), /A packet to `172\.30\.0\.44:80`/);

  // A client that cannot run the commands (the CLI, Neovim) is told where the rest is.
  const plain = summaryOf(hoverAt(ws, servicesFile, at(servicesText, 'name: svc4') + 6)!.markdown);
  assert.ok(!plain.includes('command:'));
  assert.match(plain, /"Show kube-proxy rules" code lens or `kube-netlint iptables --service ns4\/svc4`/);
  assert.match(plain, /"Preview traffic path" code lens or `kube-netlint trace --from nodeport:ns4\/svc4:80`/);
});

test('the summary stays within 12 lines for a Service with many ports', () => {
  const ports = Array.from({ length: 10 }, (_, i) => `    - name: p${i}\n      port: ${8000 + i}\n`).join('');
  const text = `apiVersion: v1\nkind: Service\nmetadata:\n  name: many\n  namespace: shop\nspec:\n  ports:\n${ports}`;
  const ws = workspace({ 'many.yaml': text }, {});
  const commandLink = (l: HoverLink) => `[${l.title}](command:${l.command})`;
  const summary = summaryOf(hoverAt(ws, 'many.yaml', at(text, 'name: many') + 6, { commandLink })!.markdown);
  assert.ok(summary.split('\n').length <= 12, summary);
  assert.match(summary, /… 4 more ports below/);
  assert.match(summary, /\[Show kube-proxy rules\]/);
});

test('hover respects the proxy mode setting', () => {
  const nftWs = overall({ mode: 'nftables' });
  const nft = hoverAt(nftWs, servicesFile, at(servicesText, 'name: svc4') + 6)!.markdown;
  assert.match(nft, /nftables mode/);
  assert.ok(nft.includes('service-LAUZTJTB-ns4/svc4/tcp/p80'));
  assert.ok(!nft.includes('KUBE-SVC-'));
  const ipvsWs = overall({ mode: 'ipvs' });
  const ipvs = hoverAt(ipvsWs, servicesFile, at(servicesText, 'name: svc4') + 6)!.markdown;
  assert.match(ipvs, /kube-ipvs0/);
  assert.ok(rulesView(ipvsWs, 'ns4/svc4').includes('TCP  172.30.0.44:80 rr'));
});

test('hover on a port shows that port; on the type shows the NodePort path', () => {
  const ws = overall();
  const h = hoverAt(ws, servicesFile, at(servicesText, 'nodePort: 3003') + 2)!.markdown;
  assert.match(h, /nodePort `3003`/);
  assert.match(h, /nodePort `3003` on every node address \(`KUBE-NODEPORTS`/);
  assert.ok(
    rulesView(ws, 'ns3/svc3').includes(
      '-A KUBE-NODEPORTS -m comment --comment ns3/svc3:p80 -m tcp -p tcp --dport 3003 -j KUBE-EXT-X27LE4BHSL4DOUIK',
    ),
  );
  assert.ok(!h.includes('svc4'));
});

test('hover on metadata.namespace or a comment says nothing', () => {
  const ws = overall();
  assert.equal(hoverAt(ws, servicesFile, at(servicesText, 'namespace: ns3') + 12), undefined);
  assert.equal(hoverAt(ws, servicesFile, 2), undefined);
});

const svcText = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
    tier: front
  ports:
    - name: http
      port: 80
      targetPort: http
---
apiVersion: v1
kind: Service
metadata:
  name: metrics
  namespace: shop
spec:
  selector:
    app: web
  ports:
    - port: 9100
`;
const depText = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
        tier: front
    spec:
      containers:
        - name: app
          image: nginx
          ports:
            - name: http
              containerPort: 8080
            - name: metrics
              containerPort: 9100
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
  namespace: shop
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: w
          image: busybox
`;

test('hover on a synthesised-endpoint Service says the endpoints are illustrative', () => {
  const ws = workspace({ 'svc.yaml': svcText, 'dep.yaml': depText }, {});
  const md = hoverAt(ws, 'svc.yaml', at(svcText, 'name: web') + 6)!.markdown;
  assert.match(md, /Endpoints are illustrative/);
  assert.match(md, /one of 2 endpoints, 1\/2 each/);
  assert.match(md, /illustrative \(Deployment web, pod web-0\)/);
  assert.match(md, /ClusterIP [0-9.]+ is illustrative/);
});

test('hover on a containerPort lists the Services and ports that reach it', () => {
  const ws = workspace({ 'svc.yaml': svcText, 'dep.yaml': depText }, {});
  const http = hoverAt(ws, 'dep.yaml', at(depText, '8080'))!.markdown;
  assert.match(http, /Container port `http` 8080\/TCP/);
  assert.match(http, /Service shop\/web.*port `http` 80\/TCP, targetPort `http`/);
  assert.ok(!http.includes('shop/metrics'));
  const metrics = hoverAt(ws, 'dep.yaml', at(depText, '9100'))!.markdown;
  assert.match(metrics, /Service shop\/metrics.*targetPort `9100`/);
  assert.ok(!metrics.includes('shop/web'));
});

test('hover on a selector entry lists the templates the selector matches and near misses', () => {
  const ws = workspace({ 'svc.yaml': svcText, 'dep.yaml': depText }, {});
  const md = hoverAt(ws, 'svc.yaml', at(svcText, 'tier: front') + 1)!.markdown;
  assert.match(md, /Selector `tier=front`/);
  assert.match(md, /matches 1 pod template:\n\n- Deployment web — 2 replicas/);
  const onApp = hoverAt(ws, 'svc.yaml', at(svcText, 'app: web') + 1)!.markdown;
  assert.match(onApp, /This entry alone also matches[\s\S]*Deployment worker/);
  const workloadSel = hoverAt(ws, 'dep.yaml', at(depText, 'app: web') + 1)!.markdown;
  assert.match(workloadSel, /Deployment web/);
});

test('a code lens offers the rules view on every Service kube-proxy programs', () => {
  const ws = workspace(
    {
      'svc.yaml':
        svcText +
        '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: db\n  namespace: shop\nspec:\n  clusterIP: None\n',
    },
    {},
  );
  const lenses = codeLensesFor(ws, 'svc.yaml').filter(l => l.command === 'kubeNetlint.showProxyRules');
  assert.deepEqual(
    lenses.map(l => l.arguments),
    [[{ service: 'shop/web' }], [{ service: 'shop/metrics' }]],
  );
  assert.equal(lenses[0].range.start.line, 1);
});
