import type { Project } from './project';
import type { Unit } from './unit';

/**
 * What the Project asks of the renderers (render/): keep each Kustomize and Helm unit's
 * rendered content current, off the request path. The Project stays usable without one (every
 * unit plain), which keeps this folder free of process handling.
 */
export interface RenderService {
  attach(project: Project): void;
  /** A unit was created or its file set changed. */
  reshaped(unit: Unit): void;
  /** A member of the unit changed. */
  inputChanged(unit: Unit): void;
  /** Any file changed (it may be a generator source that is not a member). */
  fileChanged(fileId: string): void;
  /** The unit no longer exists. */
  dropped(unit: Unit): void;
  /** Resolves when nothing is queued or running. */
  settled(): Promise<void>;
}
