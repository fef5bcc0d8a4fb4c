/**
 * The connectivity webview: a matrix of workloads (rows call columns), grouped by namespace,
 * each cell allowed / denied / partly with its ports, the discovered calls marked; filters by
 * namespace, name and "only workloads with calls"; a click shows why, with links to the YAML.
 * Every string comes from the workspace, so the DOM is built with createElement/textContent
 * only: no innerHTML, no inline handlers, no eval.
 * Messages to the host: {type:'ready'}, {type:'explain', src, dst}, {type:'reveal', source}.
 * From the host: {type:'matrix', matrix}, {type:'explanation', explanation}, {type:'error', error}.
 */
import type { ConnectivityMatrix, PairExplanation, SourceLink, MatrixCell } from '../../server/src/engine/calls/matrix';

interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(s: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
let matrix: ConnectivityMatrix | undefined;
const filter = { namespace: '', text: '', onlyCalls: false };
let selected: { src: string; dst: string } | undefined;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function fileLabel(fileId: string): string {
  const last = fileId.split(/[\\/]/).pop() ?? fileId;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

function linkTo(source: SourceLink | undefined, label?: string): HTMLElement {
  if (!source) return el('span', 'nolink', label ?? '');
  const a = el('button', 'link', label ?? `${fileLabel(source.fileId)}:${source.range.start.line + 1}`);
  a.type = 'button';
  a.title = `Open ${fileLabel(source.fileId)} line ${source.range.start.line + 1}`;
  a.addEventListener('click', () => vscode.postMessage({ type: 'reveal', source }));
  return a;
}

const MARK: Record<MatrixCell['status'], string> = { allowed: '✓', denied: '✗', partly: '◐' };

function visible(m: ConnectivityMatrix): number[] {
  const withCalls = new Set<number>();
  for (const c of m.cells)
    if (c.calls.length) {
      withCalls.add(c.from);
      withCalls.add(c.to);
    }
  const text = filter.text.toLowerCase();
  return m.workloads
    .map((w, i) => ({ w, i }))
    .filter(
      ({ w, i }) =>
        (!filter.namespace || w.namespace === filter.namespace) &&
        (!text || `${w.namespace}/${w.name}`.toLowerCase().includes(text)) &&
        (!filter.onlyCalls || withCalls.has(i)),
    )
    .map(x => x.i);
}

function render(): void {
  const root = document.getElementById('root')!;
  root.replaceChildren();
  if (!matrix) return;
  const m = matrix;
  const h1 = el('h1', undefined, 'Connectivity');
  const summary = el(
    'p',
    'summary',
    `${m.workloads.length} workloads in ${m.namespaces.length} namespace(s)` +
      (m.omitted ? `; ${m.omitted} more not shown` : '') +
      '. Rows call columns; cells show what the policies allow, dots the calls the workloads are configured to make.',
  );
  root.append(h1, summary, filters(m), legend());
  const rows = visible(m);
  const byPair = new Map<string, MatrixCell>();
  for (const c of m.cells) byPair.set(`${c.from},${c.to}`, c);
  const table = el('table', 'matrix');
  const thead = el('thead');
  const nsRow = el('tr', 'ns-row');
  nsRow.append(el('th', 'corner'));
  let prevNs: string | undefined;
  let span: HTMLTableCellElement | undefined;
  for (const j of rows) {
    const ns = m.workloads[j].namespace;
    if (ns !== prevNs || !span) {
      span = el('th', 'ns', ns);
      span.colSpan = 1;
      span.scope = 'colgroup';
      nsRow.append(span);
      prevNs = ns;
    } else span.colSpan++;
  }
  const colRow = el('tr', 'col-row');
  colRow.append(el('th', 'corner', 'from \\ to'));
  for (const j of rows) {
    const th = el('th', 'col');
    th.scope = 'col';
    th.append(el('span', 'col-name', m.workloads[j].name));
    th.title = m.workloads[j].id;
    colRow.append(th);
  }
  thead.append(nsRow, colRow);
  const tbody = el('tbody');
  for (const i of rows) {
    const w = m.workloads[i];
    const tr = el('tr');
    const th = el('th', 'row');
    th.scope = 'row';
    th.append(el('span', 'row-ns', `${w.namespace}/`), linkTo(w.source, w.name));
    th.title = w.id;
    tr.append(th);
    for (const j of rows) {
      const td = el('td');
      if (i === j) {
        td.className = 'self';
        tr.append(td);
        continue;
      }
      const c = byPair.get(`${i},${j}`);
      if (!c) {
        tr.append(td);
        continue;
      }
      const calls = c.calls;
      const callDenied = calls.some(x => !x.allowed);
      const b = el('button', `cell ${c.status}${calls.length ? (callDenied ? ' call-denied' : ' call-ok') : ''}`);
      b.type = 'button';
      b.dataset.src = w.id;
      b.dataset.dst = m.workloads[j].id;
      b.append(el('span', 'mark', MARK[c.status]));
      // Partly allowed: the ports, when they fit (the tooltip always has them).
      if (c.status === 'partly' && c.ports.length <= 16) b.append(el('span', 'ports', c.ports));
      if (calls.length) b.append(el('span', 'call-dot', '●'));
      const callText = calls.length
        ? `\ncalls: ${calls.map(x => `${x.port} ${x.allowed ? 'allowed' : 'DENIED'}`).join(', ')}`
        : '';
      b.title = `${w.id} → ${m.workloads[j].id}: ${c.ports}${callText}`;
      b.setAttribute('aria-label', b.title);
      if (selected && selected.src === w.id && selected.dst === m.workloads[j].id) b.classList.add('selected');
      b.addEventListener('click', () => {
        selected = { src: w.id, dst: m.workloads[j].id };
        for (const s of document.querySelectorAll('button.cell.selected')) s.classList.remove('selected');
        b.classList.add('selected');
        vscode.postMessage({ type: 'explain', src: w.id, dst: m.workloads[j].id });
      });
      td.append(b);
      tr.append(td);
    }
    tbody.append(tr);
  }
  table.append(thead, tbody);
  const wrap = el('div', 'matrix-wrap');
  wrap.append(table);
  root.append(wrap);
  if (!rows.length) root.append(el('p', 'empty', 'No workload matches the filters.'));
  const detail = el('section', 'detail');
  detail.id = 'detail';
  detail.setAttribute('aria-live', 'polite');
  detail.append(el('p', 'hint', 'Click a cell to see why.'));
  root.append(detail);
}

function filters(m: ConnectivityMatrix): HTMLElement {
  const bar = el('div', 'filters');
  const ns = el('select');
  ns.id = 'filter-namespace';
  ns.setAttribute('aria-label', 'Namespace');
  ns.append(new Option('All namespaces', ''));
  for (const n of m.namespaces) ns.append(new Option(n, n));
  ns.value = filter.namespace;
  ns.addEventListener('change', () => {
    filter.namespace = ns.value;
    render();
  });
  const text = el('input');
  text.id = 'filter-text';
  text.type = 'search';
  text.placeholder = 'Filter workloads';
  text.setAttribute('aria-label', 'Filter workloads');
  text.value = filter.text;
  text.addEventListener('input', () => {
    filter.text = text.value;
    render();
    const again = document.getElementById('filter-text') as HTMLInputElement | null;
    again?.focus();
    again?.setSelectionRange(again.value.length, again.value.length);
  });
  const only = el('input');
  only.id = 'filter-calls';
  only.type = 'checkbox';
  only.checked = filter.onlyCalls;
  only.addEventListener('change', () => {
    filter.onlyCalls = only.checked;
    render();
  });
  const label = el('label', 'check');
  label.append(only, document.createTextNode(' only workloads with calls'));
  bar.append(ns, text, label);
  return bar;
}

function legend(): HTMLElement {
  const l = el('p', 'legend');
  l.append(
    el('span', 'cell allowed', '✓ allowed'),
    el('span', 'cell partly', '◐ some ports'),
    el('span', 'cell denied', '✗ denied'),
    el('span', 'call-ok', '● call allowed'),
    el('span', 'call-denied', '● call denied'),
  );
  return l;
}

function showExplanation(e: PairExplanation): void {
  const d = document.getElementById('detail');
  if (!d) return;
  d.replaceChildren();
  d.append(el('h2', `status ${e.status}`, `${e.src} → ${e.dst}: ${e.allowed}`));
  if (e.isolation) d.append(el('p', 'isolation', e.isolation));
  if (e.calls.length) {
    d.append(el('h3', undefined, 'Configured calls'));
    const ul = el('ul', 'calls');
    for (const c of e.calls) {
      const li = el('li', c.status);
      li.append(
        el('span', 'verdict', c.status),
        document.createTextNode(' '),
        el('span', 'text', c.text),
        document.createTextNode(' '),
        linkTo(c.source),
      );
      ul.append(li);
    }
    d.append(ul);
  }
  for (const dir of e.directions) {
    d.append(el('h3', undefined, `${dir.direction} (decided by ${dir.subject}'s policies): ${dir.allowed}`));
    const ul = el('ul', 'decisions');
    for (const x of dir.decisions) {
      const li = el('li', x.verdict);
      li.append(
        el('span', 'verdict', x.verdict),
        document.createTextNode(` ${x.ports}: `),
        el('span', 'text', x.text),
        document.createTextNode(' '),
        linkTo(x.source),
      );
      ul.append(li);
    }
    d.append(ul);
  }
}

window.addEventListener('message', (ev: MessageEvent) => {
  const msg = ev.data as { type?: string; matrix?: ConnectivityMatrix; explanation?: PairExplanation; error?: string };
  if (msg?.type === 'matrix' && msg.matrix) {
    matrix = msg.matrix;
    render();
    if (selected) vscode.postMessage({ type: 'explain', ...selected });
  } else if (msg?.type === 'explanation' && msg.explanation) {
    showExplanation(msg.explanation);
  } else if (msg?.type === 'error') {
    const root = document.getElementById('root')!;
    root.replaceChildren(el('p', 'error', String(msg.error ?? 'error')));
  }
});

vscode.postMessage({ type: 'ready' });
