import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as jsyaml from 'js-yaml';
import { fieldsOf, Field } from '../../server/src/engine/calls/fields';
import { findAddresses } from '../../server/src/engine/calls/address';
import {
  ClassifyContext,
  ResolvedHost,
  fieldTakesBareHosts,
  nameTakesBareHosts,
  resolveHost,
} from '../../server/src/engine/calls/classify';
import { isNonServiceHost } from '../../server/src/engine/calls/address';
import type { StringSource } from '../../server/src/engine/calls/sources';
import { sharedSuite } from '../support/shared';

/**
 * Call discovery skips work that cannot find anything: config lines without a mark under a key
 * that takes no bare host (calls/fields.ts), tokens without a mark where only marked candidates
 * count (calls/address.ts), hosts of four labels or more that cannot name a Service (calls/classify.ts).
 * These tests hold the fast paths to the slow ones on varied inputs.
 */

const { dir: GOOD, skip } = sharedSuite('corpus/good');

function source(text: string, mode: StringSource['mode'], name = 'app.conf'): StringSource {
  return { text, owner: {} as StringSource['owner'], path: [], container: '', via: '', mode, name };
}

/** What scan() keeps of a source's fields: each field with its candidates. */
function kept(fields: Field[]) {
  return fields.flatMap(field => {
    const candidates = findAddresses(field.text, !fieldTakesBareHosts(field));
    return candidates.length ? [{ field, candidates }] : [];
  });
}

function assertSame(text: string, what: string): void {
  const src = source(text, 'text');
  assert.deepEqual(kept(fieldsOf(src, undefined, nameTakesBareHosts)), kept(fieldsOf(src)), what);
  // Marked candidates (read from mark to mark) are the candidates of the full token walk that
  // carry a port, a scheme or a `.svc` host.
  const marked = findAddresses(text, false).filter(c => c.port !== undefined || c.scheme || c.host.includes('.svc'));
  assert.deepEqual(findAddresses(text, true), marked, what);
}

const SAMPLES = [
  // YAML, properties, env files, INI, TOML, JSON, shell, nginx: every way a key meets a value.
  'server:\n  port: 8080\nupstreams:\n  cart:\n    url: http://cart:7070/v1\n    timeout: 3s\n',
  'redis.host=redis\nredis.port=6379\nspring.datasource.url=jdbc:postgresql://db.shop:5432/x\n',
  'REDIS_HOST=redis\nCART=cart\nCART_SERVICE=cart.shop\nLOG_LEVEL=info\nDB=orders\n',
  '[database]\nhost = "postgres"\nname = "orders"\n; comment host = cart\n# host: cart\n',
  '{\n  "host": "cart",\n  "url": "http://cart:80",\n  \'broker\': \'kafka\',\n  "items": [1, 2]\n}\n',
  'exec app --upstream=cart:7070 --host cart\ncurl http://cart.shop.svc:80/\n',
  'upstream backend {\n  server cart:7070;\n  server 10.0.0.1:80;\n}\nproxy_pass http://cart;\n',
  // CRLF, tabs, odd spaces, quoted keys, keys glued to the separator, empty values.
  'host: cart\r\nurl: http://cart:80\r\nname: cart\r\n',
  '\thost:\tcart\n\u00a0host: cart\n  "host" : cart\n  \'addr\'=cart:1\nhost:\nhost=\n',
  'HOST=CART\nhost=Cart\nx.host: cart # trailing\n- host: cart\n-host: cart\n',
  'key: value with cart.shop.svc inside\nnote: see ledger:9000 or http://x\nplain words cart shop\n',
  'a: "templated {{ .Values.host }}"\nhost: ${HOST}\nurl: $(URL)\nurl: <%= url %>\nhost: %{h}\n',
  'block: |\n  host: cart\n  url: http://cart:80\nfolded: >\n  server cart\n',
  'host: &h cart\nother: *h\nurl: !!str http://cart:80\n',
  '',
  '\n\n',
  'no newline at end host: cart',
  'bootstrap.servers=kafka-0:9092,kafka-1:9092\nbootstrap-servers: kafka\nBOOTSTRAP_SERVERS=kafka\n',
  'mongodb.uri: mongodb://user:pass@mongo:27017/db\ndsn: postgres://u@db/x\nendpoint = otel:4317\n',
  // Marks at the text's edges, several in one token, glued to quotes, after odd separators.
  'cart:80',
  ':80 .svc :// cart.shop.svc',
  'x=http://a:1,b.svc:2;c:3|d://e`f:4`(g:5)[h:6]{i:7}<j:8>\\k:9',
  'f\'cart:80\' u"cart:80" \'cart:80\' "cart.ns.svc"',
  'influxdb:http://influx:8086 grpc+tls://otel:4317/x?y=z#f',
  'a\u00a0cart:80\u2028b.svc\u3000http://c\ufeffd:1 e\u0085f:2',
  'kafka-0:9092,kafka-1:9092, kafka-2:9092 ,kafka-3:99999',
];

