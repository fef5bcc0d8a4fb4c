import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Lexer, Token, Tokens } from 'marked';
import '../../server/src/engine/features';
import { Workspace, defaultConfig, mergeConfig } from '../../server/src/engine';
import { hoverAt } from '../../server/src/engine/hover';
import { codeLensesFor } from '../../server/src/engine/codelens';
import { codeBlock, codeSpan, escapeIcons, escapeText, markdownLink } from '../../server/src/engine/text/markdown';

/**
 * Hover Markdown is built from workspace text, and the workspace is untrusted: a label value
 * must not end a code span, open a link or an image (a remote image would be fetched as soon
 * as the hover shows), or add HTML. Markdown is parsed here with `marked`, the parser VS Code's
 * hover renderer uses (GFM on), and every token is checked.
 */

const lex = (md: string) => new Lexer({ gfm: true }).lex(md);

function* walk(tokens: readonly Token[]): Generator<Token> {
  for (const t of tokens) {
    yield t;
    const x = t as Token & {
      tokens?: Token[];
      items?: Token[];
      header?: { tokens: Token[] }[];
      rows?: { tokens: Token[] }[][];
    };
    if (x.tokens) yield* walk(x.tokens);
    if (x.items) yield* walk(x.items);
    if (x.header) for (const c of x.header) yield* walk(c.tokens);
    if (x.rows) for (const r of x.rows) for (const c of r) yield* walk(c.tokens);
  }
}

/** Rendered plain text of inline tokens (escapes resolved, code spans as their content). */
function plain(tokens: readonly Token[]): string {
  return tokens
    .map(t => {
      const x = t as Token & { tokens?: Token[]; text?: string };
      if (t.type === 'codespan') return (t as Tokens.Codespan).text;
      if (t.type === 'escape') return (t as Tokens.Escape).text;
      if (x.tokens) return plain(x.tokens);
      return x.text ?? t.raw;
    })
    .join('');
}

const FORBIDDEN = new Set([
  'image',
  'html',
  'link',
  'em',
  'strong',
  'del',
  'heading',
  'list',
  'blockquote',
  'hr',
  'code',
]);

/** Characters that mean something to Markdown, plus a few Unicode oddities. */
const hostile = fc.string({
  unit: fc.constantFrom(
    ...'`\\*_~[]()<>!&|#@:./-+=>1 \t\nwhtpsx'.split(''),
    '![](https://evil.example/x.png)',
    '<img src=x>',
    'https://',
    'www.',
    '&amp;',
    '```',
    '\r\n',
    '\u2028',
    '😀',
  ),
  maxLength: 40,
});

test('escapeText: any text stays literal text in a paragraph, a list item or after bold, with no Markdown meaning', () => {
  fc.assert(
    fc.property(hostile, s => {
      const expected = s.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ').replace(/^\s+/, '');
      for (const [prefix, allowed] of [
        ['', []],
        ['- ', ['list', 'list_item']],
        ['**Head** ', ['strong']],
      ] as const) {
        const md = `${prefix}${escapeText(s)}`;
        const tokens = lex(md);
        const kinds = [...walk(tokens)].map(t => t.type);
        for (const k of kinds)
          assert.ok(!FORBIDDEN.has(k) || (allowed as readonly string[]).includes(k), `${k} in ${JSON.stringify(md)}`);
        for (const k of allowed) assert.ok(expected.trim() === '' || kinds.filter(x => x === k).length <= 1, md);
        if (prefix === '' && expected.trim() !== '') {
          const para = tokens.find(t => t.type === 'paragraph') as Tokens.Paragraph | undefined;
          assert.ok(para, md);
          assert.equal(plain(para.tokens).trimEnd(), expected.trimEnd());
        }
      }
    }),
    { numRuns: 2000, seed: 10 },
  );
});

test('codeSpan: one code span whose content is exactly the value, inline and in a table cell', () => {
  fc.assert(
    fc.property(hostile, s => {
      const expected = s.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ');
      const inline = [...walk(lex(`see ${codeSpan(s)} here`))];
      const spans = inline.filter(t => t.type === 'codespan') as Tokens.Codespan[];
      assert.equal(spans.length, 1, JSON.stringify(codeSpan(s)));
      assert.ok(!inline.some(t => FORBIDDEN.has(t.type)));
      if (expected.length) assert.equal(spans[0].text, expected === '' ? ' ' : expected);
      const table = lex(`| a | b |\n|---|---|\n| ${codeSpan(s, { inTable: true })} | ${escapeText(s)} |`);
      const t = table.find(x => x.type === 'table') as Tokens.Table;
      assert.ok(t, 'still a table');
      assert.equal(t.rows.length, 1);
      assert.equal(t.rows[0].length, 2, 'no cell split by a pipe in the value');
      if (!/\\\|/.test(expected)) {
        const cellSpans = [...walk(t.rows[0][0].tokens)].filter(x => x.type === 'codespan') as Tokens.Codespan[];
        assert.equal(cellSpans.length, 1);
        if (expected.length) assert.equal(cellSpans[0].text, expected);
      }
      for (const x of walk(t.rows[0][0].tokens)) assert.ok(!FORBIDDEN.has(x.type), x.type);
      for (const x of walk(t.rows[0][1].tokens)) assert.ok(!FORBIDDEN.has(x.type), x.type);
    }),
    { numRuns: 2000, seed: 10 },
  );
});

