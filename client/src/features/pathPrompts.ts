import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

/**
 * The prompts of "Preview Traffic Path": the entry kind, the entry, and the destination. Typed
 * text filters the workspace's entries and Enter takes the highlighted one; text that matches
 * none is taken as typed (with the kind's prefix added), checked by tracing it, and when the
 * server rejects it, or the path fails before it reaches anything in the workspace, the same
 * prompt comes back with the reason and the text kept.
 */
export interface Suggestion {
  value: string;
  kind: string;
  label: string;
  description: string;
}
export interface EntryKindInfo {
  kind: string;
  label: string;
  /** Entries of this kind in the workspace, and the first of them. */
  count: number;
  example: string;
  syntax: string;
}
export interface EntriesResult {
  kinds: EntryKindInfo[];
  entries: Suggestion[];
  destinations: Suggestion[];
  suggested?: { from?: string; to?: string };
}
export interface Target {
  from: string;
  to?: string;
  /** The document the command ran from: the trace uses its analysis unit. */
  uri?: string;
}

interface HopLike {
  status: string;
  title: string;
  detail: string[];
  source?: unknown;
  branches?: { hops: HopLike[] }[];
}
type PathResult = { model: { title: string; status: string; hops: HopLike[] } } | { error: string };

/** Picks the traffic path to show, or undefined when the person cancels. */
export async function chooseTarget(
  client: LanguageClient,
  arg: Partial<Target> | undefined,
): Promise<Target | undefined> {
  const editor = vscode.window.activeTextEditor;
  const uri = arg?.uri ?? (editor ? editor.document.uri.toString() : undefined);
  const entries = await client.sendRequest<EntriesResult>(
    'kubeNetlint/traceEntries',
    editor ? { uri: editor.document.uri.toString(), position: editor.selection.active } : {},
  );
  const suggested = entries.suggested ?? {};
  const check = (from: string, to: string | undefined) => problemOf(client, { from, to, uri });
  let from = arg?.from;
  let to = arg?.to;
  if (!from) {
    const kind = await pickKind(entries, suggested.from);
    if (!kind) return undefined;
    const items = entries.entries.filter(e => e.kind === kind.kind);
    const needsTo = kind.kind === 'pod' || kind.kind === 'container';
    from = await prompt({
      title: `Preview traffic path: ${kind.label}`,
      items,
      preset: suggested.from?.startsWith(`${kind.kind}:`) ? suggested.from : undefined,
      placeholder: kind.count ? `e.g. ${kind.example}, or type ${kind.syntax}` : `type ${kind.syntax}`,
      prefix: `${kind.kind}:`,
      // A pod or container calls somewhere: check the entry with the first destination it could call.
      check: v => check(v, needsTo ? destinationsFor(entries, kind.kind)[0]?.value : undefined),
    });
    if (!from) return undefined;
  }
  const kindOf = from.split(':')[0];
  if (!to && (kindOf === 'pod' || kindOf === 'container' || !arg?.from)) {
    const dests = destinationsFor(entries, kindOf);
    const optional = kindOf !== 'pod' && kindOf !== 'container';
    const syntax = kindOf === 'container' ? 'localhost:<port>' : '<service>[.<namespace>]:<port>';
    const entry = from;
    to = await prompt({
      title: optional ? 'Then call (optional: Escape to stop at the receiving pod)' : 'Destination the pod calls',
      items: dests,
      preset: suggested.to,
      placeholder: dests.length ? `e.g. ${dests[0].value}, or type ${syntax}` : `type ${syntax}`,
      check: v => check(entry, v),
    });
    if (!to && !optional) return undefined;
  }
  return { from, to: to || undefined, uri };
}

function destinationsFor(entries: EntriesResult, kind: string): Suggestion[] {
  return kind === 'container'
    ? entries.destinations.filter(d => d.value.startsWith('localhost:'))
    : entries.destinations.filter(d => !d.value.startsWith('localhost:'));
}

