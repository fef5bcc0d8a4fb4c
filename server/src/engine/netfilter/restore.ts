import type { NodeProxy, ProxyRule, TableRules } from './model';

/**
 * kube-proxy's own `iptables-restore` input (what its unit tests assert): per table the chain
 * declarations, the `-A` rules, then COMMIT.
 */
export function renderRestore(tables: NodeProxy['tables'], which: ('filter' | 'nat')[] = ['filter', 'nat']): string {
  const out: string[] = [];
  for (const t of which) {
    const tr: TableRules = tables[t];
    out.push(`*${t}`);
    for (const c of tr.chains) out.push(`:${c} - [0:0]`);
    for (const r of tr.rules) out.push(restoreLine(r));
    out.push('COMMIT');
  }
  return out.join('\n') + '\n';
}

export function restoreLine(r: Pick<ProxyRule, 'chain' | 'args'>): string {
  return ['-A', r.chain, ...r.args].join(' ');
}

/**
 * The ordering kube-proxy's tests compare with (sortIPTablesRules): KUBE-NODEPORTS and
 * KUBE-SERVICES first, then the other chains by name; rules grouped by chain in that order.
 * `sortWithin` additionally sorts the rules inside each chain, for comparisons that must not
 * depend on the iteration order over Services.
 */
export function sortRestore(text: string, sortWithin = false): string {
  const out: string[] = [];
  let table: { header: string; chains: string[]; rules: Map<string, string[]> } | undefined;
  const rank = (c: string) => (c === 'KUBE-NODEPORTS' ? '0' : c === 'KUBE-SERVICES' ? '1' : '2' + c);
  const flush = () => {
    if (!table) return;
    out.push(table.header);
    const chains = [...table.chains].sort((a, b) => (rank(a) < rank(b) ? -1 : rank(a) > rank(b) ? 1 : 0));
    for (const c of chains) out.push(`:${c} - [0:0]`);
    const ruleChains = [...table.rules.keys()].sort((a, b) => (rank(a) < rank(b) ? -1 : rank(a) > rank(b) ? 1 : 0));
    for (const c of ruleChains) {
      const rs = table.rules.get(c)!;
      out.push(...(sortWithin ? [...rs].sort() : rs));
    }
    out.push('COMMIT');
    table = undefined;
  };
  for (const line of text.split('\n')) {
    if (line.startsWith('*')) {
      flush();
      table = { header: line, chains: [], rules: new Map() };
      continue;
    }
    if (!table || line === '' || line.startsWith('#')) continue;
    if (line === 'COMMIT') {
      flush();
      continue;
    }
    if (line.startsWith(':')) {
      table.chains.push(line.slice(1).split(' ')[0]);
      continue;
    }
    const chain = line.split(' ')[1];
    if (!table.rules.has(chain)) table.rules.set(chain, []);
    table.rules.get(chain)!.push(line);
  }
  flush();
  return out.join('\n') + '\n';
}
