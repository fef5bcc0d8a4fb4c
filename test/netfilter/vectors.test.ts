import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  computeProbability,
  iptablesChainNames,
  nftChainNames,
  nftEndpointNames,
  probabilitySequence,
  saveProbability,
  sepChainName,
  servicePortName,
} from '../../server/src/engine/netfilter';
import { goFixed } from '../../server/src/engine/netfilter/probability';

// Public vectors of reference/kube-proxy.md §1.4 (kube-proxy's proxier_test.go and real node dumps).
const CHAIN_VECTORS: {
  ns: string;
  name: string;
  port: string;
  proto: string;
  svc: string;
  seps?: [string, string][];
}[] = [
  {
    ns: 'ns1',
    name: 'svc1',
    port: 'p80',
    proto: 'TCP',
    svc: 'XPGD46QRK7WJZT7O',
    seps: [
      ['10.180.0.1:80', 'SXIVWICOYRO3J4NJ'],
      ['10.180.2.1:80', 'ZX7GRIZKSNUQ3LAJ'],
    ],
  },
  {
    ns: 'ns2',
    name: 'svc2',
    port: 'p80',
    proto: 'TCP',
    svc: 'GNZBNJ2PO5MGZ6GT',
    seps: [['10.180.0.2:80', 'RS4RBKLTHTF2IUXJ']],
  },
  {
    ns: 'ns3',
    name: 'svc3',
    port: 'p80',
    proto: 'TCP',
    svc: 'X27LE4BHSL4DOUIK',
    seps: [['10.180.0.3:80', 'OYPFS5VJICHGATKP']],
  },
  {
    ns: 'ns4',
    name: 'svc4',
    port: 'p80',
    proto: 'TCP',
    svc: '4SW47YFZTEDKD3PK',
    seps: [
      ['10.180.0.4:80', 'UKSFD7AGPMPPLUHC'],
      ['10.180.0.5:80', 'C6EBXVWJJZMIWKLZ'],
    ],
  },
  {
    ns: 'ns5',
    name: 'svc5',
    port: 'p80',
    proto: 'TCP',
    svc: 'NUKIZ6OKUXPJNT4C',
    seps: [['10.180.0.3:80', 'I77PXRDZVX7PMWMN']],
  },
  {
    ns: 'ns1',
    name: 'svc1',
    port: '',
    proto: 'TCP',
    svc: 'AQI2S6QIMU7PVVRP',
    seps: [
      ['10.0.1.1:80', '3JOIVZTXZZRGORX4'],
      ['10.0.1.2:80', 'IO5XOSKPAXIFQXAJ'],
      ['10.0.1.3:80', 'XGJFVO3L2O5SRFNT'],
      ['10.0.1.5:80', 'EQCHZ7S2PJ72OHAY'],
    ],
  },
  {
    ns: 'default',
    name: 'kubernetes',
    port: 'https',
    proto: 'TCP',
    svc: 'NPX46M4PTMTKRN6Y',
    seps: [['192.168.20.100:6443', 'U7HH75UFG3U5VGYY']],
  },
  {
    ns: 'kube-system',
    name: 'kube-dns',
    port: 'dns',
    proto: 'UDP',
    svc: 'TCOU7JCQXEZGVUNU',
    seps: [['10.244.0.9:53', 'LBMQNJ35ID4UIQ2A']],
  },
  { ns: 'kube-system', name: 'kube-dns', port: 'dns-tcp', proto: 'TCP', svc: 'ERIFXISQEP7F7OF4' },
  {
    ns: 'kube-system',
    name: 'kube-dns',
    port: 'metrics',
    proto: 'TCP',
    svc: 'JD5MR3NA4I4DYORP',
    seps: [['10.244.0.9:9153', 'CEWR77HQLZDHWWAJ']],
  },
  {
    ns: 'default',
    name: 'jtest',
    port: '',
    proto: 'TCP',
    svc: 'FXJ34XFJ55FJZHFP',
    seps: [['10.244.2.17:8080', 'FWCNVWTS6ZPOZ3BF']],
  },
  {
    ns: 'default',
    name: 'nginx',
    port: '',
    proto: 'TCP',
    svc: '2CMXP7HKUVJN7L6M',
    seps: [['10.244.1.6:80', 'C4VXQDW52UV45WW3']],
  },
];

