import type { Anchor } from '../parse/locate';

/** A place in a file: front ends turn it into a range (`Workspace.rangeIn`) to link to the YAML. */
export interface SourceRef {
  fileId: string;
  anchor: Anchor;
}
