import type { LocatedDiagnostic } from '../diagnostic';
import { compareDiagnostics } from '../diagnostic';
import type { UnitKind } from './discover';

export interface UnitLabel {
  name: string;
  kind: UnitKind;
  /** Helm: the values set. */
  valueSet?: string;
}

/**
 * One file's diagnostics from every unit it belongs to, each finding once. A file in several
 * units (a base in two overlays, a chart with two values sets) says where a finding holds:
 * "(in overlay prod)" or "(in overlays dev, prod)"; a finding is the same when its rule and
 * range are (messages may differ by the names an overlay gives the objects).
 */
export function mergeAcrossUnits(
  memberOf: readonly UnitLabel[],
  perUnit: readonly { unit: UnitLabel; diagnostics: readonly LocatedDiagnostic[] }[],
): LocatedDiagnostic[] {
  const nonEmpty = perUnit.filter(p => p.diagnostics.length);
  if (memberOf.length <= 1 && nonEmpty.length <= 1) return [...(nonEmpty[0]?.diagnostics ?? [])];
  const groups = new Map<string, { d: LocatedDiagnostic; units: UnitLabel[]; related: LocatedDiagnostic['related'] }>();
  for (const { unit, diagnostics } of perUnit) {
    for (const d of diagnostics) {
      const k = `${d.code}\u0000${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`;
      const g = groups.get(k);
      if (!g) {
        groups.set(k, { d, units: [unit], related: [...d.related] });
        continue;
      }
      if (!g.units.includes(unit)) g.units.push(unit);
      for (const r of d.related)
        if (!g.related.some(x => x.fileId === r.fileId && sameRange(x.range, r.range))) g.related.push(r);
    }
  }
  const labels = shortLabels(memberOf);
  const out: LocatedDiagnostic[] = [];
  for (const { d, units, related } of groups.values()) {
    const where = memberOf.length > 1 ? ` (${describe(units, labels)})` : '';
    out.push({ ...d, message: d.message + where, related });
  }
  return out.sort(compareDiagnostics);
}

function sameRange(a: LocatedDiagnostic['range'], b: LocatedDiagnostic['range']): boolean {
  return (
    a.start.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end.line === b.end.line &&
    a.end.character === b.end.character
  );
}

/** "in overlay prod", "in overlays dev, prod", "in values sets default, prod", "in units a, b". */
function describe(units: UnitLabel[], labels: Map<UnitLabel, string>): string {
  const names = units.map(u => labels.get(u) ?? u.name).sort();
  const kinds = new Set(units.map(u => u.kind));
  const noun =
    kinds.size === 1 && kinds.has('kustomize')
      ? 'overlay'
      : kinds.size === 1 && kinds.has('helm') && units.every(u => u.valueSet)
        ? 'values set'
        : 'unit';
  return `in ${noun}${names.length > 1 ? 's' : ''} ${names.join(', ')}`;
}

/** The last path segment when it tells the file's units apart (dev, prod), else the whole name. */
function shortLabels(units: readonly UnitLabel[]): Map<UnitLabel, string> {
  const short = (u: UnitLabel) =>
    u.kind === 'helm' && u.valueSet ? u.valueSet : (u.name.split('/').filter(Boolean).pop() ?? u.name);
  const counts = new Map<string, number>();
  for (const u of units) counts.set(short(u), (counts.get(short(u)) ?? 0) + 1);
  return new Map(units.map(u => [u, counts.get(short(u)) === 1 ? short(u) : u.name]));
}
