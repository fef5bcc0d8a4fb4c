import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, modelOf, namespace, wl } from './support';

const apps = {
  'ns.yaml': [namespace('front', { tier: 'front' }), namespace('back', { tier: 'back' })].join('---\n'),
  'web.yaml': deployment('front', 'web', { app: 'web' }),
  'api.yaml': deployment('back', 'api', { app: 'api' }, ['http:8080', 'dns:53/UDP']),
};

function anp(name: string, priority: number, ingress: string): string {
  return `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: ${name}}
spec:
  priority: ${priority}
  subject: {namespaces: {matchLabels: {tier: back}}}
  ingress:
${ingress}`;
}

const denyFront = `  - name: deny-front
    action: Deny
    from: [{namespaces: {matchLabels: {tier: front}}}]
`;
const allowFront = `  - name: allow-front
    action: Allow
    from: [{namespaces: {matchLabels: {tier: front}}}]
    ports: [{portNumber: {protocol: TCP, port: 8080}}]
`;
const passFront = `  - name: pass-front
    action: Pass
    from: [{namespaces: {matchLabels: {tier: front}}}]
`;
const npAllow443 = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: only-443, namespace: back}
spec:
  podSelector: {}
  ingress: [{ports: [{port: 443}]}]
`;
const banpDeny = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec:
  subject: {namespaces: {}}
  ingress:
  - {name: deny-all, action: Deny, from: [{namespaces: {}}]}
`;

function webToApi(files: Record<string, string>): string {
  const m = modelOf({ ...apps, ...files });
  return m.allowed(wl(m, 'front/web[Deployment]'), wl(m, 'back/api[Deployment]')).toString();
}

describe('connectivity: AdminNetworkPolicy and BaselineAdminNetworkPolicy', () => {
  it('the lower priority number wins; within a policy the first matching rule', () => {
    assert.equal(webToApi({ 'a.yaml': anp('a', 10, allowFront), 'b.yaml': anp('b', 20, denyFront) }), 'TCP 8080');
    assert.equal(webToApi({ 'a.yaml': anp('a', 30, allowFront), 'b.yaml': anp('b', 20, denyFront) }), 'No Connections');
    assert.equal(webToApi({ 'a.yaml': anp('a', 10, allowFront + denyFront) }), 'TCP 8080');
  });

  it('admin Allow overrides a NetworkPolicy that would deny; Deny overrides one that would allow', () => {
    assert.equal(webToApi({ 'a.yaml': anp('a', 10, allowFront + denyFront), 'np.yaml': npAllow443 }), 'TCP 8080');
    assert.equal(webToApi({ 'a.yaml': anp('a', 10, denyFront), 'np.yaml': npAllow443 }), 'No Connections');
  });

  it('Pass hands the decision to NetworkPolicies, or to the baseline when none isolates the pod', () => {
    assert.equal(
      webToApi({ 'a.yaml': anp('a', 10, passFront), 'b.yaml': anp('b', 20, denyFront), 'np.yaml': npAllow443 }),
      'TCP 443',
    );
    assert.equal(webToApi({ 'a.yaml': anp('a', 10, passFront), 'banp.yaml': banpDeny }), 'No Connections');
    assert.equal(webToApi({ 'a.yaml': anp('a', 10, passFront) }), 'All Connections');
  });

  it('the baseline only applies where no NetworkPolicy isolates the pod', () => {
    assert.equal(webToApi({ 'banp.yaml': banpDeny }), 'No Connections');
    assert.equal(webToApi({ 'banp.yaml': banpDeny, 'np.yaml': npAllow443 }), 'TCP 443');
  });

  it('named ports take the protocol of the destination pod port; port ranges', () => {
    const rules = `  - name: named
    action: Allow
    from: [{namespaces: {matchLabels: {tier: front}}}]
    ports: [{namedPort: dns}, {portRange: {protocol: TCP, start: 9000, end: 9100}}]
${denyFront}`;
    assert.equal(webToApi({ 'a.yaml': anp('a', 10, rules) }), 'TCP 9000-9100,UDP 53');
  });

  it('egress networks select addresses outside the cluster and split the destinations', () => {
    const m = modelOf({
      ...apps,
      'e.yaml': `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: egress}
spec:
  priority: 5
  subject: {pods: {namespaceSelector: {matchLabels: {tier: front}}, podSelector: {matchLabels: {app: web}}}}
  egress:
  - {name: deny-meta, action: Deny, to: [{networks: [169.254.169.254/32]}]}
`,
    });
    const web = wl(m, 'front/web[Deployment]');
    assert.equal(m.allowed(web, { kind: 'address', ip: '169.254.169.254' }).toString(), 'No Connections');
    assert.equal(m.allowed(web, { kind: 'address', ip: '169.254.169.253' }).toString(), 'All Connections');
    assert.ok(m.externalDestinations.some(r => r.id === '169.254.169.254-169.254.169.254[External]'));
    const e = m.explain(web, { kind: 'address', ip: '169.254.169.254' });
    assert.equal(e.egress.decisions[0].rule!.name, 'deny-meta');
    assert.equal(e.egress.decisions[0].tier, 'admin');
  });

  it('warns when two admin policies share a priority', () => {
    const m = modelOf({ ...apps, 'a.yaml': anp('a', 10, allowFront), 'b.yaml': anp('b', 10, denyFront) });
    assert.ok(
      m.warnings.some(w => w.includes('share priority 10')),
      m.warnings.join('\n'),
    );
  });
});
