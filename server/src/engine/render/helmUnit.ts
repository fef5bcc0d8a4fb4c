import type { Project } from '../units/project';
import type { RenderedContent, Unit, UnitNote } from '../units/unit';
import type { Tool } from './tool';

export type NoteMaker = (
  code: string,
  severity: UnitNote['severity'],
  message: string,
  where?: { path: string; line?: number },
) => UnitNote;

/** Renders a Helm unit (see helm.ts) and maps its objects to templates. */
export async function renderHelmUnit(
  project: Project,
  unit: Unit,
  tool: Tool,
  note: NoteMaker,
): Promise<{ content: RenderedContent } | { note: UnitNote }> {
  void project;
  void tool;
  return { note: note('render-failed', 'information', `Helm rendering of ${unit.name} is not available yet.`) };
}