for (const v of CHAIN_VECTORS) {
  test(`chain names of ${v.ns}/${v.name}${v.port ? `:${v.port}` : ''}/${v.proto}`, () => {
    const spn = servicePortName(v.ns, v.name, v.port || undefined);
    const names = iptablesChainNames(spn, v.proto);
    assert.equal(names.svc, `KUBE-SVC-${v.svc}`);
    assert.equal(names.svl, `KUBE-SVL-${v.svc}`);
    assert.equal(names.ext, `KUBE-EXT-${v.svc}`);
    assert.equal(names.fw, `KUBE-FW-${v.svc}`);
    for (const [ep, sep] of v.seps ?? []) assert.equal(sepChainName(spn, v.proto, ep), `KUBE-SEP-${sep}`, ep);
  });
}

test('unnamed ports: today "ns/name", before ~1.19 "ns/name:" (the brief\'s LY73… example)', () => {
  assert.equal(
    iptablesChainNames(servicePortName('default', 'service-test', undefined), 'TCP').svc,
    'KUBE-SVC-GBTMB5ZTD56ECL5F',
  );
  assert.equal(
    iptablesChainNames(servicePortName('default', 'service-test', undefined, true), 'TCP').svc,
    'KUBE-SVC-LY73ZDGF4KGO4YFJ',
  );
});

test('nftables chain, endpoint and affinity names', () => {
  assert.equal(nftChainNames('ns1', 'svc1', 'TCP', 'p80').service, 'service-ULMVA6XW-ns1/svc1/tcp/p80');
  assert.equal(
    nftEndpointNames('ns1', 'svc1', 'TCP', 'p80', '10.180.0.1:80').chain,
    'endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80',
  );
  assert.equal(nftChainNames('ns5', 'svc5', 'TCP', 'p80').firewall, 'firewall-HVFWP5L3-ns5/svc5/tcp/p80');
  assert.equal(
    nftEndpointNames('ns5', 'svc5', 'TCP', 'p80', '10.180.0.3:80').affinitySet,
    'affinity-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80',
  );
  assert.equal(
    nftChainNames('default', 'kubernetes', 'TCP', 'https').service,
    'service-2QRHZV4L-default/kubernetes/tcp/https',
  );
  // From TestOverallNFTablesRules (§3.1): service and external chains share the hash.
  assert.equal(nftChainNames('ns4', 'svc4', 'TCP', 'p80').external, 'external-LAUZTJTB-ns4/svc4/tcp/p80');
  assert.equal(nftChainNames('ns3', 'svc3', 'TCP', 'p80').external, 'external-4AT6LBPK-ns3/svc3/tcp/p80');
  assert.equal(
    nftEndpointNames('ns4', 'svc4', 'TCP', 'p80', '10.180.0.5:80').chain,
    'endpoint-5RFCDDV7-ns4/svc4/tcp/p80__10.180.0.5/80',
  );
});

test('the tutorials\' "demo/web" and "default/web" nft hashes are not ULMVA6XW/HVFWP5L3 (reference §1.4 caution)', () => {
  assert.equal(nftChainNames('demo', 'web', 'TCP', 'http').service, 'service-AXK6CI2C-demo/web/tcp/http');
  assert.equal(nftChainNames('default', 'web', 'TCP', 'http').service, 'service-SUSTUHLJ-default/web/tcp/http');
});

test('computeProbability matches TestComputeProbability', () => {
  assert.equal(computeProbability(1), '1.0000000000');
  assert.equal(computeProbability(2), '0.5000000000');
  assert.equal(computeProbability(10), '0.1000000000');
  assert.equal(computeProbability(100000), '0.0000100000');
  assert.equal(computeProbability(100001), '0.0000099999');
});

test('three endpoints: 0.3333333333, then 0.5000000000, then the catch-all rule', () => {
  assert.deepEqual(probabilitySequence(3), ['0.3333333333', '0.5000000000', undefined]);
  assert.deepEqual(probabilitySequence(1), [undefined]);
});

test('iptables-save prints the stored probability with 11 digits', () => {
  assert.equal(saveProbability('0.3333333333'), '0.33333333349');
  assert.equal(saveProbability('0.5000000000'), '0.50000000000');
  assert.equal(saveProbability('0.2500000000'), '0.25000000000');
  assert.equal(saveProbability('0.2000000000'), '0.20000000019');
});

test('%f rounding is half-to-even on the exact binary value, as Go and glibc do (JS toFixed rounds ties up)', () => {
  // 1/2048 = 0.00048828125 exactly: a true tie at 10 digits.
  assert.equal(goFixed(1 / 2048, 10), '0.0004882812');
  assert.notEqual((1 / 2048).toFixed(10), '0.0004882812');
  assert.equal(goFixed(1 / 4096, 10), '0.0002441406');
});
