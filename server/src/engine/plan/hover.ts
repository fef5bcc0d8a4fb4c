import { registerHoverProvider, HoverResult } from '../hover';
import type { Workspace } from '../workspace';
import {
  blocksOf,
  containsCidr,
  Cidr,
  formatCount,
  formatIp,
  Ip,
  overlaps,
  parseCidr,
  parseIp,
  sameNetwork,
  sizeOf,
  containsIp,
} from './cidr';
import { isEmpty } from './extract/contribution';
import { contributionOf, getAddressPlan } from './index';
import type { AddressPlan, PlanEntry } from './model';
import { where } from './rules/rule';
import { codeSpan, escapeText } from '../text/markdown';

const TOKEN_CHAR = /[0-9a-fA-F:./]/;

/** The address-looking token around an offset: `10.244.0.0/16`, `fd00::/104`, `10.96.0.10`. */
export function tokenAt(text: string, offset: number): { text: string; start: number; end: number } | undefined {
  let s = offset,
    e = offset;
  while (s > 0 && TOKEN_CHAR.test(text[s - 1])) s--;
  while (e < text.length && TOKEN_CHAR.test(text[e])) e++;
  // a YAML key or a sentence may end with ':' or '.'
  while (e > s && /[:.]/.test(text[e - 1]) && !text.slice(s, e).endsWith('::')) e--;
  while (s < e && /[:.]/.test(text[s]) && !text.slice(s, e).startsWith('::')) s++;
  if (e - s < 3 || offset < s || offset > e) return undefined;
  return { text: text.slice(s, e), start: s, end: e };
}

const ROLE_TEXT: Record<PlanEntry['role'], string> = {
  pod: 'pod network',
  service: 'service network',
  node: 'node network',
  'docker-bridge': 'docker bridge',
  'docker-pool': 'docker address pool',
  cni: 'CNI network',
  multus: 'Multus network',
};

function entryLine(ws: Workspace, e: PlanEntry): string {
  const origin =
    e.origin === 'declared'
      ? 'declared'
      : e.origin === 'setting'
        ? 'user setting'
        : e.origin === 'default'
          ? 'default'
          : 'assumed';
  return `${ROLE_TEXT[e.role]} ${codeSpan(e.cidr.network)} — ${escapeText(e.label)} (${origin}, ${escapeText(where(ws, e.source))})${e.note && e.origin !== 'declared' ? ` — ${escapeText(e.note)}` : ''}`;
}

function relation(a: Cidr, b: Cidr): string {
  if (sameNetwork(a, b)) return 'same range as';
  if (containsCidr(a, b)) return 'contains';
  if (containsCidr(b, a)) return 'inside';
  return 'overlaps';
}

/**
 * Markdown facts about a network: bounds, size, node blocks, plan entries, overlaps. Network and
 * address texts are the engine's own formatting (or a token of address characters only); labels,
 * notes and file names come from the workspace and are escaped.
 */
export function describeNetwork(ws: Workspace, plan: AddressPlan, cidr: Cidr, fileId: string, offset: number): string {
  const fam = cidr.family;
  const lines: string[] = [
    `**${cidr.network}** — IPv${fam} network${cidr.hostBitsSet ? ` (written as ${codeSpan(cidr.text)}: host bits set)` : ''}`,
    '',
  ];
  lines.push('| | |', '|---|---|');
  lines.push(`| First address | \`${formatIp(fam, cidr.first)}\` |`);
  lines.push(`| Last address | \`${formatIp(fam, cidr.last)}\` |`);
  lines.push(`| Size | ${formatCount(sizeOf(cidr))} addresses (/${cidr.prefix}) |`);
  const mine = plan.entries.filter(e => sameNetwork(e.cidr, cidr));
  const here = mine.find(e => e.source?.fileId === fileId && coversOffset(ws, e, offset));
  const nodeMask = plan.nodeMask[fam === 4 ? 'ipv4' : 'ipv6'];
  const blockMask = here?.blockMask ?? mine.find(e => e.blockMask !== undefined)?.blockMask;
  const blocks: string[] = [];
  if (blockMask !== undefined && blockMask !== nodeMask.value)
    blocks.push(
      `${formatCount(blocksOf(cidr, blockMask))} × /${blockMask} (${escapeText(here?.component ?? mine[0].component)} block size)`,
    );
  // Nodes get their pod CIDRs out of the pod network; any other range (services, docker, node
  // networks) is never cut into node blocks, so showing a count there would mislead.
  if (mine.some(e => e.role === 'pod'))
    blocks.push(
      `${formatCount(blocksOf(cidr, nodeMask.value))} × /${nodeMask.value} (node mask, ${escapeText(nodeMask.origin === 'declared' ? nodeMask.label : nodeMask.origin)})`,
    );
  if (blocks.length) lines.push(`| Node blocks | ${blocks.join('; ')} |`);
  lines.push('');
  const ordered = here ? [here, ...mine.filter(e => e !== here)] : mine;
  if (ordered.length) {
    lines.push(
      '**Plan entry**' + (ordered.length > 1 ? ' (also declared elsewhere)' : ''),
      ...ordered.slice(0, 6).map(e => `- ${entryLine(ws, e)}`),
    );
  } else {
    lines.push('_Not an entry of the address plan._');
  }
  const others = plan.entries.filter(e => e.origin !== 'assumed' && !mine.includes(e) && overlaps(e.cidr, cidr));
  lines.push('');
  if (others.length)
    lines.push('**Overlaps**', ...others.slice(0, 8).map(e => `- ${relation(cidr, e.cidr)} ${entryLine(ws, e)}`));
  else lines.push('**Overlaps**: none in the plan.');
  return lines.join('\n');
}

function describeIp(ws: Workspace, plan: AddressPlan, ip: Ip): string {
  const inside = plan.entries.filter(e => containsIp(e.cidr, ip));
  const lines = [`**${ip.text}** — IPv${ip.family} address`, ''];
  if (inside.length) lines.push('**Inside**', ...inside.slice(0, 8).map(e => `- ${entryLine(ws, e)}`));
  else lines.push('Not inside any network of the address plan.');
  return lines.join('\n');
}

function coversOffset(ws: Workspace, e: PlanEntry, offset: number): boolean {
  const file = e.source && ws.file(e.source.fileId);
  if (!file || !e.source) return false;
  const [s, t] = file.locator.offsetsOf(e.source.anchor);
  return s <= offset && offset <= t;
}

/** Hover on any CIDR or IP in a file that feeds the address plan. */
export function planHover(ws: Workspace, fileId: string, offset: number): HoverResult | undefined {
  const file = ws.file(fileId);
  if (!file || file.kind === 'other' || isEmpty(contributionOf(file))) return undefined;
  const tok = tokenAt(file.text, offset);
  if (!tok || !/[.:]/.test(tok.text)) return undefined;
  const plan = getAddressPlan(ws);
  const range = file.locator.lines.rangeOf(tok.start, tok.end);
  const cidr = parseCidr(tok.text);
  if (cidr) return { markdown: describeNetwork(ws, plan, cidr, fileId, offset), range };
  const ip = parseIp(tok.text);
  if (ip) return { markdown: describeIp(ws, plan, ip), range };
  return undefined;
}

registerHoverProvider(planHover);
