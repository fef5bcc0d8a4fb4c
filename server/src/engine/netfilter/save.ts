import type { NodeProxy, ProxyRule } from './model';
import { saveProbability } from './probability';

/**
 * What `iptables-save` prints for the rules kube-proxy restored (reference §2.11): the IP
 * header first (`-s -d -i -o -p`, addresses with a prefix), then the matches in written order,
 * libxtables quoting of comments, 11-digit probabilities, `recent` and MARK rewritten.
 */
export function saveLine(r: Pick<ProxyRule, 'chain' | 'args'>, ipv6?: boolean): string {
  return ['-A', r.chain, ...saveArgs(r.args, ipv6)].join(' ');
}

/** Converts one `-A CHAIN …` line of restore syntax to its `iptables-save` form. */
export function restoreLineToSave(line: string, ipv6?: boolean): string {
  const toks = tokenize(line);
  if (toks[0] !== '-A' || toks.length < 2) return line;
  return saveLine({ chain: toks[1], args: toks.slice(2) }, ipv6);
}

/** Splits on spaces, keeping "double quoted" strings (with their quotes) as one token. */
export function tokenize(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] === ' ') {
      i++;
      continue;
    }
    let j = i;
    if (line[i] === '"') {
      j = i + 1;
      while (j < line.length && line[j] !== '"') j += line[j] === '\\' ? 2 : 1;
      j++;
    } else {
      while (j < line.length && line[j] !== ' ') j++;
    }
    out.push(line.slice(i, j));
    i = j;
  }
  return out;
}

const HEADER = ['-s', '-d', '-i', '-o', '-p'] as const;

interface Group {
  name: string;
  opts: string[];
}

/** `ipv6` (ip6tables) changes the defaults iptables-save prints; guessed from addresses when not given. */
export function saveArgs(args: string[], ipv6?: boolean): string[] {
  const header: Partial<Record<(typeof HEADER)[number], { neg: boolean; value: string }>> = {};
  const groups: Group[] = [];
  let target: Group | undefined;
  let neg = false;
  for (let i = 0; i < args.length; i++) {
    const t = args[i];
    if (t === '!') {
      neg = true;
      continue;
    }
    if ((HEADER as readonly string[]).includes(t)) {
      header[t as (typeof HEADER)[number]] = { neg, value: args[++i] };
      neg = false;
      continue;
    }
    if (t === '-m') {
      groups.push({ name: args[++i], opts: [] });
      neg = false;
      continue;
    }
    if (t === '-j') {
      target = { name: args[++i], opts: [] };
      neg = false;
      continue;
    }
    const cur = target ?? groups[groups.length - 1];
    if (!cur) continue;
    if (neg) cur.opts.push('!');
    cur.opts.push(t);
    neg = false;
  }
  const v6 =
    ipv6 ??
    args.some(a => /^\[?[0-9a-fA-F]*:[0-9a-fA-F:.]*:[0-9a-fA-F:.\]/]*$/.test(a) || /^\[[0-9a-fA-F:.]+\]:\d+$/.test(a));
  const out: string[] = [];
  for (const h of HEADER) {
    const v = header[h];
    if (!v) continue;
    if (v.neg) out.push('!');
    out.push(h, h === '-s' || h === '-d' ? withPrefix(v.value) : v.value);
  }
  for (const g of groups) out.push('-m', g.name, ...saveMatch(g, v6));
  if (target) out.push('-j', target.name, ...saveTarget(target, v6));
  return out;
}

function withPrefix(addr: string): string {
  if (addr.includes('/')) return addr;
  return addr.includes(':') ? `${addr}/128` : `${addr}/32`;
}

/** xtables_save_string: bare when only [A-Za-z0-9_-], else double-quoted with \ and " escaped. */
export function xtablesQuote(s: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(s)) return s;
  return `"${s.replace(/["\\]/g, c => `\\${c}`)}"`;
}

