import type { Connection } from 'vscode-languageserver/node';
import type { Project, Workspace } from '../../engine';

/** What a custom-request module gets from the server. */
export interface RequestContext {
  connection: Connection;
  /**
   * One unit's analysed Workspace, brought up to date before it is returned: the unit named,
   * else the unit of the file (a fileId), else the largest unit.
   */
  workspace(fileId?: string, unit?: string): Workspace;
  /** The whole project (every unit), brought up to date. */
  project(): Project;
  toFileId(uri: string): string;
  toUri(fileId: string): string;
}
