import type { Anchor } from '../../parse/locate';
import type { Finding, Fix, RelatedInfo, Severity } from '../../findings';
import type { Workspace } from '../../workspace';
import type { AddressPlan, PlanEntry, Source } from '../model';
import type { Contribution } from '../extract/contribution';
import { comparable, Placed } from '../build';

export interface PlanFinding {
  fileId: string;
  anchor: Anchor;
  message: string;
  severity?: Severity;
  related?: RelatedInfo[];
  fixes?: Fix[];
  /** The exact text the anchor should be narrowed to (a CIDR inside a quoted scalar or a list). */
  exact?: string;
}

export interface PlanRuleContext {
  ws: Workspace;
  plan: AddressPlan;
  contributions: readonly Contribution[];
  /** Whether two values belong to the same cluster (see build.ts `comparable`). */
  comparable(a: Placed, b: Placed): boolean;
  report(f: PlanFinding): void;
}

/** A rule over the address plan; one file per rule, listed in rules/index.ts, documented in docs/rules/<id>.md. */
export interface PlanRule {
  id: string;
  defaultSeverity: Severity;
  summary: string;
  check(ctx: PlanRuleContext): void;
}

/** "10.244.0.0/16 (kubeadm networking.podSubnet)", with the written form when it differs and the origin when not declared. */
export function describe(e: PlanEntry): string {
  const origin = e.origin === 'declared' ? '' : e.origin === 'setting' ? ', user setting' : `, ${e.origin}`;
  const written = e.cidr.text === e.cidr.network ? '' : ` written as ${e.cidr.text}`;
  return `${e.cidr.network} (${e.label}${written}${origin})`;
}

export function where(ws: Workspace, s: Source | undefined): string {
  if (!s) return 'settings/defaults';
  const f = ws.file(s.fileId);
  if (!f) return s.fileId;
  const line = f.locator.rangeOf(s.anchor).start.line + 1;
  return `${s.fileId.replace(/^.*[\\/]/, '')}:${line}`;
}

export function relatedEntry(e: PlanEntry, message: string): RelatedInfo[] {
  return e.source ? [{ fileId: e.source.fileId, anchor: e.source.anchor, message }] : [];
}

export { comparable };
export type { Finding };
