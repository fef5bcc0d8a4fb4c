/**
 * The smallest edit that lets one call through a NetworkPolicy: one more item in the policy's
 * `spec.ingress` (or `spec.egress`) list, written in the list's own indentation style, or the
 * list itself when the policy has none. The edit is text inserted at one place, so comments and
 * the rest of the file stay as they are.
 */
import type { Workspace } from '../workspace';
import type { Resource } from '../model/resource';
import type { TextEdit } from '../findings';
import { get } from '../model/resource';
import type { LineIndex } from '../text/lineIndex';

export interface AllowRule {
  direction: 'ingress' | 'egress';
  /** Pod labels of the peer (the caller for ingress, the Service's pods for egress). */
  podLabels: Readonly<Record<string, string>>;
  /** Set when the peer lives in another namespace than the policy. */
  namespace?: string;
  port: number;
  protocol: string;
}

const PLAIN = /^[A-Za-z_/][\w./-]*$/;
const KEYWORDS = /^(true|false|yes|no|on|off|null|y|n|~)$/i;

/** A YAML scalar for a label key or value: plain when that reads back as the same string. */
export function yamlString(s: string): string {
  return PLAIN.test(s) && !KEYWORDS.test(s) ? s : JSON.stringify(s);
}

/**
 * The rule as block YAML lines, relative to column 0 of the list item ("- from:" …). `seq` is
 * the extra indentation the file gives a sequence under its key (0 or 2).
 */
export function ruleLines(rule: AllowRule, seq: number): string[] {
  const pad = (n: number) => ' '.repeat(n);
  const peerKey = rule.direction === 'ingress' ? 'from' : 'to';
  const lines = [`- ${peerKey}:`];
  const item = 2 + seq; // column of "- " under from/to
  lines.push(`${pad(item)}- podSelector:`);
  const labels = Object.entries(rule.podLabels);
  if (labels.length) {
    lines.push(`${pad(item + 4)}matchLabels:`);
    for (const [k, v] of labels) lines.push(`${pad(item + 6)}${yamlString(k)}: ${yamlString(v)}`);
  } else {
    lines[lines.length - 1] += ' {}';
  }
  if (rule.namespace !== undefined) {
    lines.push(`${pad(item + 2)}namespaceSelector:`);
    lines.push(`${pad(item + 4)}matchLabels:`);
    lines.push(`${pad(item + 6)}kubernetes.io/metadata.name: ${yamlString(rule.namespace)}`);
  }
  lines.push(`${pad(2)}ports:`);
  lines.push(`${pad(item)}- protocol: ${rule.protocol}`);
  lines.push(`${pad(item + 2)}port: ${rule.port}`);
  return lines;
}

/** Start of the line holding `at`; lines end at CRLF, LF or a lone CR (LineIndex). */
function lineStart(lines: LineIndex, at: number): number {
  return lines.offsetAt({ line: lines.positionAt(at).line, character: 0 });
}
/** End of the line holding the node's last character (node ranges may run past the line break). */
function lineEnd(lines: LineIndex, text: string, at: number): number {
  while (at > 0 && /\s/.test(text[at - 1])) at--;
  const line = lines.positionAt(at).line;
  return lines.offsetAt({ line, character: 0 }) + lines.lineText(line).length;
}

/** Adds `rule` to NetworkPolicy `policy`; undefined when the file's shape is not one we edit safely. */
export function allowRuleEdit(ws: Workspace, policy: Resource, rule: AllowRule): TextEdit | undefined {
  const file = ws.file(policy.fileId);
  if (!file || file.kind !== 'yaml') return undefined;
  const text = file.text;
  const { locator } = file;
  const spec = [...policy.base, 'spec'];
  const list = get(policy.value, 'spec', rule.direction);
  const specValue = get(policy.value, 'spec');
  if (!specValue || typeof specValue !== 'object' || Array.isArray(specValue)) return undefined;
  const keys = Object.keys(specValue);
  if (!keys.length) return undefined;
  const [ks] = locator.offsetsOf({ doc: policy.doc, path: [...spec, keys[0]], part: 'key' });
  const keyCol = ks - lineStart(locator.lines, ks);
  // The file's own habit for sequences under a key (`ingress:\n- from` or `ingress:\n  - from`).
  let seq = 2;
  if (Array.isArray(list) && list.length) {
    const [s, e] = locator.offsetsOf({ doc: policy.doc, path: [...spec, rule.direction] });
    if (text[s] !== '-') return undefined; // flow style with items: leave it to the user
    seq = s - lineStart(locator.lines, s) - keyCol;
    const col = s - lineStart(locator.lines, s);
    const at = lineEnd(locator.lines, text, e);
    const body = ruleLines(rule, seq).map(l => ' '.repeat(col) + l);
    return { fileId: policy.fileId, anchor: { offsets: [at, at] }, newText: '\n' + body.join('\n') };
  }
  const body = ruleLines(rule, seq).map(l => ' '.repeat(keyCol + seq) + l);
  if (Array.isArray(list) || list === null) {
    // `ingress: []` or `ingress:` — replace the empty value by the block list.
    const [ks2, ke2] = locator.offsetsOf({ doc: policy.doc, path: [...spec, rule.direction], part: 'key' });
    const [vs, ve] = locator.offsetsOf({ doc: policy.doc, path: [...spec, rule.direction] });
    const from = ke2 + text.slice(ke2).indexOf(':') + 1;
    if (ks2 >= vs) return { fileId: policy.fileId, anchor: { offsets: [from, from] }, newText: '\n' + body.join('\n') };
    return { fileId: policy.fileId, anchor: { offsets: [from, Math.max(from, ve)] }, newText: '\n' + body.join('\n') };
  }
  if (list !== undefined) return undefined;
  // No list at all: a new key after the last line of spec.
  const [, se] = locator.offsetsOf({ doc: policy.doc, path: spec });
  const at = lineEnd(locator.lines, text, se);
  return {
    fileId: policy.fileId,
    anchor: { offsets: [at, at] },
    newText: `\n${' '.repeat(keyCol)}${rule.direction}:\n${body.join('\n')}`,
  };
}
