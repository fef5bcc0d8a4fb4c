import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEditorSettings } from '../../server/src/lsp/settings';
import { parseConfigText } from '../../server/src/engine';

test('VS Code settings left empty do not override the workspace file', () => {
  const { config } = parseConfigText('defaultNamespace: shop\nplan:\n  podCIDR: 10.42.0.0/16\nproxy:\n  mode: ipvs\n');
  const problems: { message: string }[] = [];
  const merged = applyEditorSettings(
    config,
    {
      defaultNamespace: '',
      rules: {},
      exclude: [],
      plan: { podCIDR: '', serviceCIDR: '', nodeNetworks: [], nodeCidrMaskSize: null },
      proxy: { mode: 'nftables', nodeName: '' },
    },
    problems,
  );
  assert.deepEqual(problems, []);
  assert.equal(merged.defaultNamespace, 'shop');
  assert.deepEqual({ ...(merged.extra.plan as object) }, { podCIDR: '10.42.0.0/16' });
  // A setting that is set wins over the file, key by key.
  assert.deepEqual({ ...(merged.extra.proxy as object) }, { mode: 'nftables' });
});

test('rule severities from settings override the file', () => {
  const { config } = parseConfigText('rules:\n  pod-port-conflict: warning\n  probe-port-undefined: off\n');
  const merged = applyEditorSettings(config, { rules: { 'pod-port-conflict': 'error' } }, []);
  assert.deepEqual({ ...merged.rules }, { 'pod-port-conflict': 'error', 'probe-port-undefined': 'off' });
});