test('codeBlock: the text comes out verbatim, whatever fences it contains', () => {
  fc.assert(
    fc.property(fc.array(hostile, { maxLength: 6 }), lines => {
      const text = lines.join('\n').replace(/\r\n?|\u2028/g, '\n');
      const tokens = lex(`before\n\n${codeBlock(text, 'iptables')}\n\nafter ![](https://x/y.png)`);
      const blocks = tokens.filter(t => t.type === 'code') as Tokens.Code[];
      assert.equal(blocks.length, 1);
      assert.equal(blocks[0].text.replace(/\n+$/, ''), text.replace(/\n+$/, ''));
      assert.equal(blocks[0].lang, 'iptables');
    }),
    { numRuns: 1000, seed: 10 },
  );
});

test('markdownLink: the label is text and the destination is the whole target', () => {
  fc.assert(
    fc.property(hostile, hostile, (label, path) => {
      const target = `file:///ws/${path}#L3`;
      const links = [...walk(lex(`go ${markdownLink(label, target)} now`))].filter(
        t => t.type === 'link',
      ) as Tokens.Link[];
      assert.equal(links.length, 1);
      assert.equal(
        decodeURI(links[0].href.replace(/%(?![0-9A-F]{2})/g, '%25')),
        target.replace(/%(?![0-9A-F]{2})/g, '%25'),
      );
      for (const t of walk(links[0].tokens)) assert.ok(!FORBIDDEN.has(t.type), t.type);
    }),
    { numRuns: 1000, seed: 10 },
  );
});

test('escapeIcons: $(icon) in a code lens title is shown, not drawn', () => {
  assert.equal(escapeIcons('Preview $(alert) path'), 'Preview \\$(alert) path');
  assert.equal(escapeIcons('already \\$(alert)'), 'already \\$(alert)');
});

const EVIL = '![x](https://evil.example/pixel.png)';
const files = {
  'dep.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: "we\`b ${EVIL}"
  namespace: shop
  labels:
    app: "a\`b"
spec:
  replicas: 2
  selector:
    matchLabels:
      app: "a\`b"
      tier: "${EVIL}"
  template:
    metadata:
      labels:
        app: "a\`b"
        tier: "${EVIL}"
        extra: "<img src=https://evil.example/i.png> | x \`\`\` y"
    spec:
      containers:
        - name: "c\`1 ${EVIL}"
          image: nginx
          ports:
            - name: "http"
              containerPort: 8080
`,
  'svc.yaml': `apiVersion: v1
kind: Service
metadata:
  name: "s\`vc ${EVIL}"
  namespace: shop
spec:
  type: NodePort
  selector:
    app: "a\`b"
    tier: "${EVIL}"
  ports:
    - name: http
      port: 80
      targetPort: http
---
apiVersion: v1
kind: Service
metadata:
  name: ext
  namespace: shop
spec:
  type: ExternalName
  externalName: "\`evil\` ${EVIL}"
---
apiVersion: v1
kind: Service
metadata:
  name: sliced
  namespace: shop
spec:
  ports:
    - name: http
      port: 80
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: "sl\`ice | ${EVIL}"
  namespace: shop
  labels:
    kubernetes.io/service-name: sliced
addressType: IPv4
ports:
  - name: http
    port: 8080
    protocol: TCP
endpoints:
  - addresses: ["10.244.1.5"]
    nodeName: "node | \`x\` ${EVIL}"
    conditions: { ready: true }
`,
  'kubeadm.yaml': `apiVersion: kubeadm.k8s.io/v1beta3
kind: ClusterConfiguration
clusterName: "\`c\` ${EVIL}"
networking:
  podSubnet: 10.244.0.0/16
  serviceSubnet: 10.96.0.0/12
`,
};

function hostileWorkspace(prefix: string): Workspace {
  const ws = new Workspace(mergeConfig(defaultConfig(), { proxy: { nodeName: 'node-1' } }));
  for (const [name, text] of Object.entries(files)) ws.setFile(prefix + name, text);
  ws.analyze();
  return ws;
}

for (const [label, prefix] of [
  ['plain file paths', '/ws/we`ird ![](https://evil.example/f.png)/'],
  ['URIs (links to files)', 'file:///ws/we%60ird%20dir/'],
] as const) {
  test(`every hover on a hostile workspace is safe Markdown (${label})`, () => {
    const ws = hostileWorkspace(prefix);
    let hovers = 0;
    const texts = new Set<string>();
    for (const [name, text] of Object.entries(files)) {
      for (let offset = 0; offset < text.length; offset++) {
        if (offset > 0 && !/[\s:"]/.test(text[offset - 1])) continue;
        const h = hoverAt(ws, prefix + name, offset);
        if (!h) continue;
        hovers++;
        for (const t of walk(lex(h.markdown))) {
          assert.notEqual(t.type, 'image', `image in hover at ${name}:${offset}:\n${h.markdown}`);
          assert.notEqual(t.type, 'html', `HTML in hover at ${name}:${offset}:\n${h.markdown}`);
          if (t.type === 'link') assert.ok((t as Tokens.Link).href.startsWith(prefix), (t as Tokens.Link).href);
          if (t.type === 'codespan') texts.add((t as Tokens.Codespan).text);
          if (t.type === 'text' || t.type === 'escape') texts.add((t as Tokens.Text).text);
        }
      }
      for (const l of codeLensesFor(ws, prefix + name)) assert.ok(!/(?<!\\)\$\(/.test(l.title));
    }
    assert.ok(hovers > 20, `${hovers} hovers`);
    // The hostile values are shown literally, not swallowed: the whole selector entry is one code span.
    assert.ok(texts.has(`tier=${EVIL}`), 'selector entry shown in one code span');
    assert.ok(texts.has('app=a`b'), 'a backtick stays inside its code span');
  });
}
