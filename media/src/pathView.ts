/**
 * The traffic path webview. It receives a PathModel by message and draws it as a vertical flow
 * with five lanes. Everything from the workspace is user data (names, label values), so the DOM
 * is built with createElement/textContent only: no innerHTML, no inline handlers, no eval.
 * Messages to the host: {type:'ready'}, {type:'reveal', hopId, source}, {type:'copyMarkdown', markdown}.
 */
import { LANES, LANE_TITLES, type Hop, type PathModel, type Branch } from '../../server/src/engine/path/model';
import { renderMarkdown } from '../../server/src/engine/path/render';

interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(s: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
let current: PathModel | undefined;

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

const branchHolders = new WeakMap<HTMLLIElement, HTMLLIElement>();

function renderHop(h: Hop): HTMLLIElement {
  const li = el('li', `hop lane-${h.lane} ${h.status}`);
  li.dataset.hopId = h.id;
  li.tabIndex = 0;
  li.setAttribute('role', h.source ? 'button' : 'listitem');
  const lane = LANES.indexOf(h.lane);
  const card = el('div', 'card');
  card.style.setProperty('--lane', String(lane + 1));
  const head = el('div', 'head');
  head.append(
    el('span', 'mark', h.status === 'failed' ? '✗' : '✓'),
    el('span', 'lane-badge', LANE_TITLES[h.lane]),
    el('span', 'hop-title', h.title),
  );
  if (h.rule) head.append(el('code', 'rule', h.rule));
  card.append(head);
  if (h.detail.length) {
    const ul = el('ul', 'detail');
    for (const d of h.detail) ul.append(/^-A [A-Z]/.test(d) ? ruleLine(d) : el('li', undefined, d));
    card.append(ul);
  }
  if (h.source) card.append(el('div', 'source', `${fileLabel(h.source.fileId)}:${h.source.range.start.line + 1}`));
  li.setAttribute(
    'aria-label',
    `${LANE_TITLES[h.lane]}: ${h.title}${h.status === 'failed' ? ' (failed)' : ''}${h.source ? ', press Enter to show the source' : ''}`,
  );
  li.append(card);
  if (h.branches?.length) {
    // Branches follow their hop as a sibling item of the same flow.
    const wrap = el('ol', 'branches');
    for (const b of h.branches) wrap.append(renderBranch(b));
    const holder = el('li', 'branch-holder');
    holder.append(wrap);
    branchHolders.set(li, holder);
  }
  return li;
}

/**
 * A rule line, one unbreakable span per token: browsers also break after hyphens
 * (KUBE-SVC-… , --to-destination), so only the spaces between tokens may wrap. Copying the line
 * still gives the rule as kube-proxy writes it.
 */
function ruleLine(text: string): HTMLLIElement {
  const li = el('li', 'rule-line');
  for (const m of text.matchAll(/(\s+)|(\S+)/g)) {
    if (m[1]) li.append(document.createTextNode(m[1]));
    else li.append(el('span', 'tok', m[2]));
  }
  return li;
}

function renderBranch(b: Branch): HTMLLIElement {
  const li = el('li', `branch ${b.status}`);
  li.dataset.branchId = b.id;
  const head = el('div', 'branch-head');
  head.append(el('span', 'branch-label', b.label), el('span', 'probability', b.probabilityText));
  li.append(head, renderFlow(b.hops));
  return li;
}

function renderFlow(hops: Hop[]): HTMLOListElement {
  const ol = el('ol', 'flow');
  for (const h of hops) {
    const li = renderHop(h);
    ol.append(li);
    const holder = branchHolders.get(li);
    if (holder) ol.append(holder);
  }
  return ol;
}

function findHop(hops: Hop[], id: string): Hop | undefined {
  for (const h of hops) {
    if (h.id === id) return h;
    for (const b of h.branches ?? []) {
      const f = findHop(b.hops, id);
      if (f) return f;
    }
  }
  return undefined;
}

function render(model: PathModel): void {
  current = model;
  vscode.setState({ model });
  const root = document.getElementById('root')!;
  root.replaceChildren();
  const header = el('header');
  const h1 = el('h1', undefined, model.title);
  const status = el('span', `status ${model.status}`, model.status === 'ok' ? 'reaches a container' : 'broken');
  const copy = el('button', 'copy', 'Copy as Markdown');
  copy.type = 'button';
  copy.id = 'copy-markdown';
  copy.addEventListener('click', () => vscode.postMessage({ type: 'copyMarkdown', markdown: renderMarkdown(model) }));
  header.append(h1, status);
  if (model.status !== 'ok') {
    // A broken hop can sit below several expanded branches: one key or click takes you there.
    const jump = el('button', 'jump', 'First broken hop');
    jump.type = 'button';
    jump.id = 'first-broken';
    jump.title = 'Show the first hop where the path breaks (key: b)';
    jump.setAttribute('aria-keyshortcuts', 'b');
    jump.addEventListener('click', jumpToFirstBroken);
    header.append(jump);
  }
  header.append(copy);
  const legend = el('div', 'legend');
  legend.setAttribute('aria-hidden', 'true');
  LANES.forEach((l, i) => {
    const s = el('span', `lane-head lane-${l}`, LANE_TITLES[l]);
    s.style.setProperty('--lane', String(i + 1));
    legend.append(s);
  });
  const flow = renderFlow(model.hops);
  flow.classList.add('top');
  flow.setAttribute('aria-label', 'Hops of the traffic path');
  root.append(header, legend, flow);
  if (model.assumptions.length) {
    const sec = el('section', 'assumptions');
    sec.append(el('h2', undefined, 'Assumptions'));
    const ul = el('ul');
    for (const a of model.assumptions) ul.append(el('li', undefined, a));
    sec.append(ul);
    root.append(sec);
  }
}

/** Focuses the first failed hop in reading order (branches included) and scrolls it into view. */
function jumpToFirstBroken(): void {
  const li = document.querySelector<HTMLElement>('li.hop.failed');
  if (!li) return;
  li.focus({ preventScroll: true });
  li.scrollIntoView({ block: 'center' });
}

function reveal(li: HTMLElement): void {
  const id = li.dataset.hopId;
  if (!id || !current) return;
  const hop = findHop(current.hops, id);
  if (hop?.source) vscode.postMessage({ type: 'reveal', hopId: id, source: hop.source });
}

document.addEventListener('click', e => {
  const li = (e.target as HTMLElement | null)?.closest<HTMLElement>('li.hop');
  if (li) {
    li.focus();
    reveal(li);
  }
});

document.addEventListener('keydown', e => {
  if (e.key === 'b' && !e.ctrlKey && !e.metaKey && !e.altKey) {
    e.preventDefault();
    jumpToFirstBroken();
    return;
  }
  const li = (e.target as HTMLElement | null)?.closest<HTMLElement>('li.hop');
  if (!li) return;
  const all = [...document.querySelectorAll<HTMLElement>('li.hop')];
  const i = all.indexOf(li);
  let next: HTMLElement | undefined;
  if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    reveal(li);
    return;
  }
  if (e.key === 'ArrowDown' || e.key === 'j') next = all[i + 1];
  else if (e.key === 'ArrowUp' || e.key === 'k') next = all[i - 1];
  else if (e.key === 'Home') next = all[0];
  else if (e.key === 'End') next = all[all.length - 1];
  if (next) {
    e.preventDefault();
    next.focus();
  }
});

window.addEventListener('message', e => {
  const msg = e.data as { type?: string; model?: PathModel; error?: string };
  if (msg?.type === 'model' && msg.model) render(msg.model);
  else if (msg?.type === 'error') {
    const root = document.getElementById('root')!;
    root.replaceChildren(el('p', 'error', msg.error ?? 'error'));
  }
});

const saved = vscode.getState() as { model?: PathModel } | undefined;
if (saved?.model) render(saved.model);
vscode.postMessage({ type: 'ready' });
