import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { Workspace, defaultAnalyzers, defaultConfig, mergeConfig } from '../../server/src/engine';
import { parseCidr, Cidr, overlaps } from '../../server/src/engine/plan/cidr';
import { overlappingPairs } from '../../server/src/engine/plan/overlapIndex';
import { cidrOverlap, cidrOverlapWith } from '../../server/src/engine/plan/rules/cidrOverlap';
import { getPlanAnalysis } from '../../server/src/engine/plan';
import { comparable } from '../../server/src/engine/plan/build';
import type { PlanFinding, PlanRule } from '../../server/src/engine/plan/rules/rule';
import { load, PLAN_FIXTURES, CNI_CORPUS } from '../plan/support';
import { sharedSuite } from '../support/shared';

/**
 * Issue 10 item 9: work that grew with the square of the input. The suppression-comment pattern
 * backtracked over long runs of spaces, and the CIDR overlap rule compared all pairs of ranges.
 * These tests prove the behaviour is unchanged and the work linear or n log n, by counting steps
 * or by running sizes that would take hours if quadratic (no wall-clock assertion).
 */

const LONELY = (above: string) => `apiVersion: v1
kind: Service
metadata:
  name: lonely
spec:
${above}
  selector:
    app: nobody
  ports:
    - port: 80
`;

function codes(text: string): string[] {
  const ws = new Workspace();
  ws.setFile('a.yaml', text);
  ws.analyze();
  return ws.diagnostics('a.yaml').map(d => d.code);
}

describe('suppression comments', () => {
  // 2,000,000 spaces: the old pattern needed ~10^12 steps here (111 s for 200,000).
  const spaces = ' '.repeat(2_000_000);

  test('a directive followed by two million spaces and a reason is read in linear time', { timeout: 120_000 }, () => {
    assert.deepEqual(codes(LONELY(`  # kube-netlint-disable-next-line other-rule${spaces}x`)), [
      'service-selector-no-match',
    ]);
    assert.deepEqual(codes(LONELY(`  # kube-netlint-disable-next-line service-selector-no-match${spaces}-- why`)), []);
    assert.deepEqual(codes(LONELY(`  ${spaces}`)), ['service-selector-no-match']);
    assert.deepEqual(codes(LONELY(`  #${spaces}#${spaces}x`)), ['service-selector-no-match']);
  });

  test('directives in a comment block still combine, with reasons after --', () => {
    const block = [
      '  # kube-netlint-disable-next-line other -- not this one',
      '  # an explanation',
      '  # kube-netlint-disable-next-line service-selector-no-match,another -- the operator adds the pods',
    ].join('\n');
    assert.deepEqual(codes(LONELY(block)), []);
    assert.deepEqual(codes(LONELY('  # kube-netlint-disable-next-line other -- service-selector-no-match')), [
      'service-selector-no-match',
    ]);
  });

  test('thousands of findings under one 100,000-line comment block read the block once', { timeout: 120_000 }, () => {
    // One flow list with 3,000 invalid ports on one line, under a huge comment block: the old
    // walk re-read the block for every finding (3·10^8 line reads).
    const comments = Array.from({ length: 100_000 }, () => '  # note').join('\n');
    const ports = Array.from({ length: 3000 }, (_, i) => `{port: ${70000 + i}}`).join(', ');
    const text = `apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  clusterIP: None\n${comments}\n  ports: [${ports}]\n`;
    const c = codes(text);
    assert.equal(c.filter(x => x === 'port-value-invalid').length, 3000);
  });
});

/** All pairs, as the rule used to find them. */
const bruteForce = (cidrs: readonly Cidr[]): number[][] =>
  cidrs.map((a, i) => cidrs.flatMap((b, j) => (i !== j && overlaps(a, b) ? [j] : [])));

const cidrArb = fc.oneof(
  fc
    .tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 6, max: 32 }))
    .map(([a, b, p]) => parseCidr(`10.${a}.${b}.0/${p}`)!),
  fc
    .tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 100, max: 128 }))
    .map(([a, p]) => parseCidr(`fd00:${a}::/${p}`)!),
);

