/**
 * Text and Markdown renderings of a PathModel. Pure functions over the model (no engine
 * imports but the leaf Markdown escaper), so the CLI and the webview's "copy as Markdown" produce the same words.
 */
import { LANE_TITLES, PathModel, Hop, SourceLink } from './model';
import { codeSpan, escapeText as md } from '../text/markdown';

export function locationText(s: SourceLink): string {
  return `${s.fileId}:${s.range.start.line + 1}:${s.range.start.character + 1}`;
}

export function renderText(model: PathModel, opts: { fileLabel?: (fileId: string) => string } = {}): string {
  const label = (s: SourceLink) =>
    `${opts.fileLabel ? opts.fileLabel(s.fileId) : s.fileId}:${s.range.start.line + 1}:${s.range.start.character + 1}`;
  const lines: string[] = [];
  lines.push(`Traffic path ${model.title}: ${model.status === 'ok' ? 'OK' : 'BROKEN'}`);
  let n = 0;
  const hop = (h: Hop, indent: string) => {
    n++;
    const mark = h.status === 'failed' ? '✗' : '✓';
    lines.push(
      `${indent}${mark} ${String(n).padStart(2)}. [${LANE_TITLES[h.lane]}] ${h.title}${h.rule ? `  (${h.rule})` : ''}`,
    );
    for (const d of h.detail) lines.push(`${indent}        ${d}`);
    if (h.source) lines.push(`${indent}        at ${label(h.source)}`);
    for (const b of h.branches ?? []) {
      lines.push(`${indent}    ├─ branch ${b.label} — ${b.probabilityText}${b.status === 'failed' ? ' — BROKEN' : ''}`);
      for (const x of b.hops) hop(x, `${indent}    │ `);
    }
  };
  for (const h of model.hops) hop(h, '');
  if (model.assumptions.length) {
    lines.push('Assumptions:');
    for (const a of model.assumptions) lines.push(`  - ${a}`);
  }
  return lines.join('\n');
}

/** Markdown for pasting into an issue or a chat: a numbered list, branches nested. */
export function renderMarkdown(model: PathModel): string {
  const out: string[] = [];
  out.push(`### Traffic path ${codeSpan(model.title)} — ${model.status === 'ok' ? 'OK' : '**broken**'}`, '');
  const hop = (h: Hop, indent: string, i: number) => {
    const mark = h.status === 'failed' ? '❌' : '✅';
    out.push(
      `${indent}${i}. ${mark} **${md(LANE_TITLES[h.lane])}** — ${md(h.title)}${h.rule ? ` (${codeSpan(h.rule)})` : ''}${h.source ? ` — ${codeSpan(locationText(h.source))}` : ''}`,
    );
    for (const d of h.detail) out.push(`${indent}   - ${codeIfRule(d)}`);
    (h.branches ?? []).forEach(b => {
      out.push(
        `${indent}   - branch **${md(b.label)}** — ${md(b.probabilityText)}${b.status === 'failed' ? ' — **broken**' : ''}`,
      );
      b.hops.forEach((x, j) => hop(x, `${indent}     `, j + 1));
    });
  };
  model.hops.forEach((h, i) => hop(h, '', i + 1));
  if (model.assumptions.length) {
    out.push('', '_Assumptions:_');
    for (const a of model.assumptions) out.push(`- ${md(a)}`);
  }
  return out.join('\n') + '\n';
}

/** iptables rule lines read best as code; everything else is escaped prose. */
function codeIfRule(d: string): string {
  return /^-A [A-Z]/.test(d) ? codeSpan(d) : md(d);
}
