import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

// Tokenises rule text with VS Code's own TextMate engine (vscode-textmate + vscode-oniguruma,
// the libraries VS Code itself uses), so the test sees what the editor will colour.
const repo = path.resolve(__dirname, '../..');
const grammarPath = path.join(repo, 'syntaxes/iptables.tmLanguage.json');
const base = path.join(repo, 'node_modules');

test('package.json contributes the iptables language, its grammar and the rules command', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
  assert.ok(pkg.contributes.languages.some((l: { id: string }) => l.id === 'iptables'));
  const g = pkg.contributes.grammars.find((x: { language: string }) => x.language === 'iptables');
  assert.equal(path.resolve(repo, g.path), grammarPath);
  assert.equal(JSON.parse(fs.readFileSync(grammarPath, 'utf8')).scopeName, g.scopeName);
  assert.ok(pkg.contributes.commands.some((c: { command: string }) => c.command === 'kubeNetlint.showProxyRules'));
});

test('the grammar highlights tables, chains, matches, targets and comments', async () => {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const vsctm = require(path.join(base, 'vscode-textmate'));
  const onig = require(path.join(base, 'vscode-oniguruma'));
  await onig.loadWASM(fs.readFileSync(path.join(base, 'vscode-oniguruma/release/onig.wasm')).buffer);
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (p: string[]) => new onig.OnigScanner(p),
      createOnigString: (s: string) => new onig.OnigString(s),
    }),
    loadGrammar: async () => vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath),
  });
  const grammar = await registry.loadGrammar('source.iptables');
  const scopeOf = (line: string, piece: string) => {
    const { tokens } = grammar.tokenizeLine(line, vsctm.INITIAL);
    const start = line.indexOf(piece);
    const t = tokens.find((x: { startIndex: number; endIndex: number }) => x.startIndex <= start && start < x.endIndex);
    return (t?.scopes ?? []).join(' ');
  };
  const rule =
    '-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.4:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-UKSFD7AGPMPPLUHC';
  assert.match(scopeOf('*nat', 'nat'), /entity\.name\.section/);
  assert.match(scopeOf(':KUBE-SERVICES - [0:0]', 'KUBE-SERVICES'), /entity\.name\.function/);
  assert.match(scopeOf(rule, 'KUBE-SVC'), /entity\.name\.function/);
  assert.match(scopeOf(rule, 'KUBE-SEP'), /entity\.name\.function/);
  assert.match(scopeOf(rule, 'statistic'), /support\.type\.module/);
  assert.match(scopeOf(rule, '"ns4'), /string\.quoted/);
  assert.match(scopeOf('-A KUBE-POSTROUTING -j MASQUERADE', 'MASQUERADE'), /keyword\.control\.target/);
  assert.match(scopeOf('# a note', 'note'), /comment\.line/);
  assert.match(
    scopeOf('add rule ip kube-proxy services ip daddr . meta l4proto . th dport vmap @service-ips', '@service-ips'),
    /variable\.other\.set/,
  );
});
