import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PLAN_FIXTURES } from './support';
import { LspSession } from '../support/lsp';

const built = fs.existsSync(path.resolve(__dirname, '../../dist/server.js'));
const dir = path.join(PLAN_FIXTURES, 'cidr-invalid/trigger');
let s: LspSession | undefined;
before(async () => {
  if (built) s = await LspSession.start(dir);
});
after(async () => {
  await s?.stop();
});

test(
  'protocol: the host-bits quick fix edits exactly the CIDR inside the quotes',
  { skip: built ? false : 'run npm run build first' },
  async () => {
    const uri = s!.uri('kubeadm.yaml');
    const diags = await s!.diagnostics(uri, d => d.some(x => x.code === 'cidr-invalid'));
    const d = diags.find(x => x.code === 'cidr-invalid' && /host bits/.test(x.message))!;
    // `  podSubnet: "10.244.1.0/16"`: the range is the 13 characters between the quotes
    const line = fs.readFileSync(path.join(dir, 'kubeadm.yaml'), 'utf8').split('\n')[3];
    assert.equal(d.range.start.line, 3);
    assert.equal(line.slice(d.range.start.character, d.range.end.character), '10.244.1.0/16');
    assert.equal(line[d.range.start.character - 1], '"');
    assert.match(d.codeDescription!.href, /docs\/rules\/cidr-invalid\.md$/);
    const actions = await s!.request<
      { title: string; kind: string; edit?: { changes: Record<string, { newText: string; range: unknown }[]> } }[]
    >('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    const fix = actions.find(a => a.kind === 'quickfix' && /10\.244\.0\.0\/16/.test(a.title));
    assert.ok(fix, JSON.stringify(actions));
    assert.deepEqual(fix.edit!.changes[uri], [{ range: d.range, newText: '10.244.0.0/16' }]);
  },
);

test(
  'protocol: a CIDR overlap carries relatedInformation pointing at the other network',
  { skip: built ? false : 'run npm run build first' },
  async () => {
    const other = await LspSession.start(path.join(PLAN_FIXTURES, 'cidr-overlap/trigger'));
    try {
      const uri = other.uri('daemon.json');
      const diags = await other.diagnostics(uri, d => d.some(x => x.code === 'cidr-overlap'));
      const d = diags.find(x => x.code === 'cidr-overlap')!;
      assert.match(d.message, /^docker bridge 10\.244\.200\.0\/24 lies inside the pod network 10\.244\.0\.0\/16: /);
      assert.deepEqual(
        d.relatedInformation?.map(r => [r.location.uri, r.location.range.start.line]),
        [[other.uri('kubeadm.yaml'), 3]],
      );
    } finally {
      await other.stop();
    }
  },
);