/** The entry kinds: the one at the cursor first, then those the workspace has, with its own examples. */
async function pickKind(entries: EntriesResult, fromCursor: string | undefined): Promise<EntryKindInfo | undefined> {
  const cursorKind = fromCursor?.split(':')[0];
  const rank = (k: EntryKindInfo) => (k.kind === cursorKind ? 0 : k.count ? 1 : 2);
  const items = [...entries.kinds]
    .sort((a, b) => rank(a) - rank(b))
    .map(k => ({
      label: k.label,
      description:
        k.kind === cursorKind
          ? `from the cursor: ${fromCursor}`
          : k.count
            ? `${k.count} in this workspace, e.g. ${k.example}`
            : 'none in this workspace',
      info: k,
    }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Preview traffic path: entry kind',
    placeHolder: 'Where does the packet enter?',
    matchOnDescription: true,
  });
  return picked?.info;
}

interface PromptOptions {
  title: string;
  items: Suggestion[];
  preset?: string;
  placeholder: string;
  /** Added to typed text that lacks it (`ingress:`), so `cart` means `ingress:cart`. */
  prefix?: string;
  /** A reason to ask again, or undefined when the value will do. */
  check(value: string): Promise<string | undefined>;
}

/** Asks until the value passes its check or the person cancels. */
async function prompt(o: PromptOptions): Promise<string | undefined> {
  let error: string | undefined;
  let text: string | undefined;
  for (;;) {
    const answer = await pickOrType(o, error, text);
    if (!answer) return undefined;
    if (!answer.typed) return answer.value;
    const value = o.prefix && !/^[a-z]+:/i.test(answer.value) ? `${o.prefix}${answer.value}` : answer.value;
    error = await o.check(value);
    if (!error) return value;
    text = answer.value;
  }
}

type Item = vscode.QuickPickItem & { value: string; typed?: boolean };

function pickOrType(
  o: PromptOptions,
  error: string | undefined,
  text: string | undefined,
): Promise<{ value: string; typed: boolean } | undefined> {
  return new Promise(resolve => {
    const qp = vscode.window.createQuickPick<Item>();
    qp.title = error ? `${o.title} — ✗ ${error}` : o.title;
    qp.placeholder = o.placeholder;
    qp.matchOnDescription = true;
    const base: Item[] = o.items.map(i => ({ label: i.value, description: i.description, value: i.value }));
    if (o.preset && !base.some(b => b.value === o.preset))
      base.unshift({ label: o.preset, description: 'from the cursor', value: o.preset });
    else if (o.preset) base.sort((a, b) => (a.value === o.preset ? -1 : b.value === o.preset ? 1 : 0));
    // "Use as typed" must never be the highlighted item while an entry matches. VS Code ranks
    // items whose label matches the typed text first, so the typed text goes in its description,
    // and the item comes last; alwaysShow keeps it (then highlighted) when nothing matches.
    const update = (v: string) => {
      qp.items =
        v && !base.some(b => b.value === v)
          ? [...base, { label: '$(edit) Use as typed', description: v, value: v, typed: true, alwaysShow: true }]
          : base;
    };
    qp.items = base;
    if (text) {
      qp.value = text;
      update(text);
    }
    qp.onDidChangeValue(update);
    let done = false;
    qp.onDidAccept(() => {
      const item = qp.activeItems[0] ?? qp.selectedItems[0];
      const value = item?.value ?? qp.value;
      if (!value) return;
      done = true;
      resolve({ value, typed: item ? !!item.typed : true });
      qp.hide();
    });
    qp.onDidHide(() => {
      if (!done) resolve(undefined);
      qp.dispose();
    });
    qp.show();
  });
}

/** Why a typed entry will not do: the server rejects it, or the path fails before reaching anything of the workspace. */
async function problemOf(client: LanguageClient, target: Target): Promise<string | undefined> {
  if (target.from.match(/^(pod|container):/) && !target.to) return undefined;
  const r = await client.sendRequest<PathResult>('kubeNetlint/tracePath', target);
  if ('error' in r) return r.error;
  if (r.model.status === 'ok') return undefined;
  for (const h of r.model.hops) {
    if (h.source) return undefined;
    if (h.status === 'failed') return h.title;
  }
  return undefined;
}
