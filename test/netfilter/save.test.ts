import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { restoreLineToSave, xtablesQuote } from '../../server/src/engine/netfilter';
import { tokenize } from '../../server/src/engine/netfilter/save';

const dir = path.resolve(__dirname, '../fixtures/netfilter/overall');
const restore = fs.readFileSync(path.join(dir, 'expected-nat.restore'), 'utf8').split('\n');
const save = fs.readFileSync(path.join(dir, 'expected-nat.save'), 'utf8').split('\n').filter(Boolean);

test('every iptables-save line of reference §2.13 is the normalisation of a restore line of the same block', () => {
  const converted = new Set(restore.filter(l => l.startsWith('-A ')).map(l => restoreLineToSave(l)));
  for (const line of save) assert.ok(converted.has(line), `no restore line normalises to:\n${line}`);
});

test('header order, /32, quoting and 11-digit probability', () => {
  assert.equal(
    restoreLineToSave(
      '-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ',
    ),
    '-A KUBE-SVC-4SW47YFZTEDKD3PK ! -s 10.0.0.0/8 -d 172.30.0.44/32 -p tcp -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ',
  );
});

test('MARK targets become --set-xmark', () => {
  assert.equal(
    restoreLineToSave('-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000'),
    '-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000',
  );
  assert.equal(
    restoreLineToSave('-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000'),
    '-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0',
  );
});

test('recent options are reordered and get --mask/--rsource (reference §2.8)', () => {
  const check = restoreLineToSave(
    '-A KUBE-SVC-X -m comment --comment "ns/s:p -> 10.0.0.1:80" -m recent --name KUBE-SEP-X --rcheck --seconds 10800 --reap -j KUBE-SEP-X',
  );
  assert.ok(
    check.includes('-m recent --rcheck --seconds 10800 --reap --name KUBE-SEP-X --mask 255.255.255.255 --rsource'),
    check,
  );
  const set = restoreLineToSave(
    '-A KUBE-SEP-X -m comment --comment ns/s:p -m recent --name KUBE-SEP-X --set -m tcp -p tcp -j DNAT --to-destination 10.0.0.1:80',
  );
  assert.ok(set.includes('-m recent --set --name KUBE-SEP-X --mask 255.255.255.255 --rsource'), set);
});

test('nfacct names are printed after two spaces', () => {
  const l = restoreLineToSave(
    '-A KUBE-NODEPORTS -m comment --comment ns3/svc3:p80 -m tcp -p tcp -d 127.0.0.0/8 --dport 3003 -m nfacct --nfacct-name localhost_nps_accepted_pkts -j KUBE-EXT-X27LE4BHSL4DOUIK',
  );
  assert.ok(l.includes('--nfacct-name  localhost_nps_accepted_pkts'), l);
});

test('xtables_save_string quotes anything outside [A-Za-z0-9_-]', () => {
  assert.equal(xtablesQuote('localhost_nps_accepted_pkts'), 'localhost_nps_accepted_pkts');
  assert.equal(xtablesQuote('ns/name:p'), '"ns/name:p"');
  assert.equal(xtablesQuote('say "hi"'), '"say \\"hi\\""');
});

test('tokenize keeps quoted comments whole', () => {
  assert.deepEqual(tokenize('-A X -m comment --comment "a b -> c" -j Y'), [
    '-A',
    'X',
    '-m',
    'comment',
    '--comment',
    '"a b -> c"',
    '-j',
    'Y',
  ]);
});
