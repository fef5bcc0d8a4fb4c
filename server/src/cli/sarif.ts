import type * as Sarif from 'sarif';
import { pathToFileURL } from 'node:url';
import type { LocatedDiagnostic, Severity } from '../engine';
import type { Range } from '../engine/text/lineIndex';
import { ruleCatalog } from '../engine/ruleCatalog';

/** The base the relative artifact URIs resolve against: the working directory (code scanning: the checkout). */
const BASE = '%SRCROOT%';

const LEVEL: Record<Severity, Sarif.ReportingConfiguration.level> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
};

/** A path relative to the working directory as a URI reference (forward slashes, escaped). */
export function relativeUri(p: string): string {
  return p.split(/[\\/]/).map(encodeURIComponent).join('/');
}

/** LSP ranges are 0-based, end-exclusive, in UTF-16 code units; SARIF regions are 1-based, end-exclusive. */
function region(r: Range): Sarif.Region {
  return {
    startLine: r.start.line + 1,
    startColumn: r.start.character + 1,
    endLine: r.end.line + 1,
    endColumn: r.end.character + 1,
  };
}

function location(fileId: string, r: Range): Sarif.PhysicalLocation {
  return { artifactLocation: { uri: relativeUri(fileId), uriBaseId: BASE }, region: region(r) };
}

/**
 * SARIF 2.1.0 for GitHub code scanning and other SARIF viewers. `diagnostics` carry paths
 * relative to `cwd` already. Every code kube-netlint can report is listed as a rule (id,
 * description, help URI, default level), so a viewer can show a rule before it ever fires.
 */
export function toSarif(
  diagnostics: readonly LocatedDiagnostic[],
  options: { version: string; cwd?: string },
): Sarif.Log {
  const rules = ruleCatalog();
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const cwd = options.cwd ?? process.cwd();
  const results: Sarif.Result[] = diagnostics.map(d => {
    const result: Sarif.Result = {
      ruleId: d.code,
      level: LEVEL[d.severity],
      message: { text: d.message },
      locations: [{ physicalLocation: location(d.fileId, d.range) }],
    };
    const ruleIndex = index.get(d.code);
    if (ruleIndex !== undefined) result.ruleIndex = ruleIndex;
    if (d.related.length)
      result.relatedLocations = d.related.map((r, i) => ({
        id: i + 1,
        physicalLocation: location(r.fileId, r.range),
        message: { text: r.message },
      }));
    return result;
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'kube-netlint',
            version: options.version,
            semanticVersion: /^\d+\.\d+\.\d+/.test(options.version) ? options.version : undefined,
            informationUri: 'https://github.com/kube-netlint/kube-netlint',
            rules: rules.map(r => ({
              id: r.id,
              shortDescription: { text: r.summary },
              fullDescription: { text: r.summary },
              helpUri: r.helpUri,
              help: { text: `${r.summary} See ${r.helpUri}` },
              defaultConfiguration: { level: LEVEL[r.defaultSeverity] },
            })),
          },
        },
        originalUriBaseIds: { [BASE]: { uri: pathToFileURL(cwd).href.replace(/\/?$/, '/') } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}