describe('CIDR overlap', () => {
  test('sort and sweep finds exactly the pairs all-pairs finds, in the same order', () => {
    fc.assert(
      fc.property(fc.array(cidrArb, { maxLength: 60 }), cidrs => {
        assert.deepEqual(overlappingPairs(cidrs), bruteForce(cidrs));
      }),
      { numRuns: 500, seed: 9 },
    );
  });

  test('40,000 disjoint ranges: n log n steps, not n²/2', () => {
    const n = 40_000;
    const cidrs = Array.from({ length: n }, (_, i) => parseCidr(`10.${(i >> 8) & 255}.${i & 255}.0/24`)!).reverse();
    const stats = { steps: 0 };
    const pairs = overlappingPairs(cidrs, stats);
    assert.ok(pairs.every(p => p.length === 0));
    // Sorting costs about n·log2(n) ≈ 612,000 comparisons and the sweep n; all pairs was 8·10^8.
    assert.ok(stats.steps < 3 * n * Math.log2(n), `${stats.steps} steps`);
  });

  /** The findings of the rule over every plan of `ws`, with one way of finding pairs. */
  function report(ws: Workspace, rule: PlanRule): PlanFinding[] {
    const { plan, contributions } = getPlanAnalysis(ws);
    const out: PlanFinding[] = [];
    rule.check({
      ws,
      plan,
      contributions,
      comparable: (a, b) => comparable(a, b, plan.scopes.length),
      report: f => out.push(f),
    });
    return out;
  }
  const reference = cidrOverlapWith(bruteForce);

  test('the same findings as all pairs on every plan fixture', () => {
    let dirs = 0,
      findings = 0;
    const walk = (dir: string) => {
      const entries = fs.readdirSync(dir, { withFileTypes: true });
      if (entries.some(e => e.isFile())) {
        const ws = load(dir);
        const now = report(ws, cidrOverlap);
        assert.deepEqual(now, report(ws, reference), dir);
        dirs++;
        findings += now.length;
      }
      for (const e of entries) if (e.isDirectory()) walk(path.join(dir, e.name));
    };
    walk(PLAN_FIXTURES);
    assert.ok(dirs > 20 && findings > 5, `${dirs} folders, ${findings} findings`);
  });

  const cni = sharedSuite('corpus/cni');
  test('the same findings as all pairs on the CNI corpus', { skip: cni.skip }, () => {
    const ws = load(CNI_CORPUS);
    assert.deepEqual(report(ws, cidrOverlap), report(ws, reference));
  });

  test('the same findings as all pairs on random address plans', () => {
    const net = fc.oneof(
      fc
        .tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 8, max: 24 }))
        .map(([a, p]) => `10.${a * 64}.0.0/${p}`),
      fc.tuple(fc.integer({ min: 16, max: 31 }), fc.integer({ min: 12, max: 24 })).map(([a, p]) => `172.${a}.0.0/${p}`),
      fc.constantFrom('192.168.0.0/16', '10.96.0.0/12', '10.244.0.0/16', 'fd00::/64', 'fd00::/48'),
    );
    fc.assert(
      fc.property(
        fc.record({
          pools: fc.array(net, { maxLength: 6 }),
          nodes: fc.array(net, { maxLength: 4 }),
          pod: net,
          svc: net,
          conflists: fc.array(fc.tuple(net, fc.constantFrom('cni0', 'br1')), { maxLength: 3 }),
        }),
        ({ pools, nodes, pod, svc, conflists }) => {
          const config = mergeConfig(defaultConfig(), { plan: { nodeNetworks: nodes } });
          const ws = new Workspace(config, defaultAnalyzers());
          ws.setFile(
            'daemon.json',
            JSON.stringify({ bip: '172.17.0.1/16', 'default-address-pools': pools.map(base => ({ base, size: 24 })) }),
          );
          ws.setFile(
            'kubeadm.yaml',
            `apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nnetworking:\n  podSubnet: ${pod}\n  serviceSubnet: ${svc}\n`,
          );
          conflists.forEach(([subnet, bridge], i) =>
            ws.setFile(
              `net.d/${i}-net.conflist`,
              JSON.stringify({
                cniVersion: '1.0.0',
                name: `n${i}`,
                plugins: [{ type: 'bridge', bridge, ipam: { type: 'host-local', ranges: [[{ subnet }]] } }],
              }),
            ),
          );
          ws.analyze();
          assert.deepEqual(report(ws, cidrOverlap), report(ws, reference));
        },
      ),
      { numRuns: 150, seed: 9 },
    );
  });

  test(
    'a workspace with 40,000 address pools is analysed (all pairs would be 8·10^8 checks)',
    { timeout: 300_000 },
    () => {
      const n = 40_000;
      const pools = Array.from({ length: n }, (_, i) => ({ base: `10.${(i >> 8) & 255}.${i & 255}.0/24`, size: 24 }));
      // One pool overlaps the node network: exactly one finding among 40,000 ranges.
      const config = mergeConfig(defaultConfig(), { plan: { nodeNetworks: ['10.3.7.0/24'] } });
      const ws = new Workspace(config, defaultAnalyzers());
      ws.setFile('daemon.json', JSON.stringify({ bip: '172.17.0.1/16', 'default-address-pools': pools }, null, 1));
      ws.analyze();
      const overlapsFound = ws.diagnostics('daemon.json').filter(d => d.code === 'cidr-overlap');
      assert.equal(overlapsFound.length, 1);
      assert.match(overlapsFound[0].message, /10\.3\.7\.0\/24/);
    },
  );
});
