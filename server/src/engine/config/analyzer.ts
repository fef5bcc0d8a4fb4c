import * as path from 'node:path';
import type { GlobalAnalyzer, Workspace } from '../workspace';
import type { Finding } from '../findings';
import { CONFIG_FILE_NAME, configFileProblems } from './config';

/**
 * Problems of every `.kube-netlint.yaml` in the workspace, as `config-invalid` diagnostics at the
 * exact key or value: the editor shows them like any finding (no pop-ups), and the CLI refuses
 * to run with them (exit 2, file:line on stderr).
 */
export const configAnalyzer: GlobalAnalyzer = {
  id: 'config',
  interestedIn: file => isConfigFile(file.fileId),
  run(ws: Workspace): Map<string, Finding[]> {
    const out = new Map<string, Finding[]>();
    for (const file of ws.allFiles()) {
      if (!isConfigFile(file.fileId)) continue;
      out.set(
        file.fileId,
        configFileProblems(file.text).map(p => ({
          rule: 'config-invalid',
          severity: 'error',
          message: p.message,
          fileId: file.fileId,
          anchor: { offsets: [p.start, p.end] },
          related: [],
          fixes: [],
        })),
      );
    }
    return out;
  },
};

export function isConfigFile(fileId: string): boolean {
  return path.basename(fileId.replace(/\\/g, '/').replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '')) === CONFIG_FILE_NAME;
}