describe('call discovery fast paths agree with the slow paths', () => {
  it('config lines skipped by the key/value splitter hold no candidate: samples', () => {
    for (const s of SAMPLES) assertSame(s, JSON.stringify(s));
  });

  it('… on random config lines', () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const keys = [
      'host',
      'HOST',
      'url',
      'name',
      'REDIS',
      'redis_host',
      'app.url',
      '"host"',
      "'addr'",
      'x',
      '',
      '# host',
    ];
    const seps = [': ', '=', ' = ', ':', ' : ', '\t', ' '];
    const values = [
      'cart',
      'cart:7070',
      'http://cart',
      'cart.shop',
      'cart.shop.svc',
      '"cart"',
      "'cart:1'",
      'Cart',
      '1',
      '',
    ];
    const ends = ['\n', '\r\n', ',\n', ';\n', ' # c\n', '  \n'];
    for (let i = 0; i < 300; i++) {
      let text = '';
      for (let j = rnd(12); j >= 0; j--)
        text +=
          ' '.repeat(rnd(3)) +
          keys[rnd(keys.length)] +
          seps[rnd(seps.length)] +
          values[rnd(values.length)] +
          ends[rnd(ends.length)];
      assertSame(text, JSON.stringify(text));
    }
  });

  it('… on every ConfigMap and Secret string of the real-world corpus', { skip }, () => {
    let n = 0;
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.ya?ml$/.test(e.name)) {
          let docs: unknown[];
          try {
            docs = jsyaml.loadAll(fs.readFileSync(p, 'utf8'));
          } catch {
            continue;
          }
          for (const d of docs) {
            const o = d as { kind?: unknown; data?: unknown; stringData?: unknown } | null;
            if (!o || (o.kind !== 'ConfigMap' && o.kind !== 'Secret')) continue;
            for (const m of [o.data, o.stringData])
              if (m && typeof m === 'object')
                for (const v of Object.values(m))
                  if (typeof v === 'string') {
                    assertSame(v, p);
                    n++;
                  }
          }
        }
      }
    };
    walk(GOOD);
    assert.ok(n > 100, `strings: ${n}`);
  });

  it('resolveHost gives the straightforward reading, asking the workspace the same questions', () => {
    // resolveHost as first written: split every host, then decide by the number of labels.
    const slow = (host: string, ctx: ClassifyContext): ResolvedHost | undefined => {
      if (isNonServiceHost(host)) return undefined;
      let labels = host.split('.');
      let form: ResolvedHost['form'] | undefined;
      const domain = ctx.clusterDomain.toLowerCase().replace(/\.$/, '');
      if (domain && host.endsWith(`.svc.${domain}`)) {
        labels = host.slice(0, -`.svc.${domain}`.length).split('.');
        form = 'fqdn';
      } else if (host.endsWith('.svc')) {
        labels = labels.slice(0, -1);
        form = 'svc';
      }
      if (form) {
        if (labels.length === 2) return { service: labels[0], namespace: labels[1], form };
        if (labels.length === 3) return { pod: labels[0], service: labels[1], namespace: labels[2], form };
        return undefined;
      }
      if (labels.length === 1) return { service: labels[0], namespace: ctx.namespace, form: 'short' };
      if (labels.length === 2) {
        if (ctx.namespaceKnown(labels[1])) return { service: labels[0], namespace: labels[1], form: 'ns' };
        if (ctx.serviceExists(ctx.namespace, labels[1]))
          return { pod: labels[0], service: labels[1], namespace: ctx.namespace, form: 'pod' };
        return undefined;
      }
      if (labels.length === 3 && ctx.namespaceKnown(labels[2]) && ctx.serviceExists(labels[2], labels[1]))
        return { pod: labels[0], service: labels[1], namespace: labels[2], form: 'pod' };
      return undefined;
    };
    const words = ['cart', 'shop', 'svc', 'cluster', 'local', 'web-0', 'web', 'example', 'com', '1'];
    const hosts: string[] = [];
    const grow = (prefix: string, depth: number) => {
      for (const w of words) {
        const h = prefix ? `${prefix}.${w}` : w;
        hosts.push(h);
        if (depth > 1) grow(h, depth - 1);
      }
    };
    grow('', 5);
    hosts.push('localhost', 'a.localhost', 'x.internal', '', '.', 'cart.', 'cart..shop', 'a.b.c.d.svc');
    let checked = 0;
    for (const clusterDomain of ['cluster.local', 'Cluster.Local.', '', 'corp.example'])
      for (const host of hosts) {
        const asked: string[][] = [];
        const ctx = (log: string[]): ClassifyContext => ({
          namespace: 'default',
          clusterDomain,
          namespaceKnown: ns => (log.push(`ns ${ns}`), ns === 'shop' || ns === 'web'),
          serviceExists: (ns, name) => (
            log.push(`svc ${ns}/${name}`),
            ['shop/cart', 'default/web', 'shop/web'].includes(`${ns}/${name}`)
          ),
        });
        for (const f of [slow, resolveHost]) {
          const log: string[] = [];
          asked.push([JSON.stringify(f(host, ctx(log)) ?? null), ...log]);
        }
        assert.deepEqual(asked[1], asked[0], `${host} in ${clusterDomain}`);
        checked++;
      }
    assert.ok(checked > 40_000, `hosts: ${checked}`);
  });
});
