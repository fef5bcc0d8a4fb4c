import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Workspace } from '../../server/src/engine';
import { portTypo, slipBetween } from '../../server/src/engine/rules/support/portTypo';

const FIXTURES = path.resolve(__dirname, '../fixtures/rules');

describe('port typos (undeclared targetPort / probe port)', () => {
  it('recognises typing slips: swapped neighbours, a dropped digit, a doubled digit', () => {
    assert.equal(slipBetween(8008, 8080), 'transposed');
    assert.equal(slipBetween(9009, 9090), 'transposed');
    assert.equal(slipBetween(808, 8080), 'dropped');
    assert.equal(slipBetween(4443, 443), 'doubled');
    assert.equal(slipBetween(33306, 3306), 'doubled');
    assert.equal(slipBetween(8080, 8080), undefined);
  });

  it('does not call sibling ports typos (pairs measured on the shared corpus, all working apps)', () => {
    // One digit changed: deliberate neighbours (health 8081 next to 8080, kourier 8444/8443,
    // webhook 8443 vs 9443, Elasticsearch 9200/9300).
    for (const [n, d] of [
      [8081, 8080],
      [8444, 8443],
      [8443, 9443],
      [9200, 9300],
      [8090, 8080],
    ])
      assert.equal(portTypo(n, [d]), undefined, `${n} vs ${d}`);
    // A digit appended that is not a repeat: MySQL's X protocol and group replication.
    assert.equal(portTypo(33060, [3306]), undefined);
    assert.equal(portTypo(33061, [3306]), undefined);
  });

  it('does not call a commonly served port a typo, nor guess between two declared ports', () => {
    assert.equal(portTypo(443, [4443]), undefined, '443 is a port in its own right');
    assert.equal(portTypo(8080, [8008]), undefined);
    assert.equal(portTypo(808, [8080, 8088]), undefined, 'a slip of both 8080 and 8088 is ambiguous');
    assert.deepEqual(portTypo(8008, [8080, 9090]), { declared: 8080, kind: 'transposed' });
  });

  it('reports an undeclared numeric targetPort as information, a typo as a warning with the fix', () => {
    const file = path.join(FIXTURES, 'service-target-port-undeclared/trigger.yaml');
    const ws = new Workspace();
    ws.setFile(file, fs.readFileSync(file, 'utf8'));
    ws.analyze();
    const found = ws.diagnostics(file).filter(d => d.code === 'service-target-port-undeclared');
    assert.deepEqual(
      found.map(d => [d.severity, d.fixes.map(f => f.title)]),
      [
        ['warning', ['Change targetPort to 8080']],
        ['information', []],
      ],
    );
    assert.match(found[0].message, /8008 looks like two digits of 8080 swapped/);
    assert.match(found[1].message, /kube-proxy forwards to 9090 either way/);
  });

  it('reports an undeclared numeric probe port as information, a typo as a warning with the fix', () => {
    const file = path.join(FIXTURES, 'probe-port-undefined/trigger.yaml');
    const ws = new Workspace();
    ws.setFile(file, fs.readFileSync(file, 'utf8'));
    ws.analyze();
    const numeric = ws
      .diagnostics(file)
      .filter(d => d.code === 'probe-port-undefined' && /probes port \d+/.test(d.message));
    assert.deepEqual(
      numeric.map(d => [d.severity, d.fixes.map(f => f.title)]),
      [
        ['warning', ['Probe port 9090']],
        ['information', []],
      ],
    );
  });
});
