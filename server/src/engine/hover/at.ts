import type { Workspace } from '../workspace';
import type { Resource } from '../model/resource';
import type { Path } from '../parse/locate';
import type { Range } from '../text/lineIndex';
import { escapeText, markdownLink } from '../text/markdown';

/** The resource under a text offset, the path inside it, and the range of the hovered node. */
export interface HoverTarget {
  resource: Resource;
  rel: Path;
  path: Path;
  part: 'key' | 'value';
  range: Range;
}

export function hoverTarget(ws: Workspace, fileId: string, offset: number): HoverTarget | undefined {
  const file = ws.file(fileId);
  if (!file || file.kind !== 'yaml' || file.resources.length === 0) return undefined;
  const at = file.locator.pathAt(offset);
  if (!at) return undefined;
  // The deepest resource (List items) whose base is a prefix of the path.
  let best: Resource | undefined;
  for (const r of file.resources) {
    if (r.doc !== at.doc || r.base.length > at.path.length) continue;
    if (!r.base.every((seg, i) => at.path[i] === seg)) continue;
    if (!best || r.base.length > best.base.length) best = r;
  }
  if (!best) return undefined;
  const range = file.locator.rangeOf({ doc: at.doc, path: at.path, part: at.part });
  return { resource: best, rel: at.path.slice(best.base.length), path: at.path, part: at.part, range };
}

export function startsWith(path: Path, prefix: Path): boolean {
  return prefix.length <= path.length && prefix.every((s, i) => path[i] === s);
}

/** A Markdown link to a resource when the fileId is a URI (the editor), else its plain name; `label` is plain text (escaped here). */
export function linkTo(ws: Workspace, r: Resource, label: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(r.fileId)) return escapeText(label);
  const file = ws.file(r.fileId);
  const line = file ? file.locator.rangeOf({ doc: r.doc, path: [...r.base, 'metadata', 'name'] }).start.line + 1 : 1;
  return markdownLink(label, `${r.fileId}#L${line}`);
}
