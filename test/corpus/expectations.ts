import * as fs from 'node:fs';
import * as path from 'node:path';
import { CorpusFinding } from './collect';

/**
 * The checked-in record of what kube-netlint reports on the real-world corpus. Findings are
 * grouped into categories; each category carries one justification that says why the findings
 * are right (a true problem) or why they are tolerated (a documented limitation), or flags them
 * as a suspected false positive for the rule's owner. `files` (a regex over the path relative to
 * the set) decides which category a regenerated finding falls into, so the update script can
 * keep justifications while findings move.
 */
export const EXPECTATIONS_FILE = path.join(__dirname, 'expectations.json');

export const CLASSES = ['true-problem', 'limitation', 'suspected-false-positive'] as const;
export type CategoryClass = (typeof CLASSES)[number] | 'TODO';
export const TODO = 'TODO justify';

export interface Category {
  rule: string;
  /** Regex over the file path relative to the set. */
  files: string;
  class: CategoryClass;
  justification: string;
  /** `<file>:<line> <severity>`, sorted. */
  findings: string[];
}

export interface Expectations {
  about: string[];
  sets: Record<string, Category[]>;
}

export function readExpectations(file = EXPECTATIONS_FILE): Expectations {
  if (!fs.existsSync(file)) return { about: [], sets: {} };
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Expectations;
}

export function writeExpectations(e: Expectations, file = EXPECTATIONS_FILE): void {
  fs.writeFileSync(file, JSON.stringify(e, null, 2) + '\n');
}

export function entryOf(f: CorpusFinding): string {
  return `${f.file}:${f.line} ${f.severity}`;
}

/** `rule file:line severity`: the identity the test compares (one entry per finding). */
export function keyOf(rule: string, entry: string): string {
  return `${rule} ${entry}`;
}

export function categoryAccepts(c: Category, f: CorpusFinding): boolean {
  return c.rule === f.rule && new RegExp(c.files).test(f.file);
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Re-files the current findings of one set into its categories: each finding goes to the first
 * category of its rule whose `files` pattern matches; the rest form one new TODO category per
 * rule. Categories left without findings are dropped (and returned, so the caller can say so).
 */
export function refile(
  old: Category[],
  findings: CorpusFinding[],
): { categories: Category[]; dropped: Category[]; added: Category[] } {
  const categories = old.map(c => ({ ...c, findings: [] as string[] }));
  const orphans = new Map<string, CorpusFinding[]>();
  for (const f of findings) {
    const c = categories.find(x => categoryAccepts(x, f));
    if (c) c.findings.push(entryOf(f));
    else orphans.set(f.rule, [...(orphans.get(f.rule) ?? []), f]);
  }
  const added: Category[] = [];
  for (const [rule, fs] of orphans) {
    const files = [...new Set(fs.map(f => f.file))];
    added.push({
      rule,
      files: `^(${files.map(escapeRegex).join('|')})$`,
      class: 'TODO',
      justification: TODO,
      findings: fs.map(entryOf),
    });
  }
  const kept = [...categories.filter(c => c.findings.length > 0), ...added];
  for (const c of kept) c.findings.sort(compareEntries);
  return { categories: kept, dropped: categories.filter(c => c.findings.length === 0), added };
}

export function compareEntries(a: string, b: string): number {
  const pa = /^(.*):(\d+) (\S+)$/.exec(a),
    pb = /^(.*):(\d+) (\S+)$/.exec(b);
  if (!pa || !pb) return a.localeCompare(b);
  return pa[1].localeCompare(pb[1]) || Number(pa[2]) - Number(pb[2]) || pa[3].localeCompare(pb[3]);
}