function unquote(s: string): string {
  return s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1).replace(/\\(["\\])/g, '$1') : s;
}

function optValue(opts: string[], name: string): string | undefined {
  const i = opts.indexOf(name);
  return i >= 0 ? opts[i + 1] : undefined;
}

function saveMatch(g: Group, ipv6: boolean): string[] {
  const o = g.opts;
  switch (g.name) {
    case 'comment': {
      const v = optValue(o, '--comment');
      return v === undefined ? o : ['--comment', xtablesQuote(unquote(v))];
    }
    case 'statistic': {
      const p = optValue(o, '--probability');
      return o.map((t, i) => (i > 0 && o[i - 1] === '--probability' && p !== undefined ? saveProbability(p) : t));
    }
    case 'recent': {
      const out: string[] = [];
      for (const cmd of ['--set', '--rcheck', '--update', '--remove']) if (o.includes(cmd)) out.push(cmd);
      const seconds = optValue(o, '--seconds');
      if (seconds !== undefined) out.push('--seconds', seconds);
      if (o.includes('--reap')) out.push('--reap');
      const name = optValue(o, '--name') ?? 'DEFAULT';
      out.push(
        '--name',
        name,
        '--mask',
        ipv6 ? 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff' : '255.255.255.255',
        o.includes('--rdest') ? '--rdest' : '--rsource',
      );
      return out;
    }
    case 'nfacct': {
      const v = optValue(o, '--nfacct-name');
      // libxt_nfacct prints " --nfacct-name " and xtables_save_string adds its own space.
      return v === undefined ? o : [`--nfacct-name  ${xtablesQuote(unquote(v))}`];
    }
    default:
      return o;
  }
}

function saveTarget(t: Group, ipv6: boolean): string[] {
  const o = t.opts;
  if (t.name === 'MARK') {
    const or = optValue(o, '--or-mark');
    if (or !== undefined) return ['--set-xmark', `${or}/${or}`];
    const xor = optValue(o, '--xor-mark');
    if (xor !== undefined) return ['--set-xmark', `${xor}/0x0`];
    return o;
  }
  if (t.name === 'REJECT' && !o.includes('--reject-with'))
    return ['--reject-with', ipv6 ? 'icmp6-port-unreachable' : 'icmp-port-unreachable'];
  return o;
}

const BUILTIN: Record<'filter' | 'nat', string[]> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
};

/**
 * The jump rules kube-proxy keeps at the top of the builtin chains (EnsureRule with Prepend,
 * so the last one ensured is listed first), plus kubelet's KUBE-FIREWALL jumps.
 */
function builtinJumps(table: 'filter' | 'nat', chains: string[]): { chain: string; args: string[] }[] {
  const j = (chain: string, extra: string[], comment: string, to: string) => ({
    chain,
    args: [...extra, '-m', 'comment', '--comment', `"${comment}"`, '-j', to],
  });
  const NEW = ['-m', 'conntrack', '--ctstate', 'NEW'];
  if (table === 'nat') {
    return [
      j('PREROUTING', [], 'kubernetes service portals', 'KUBE-SERVICES'),
      j('OUTPUT', [], 'kubernetes service portals', 'KUBE-SERVICES'),
      j('POSTROUTING', [], 'kubernetes postrouting rules', 'KUBE-POSTROUTING'),
    ];
  }
  const out = [
    j('INPUT', NEW, 'kubernetes load balancer firewall', 'KUBE-PROXY-FIREWALL'),
    j('INPUT', [], 'kubernetes health check service ports', 'KUBE-NODEPORTS'),
    j('INPUT', NEW, 'kubernetes externally-visible service portals', 'KUBE-EXTERNAL-SERVICES'),
    j('FORWARD', NEW, 'kubernetes load balancer firewall', 'KUBE-PROXY-FIREWALL'),
    j('FORWARD', [], 'kubernetes forwarding rules', 'KUBE-FORWARD'),
    j('FORWARD', NEW, 'kubernetes service portals', 'KUBE-SERVICES'),
    j('FORWARD', NEW, 'kubernetes externally-visible service portals', 'KUBE-EXTERNAL-SERVICES'),
    j('OUTPUT', NEW, 'kubernetes load balancer firewall', 'KUBE-PROXY-FIREWALL'),
    j('OUTPUT', NEW, 'kubernetes service portals', 'KUBE-SERVICES'),
  ];
  if (chains.includes('KUBE-FIREWALL')) {
    out.splice(3, 0, { chain: 'INPUT', args: ['-j', 'KUBE-FIREWALL'] });
    out.push({ chain: 'OUTPUT', args: ['-j', 'KUBE-FIREWALL'] });
  }
  return out;
}

/**
 * A node's `iptables-save` for the kube-proxy parts: builtin chains first, then user chains
 * sorted by name, rules grouped by chain in that order (kube-proxy's write order inside each).
 */
export function renderSave(
  tables: NodeProxy['tables'],
  which: ('filter' | 'nat')[] = ['filter', 'nat'],
  ipv6 = false,
): string {
  const out: string[] = [];
  for (const t of which) {
    const tr = tables[t];
    const user = [...new Set([...tr.chains, 'KUBE-PROXY-CANARY'])].sort();
    out.push(`*${t}`);
    for (const c of BUILTIN[t]) out.push(`:${c} ACCEPT [0:0]`);
    for (const c of user) out.push(`:${c} - [0:0]`);
    const jumps = builtinJumps(t, tr.chains);
    for (const c of BUILTIN[t]) for (const r of jumps.filter(x => x.chain === c)) out.push(saveLine(r, ipv6));
    const byChain = new Map<string, ProxyRule[]>();
    for (const r of tr.rules) {
      if (!byChain.has(r.chain)) byChain.set(r.chain, []);
      byChain.get(r.chain)!.push(r);
    }
    for (const c of user) for (const r of byChain.get(c) ?? []) out.push(saveLine(r, ipv6));
    out.push('COMMIT');
  }
  return out.join('\n') + '\n';
}
