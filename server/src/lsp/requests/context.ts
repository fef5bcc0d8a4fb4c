import type { Connection } from 'vscode-languageserver/node';
import type { Workspace } from '../../engine';

/** What a custom-request module gets from the server. */
export interface RequestContext {
  connection: Connection;
  /** The analysed workspace, brought up to date before it is returned. */
  workspace(): Workspace;
  toFileId(uri: string): string;
  toUri(fileId: string): string;
}
