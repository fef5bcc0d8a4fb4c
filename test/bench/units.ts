import * as fs from 'node:fs';
import * as path from 'node:path';
import { Project, collectFiles, loadConfig, loadProject, defaultConfig } from '../../server/src/engine';
import { Renderers } from '../../server/src/engine/render/service';
import { findKustomize } from '../../server/src/engine/render/tool';
import { Distribution, distribution, now } from './measure';
import { PlannedEdit, applyEdit } from './edits';

/** Edits of plain files through the Project (units on top of the Workspace), as the server runs them. */
export function runProjectEdits(dir: string, plan: readonly PlannedEdit[]): { edits: Distribution; all: Distribution } {
  const { config } = loadConfig([dir]);
  const project = new Project({ roots: [dir], config });
  for (const f of collectFiles([dir], config).files) project.setFile(f, fs.readFileSync(f, 'utf8'));
  project.analyze();
  for (const f of project.fileIds()) project.diagnostics(f);
  const edits: number[] = [],
    all: number[] = [];
  const step = (fileId: string, text: string) => {
    const t = now();
    project.setFile(fileId, text);
    for (const f of project.analyze()) project.diagnostics(f);
    return now() - t;
  };
  for (const e of plan) {
    const original = project.text(e.fileId);
    const edited = original === undefined ? undefined : applyEdit(original, e.kind);
    if (original === undefined || edited === undefined) continue;
    const dt = step(e.fileId, edited);
    edits.push(dt);
    all.push(dt, step(e.fileId, original));
  }
  return { edits: distribution(edits), all: distribution(all) };
}

export interface KustomizeBench {
  tool: string;
  units: number;
  objects: number;
  /** Read, discover, render every unit (2 at a time) and analyse: until every unit is rendered. */
  coldMs: number;
  /** Edit one overlay's patch → that unit re-rendered and re-analysed (debounce excluded). */
  rerender: Distribution;
  /** Renders run after the edits (each edit renders its unit once). */
  rendersPerEdit: number;
  findings: number;
}

/**
 * 25 apps, each a base (Deployment + Service + ConfigMap) with a dev and a prod overlay: 50
 * Kustomize units. Prod patches the Service's targetPort, one in five with a typo, so the
 * mapping to the patch file is exercised too.
 */
export function writeKustomizeWorkspace(dir: string, apps = 25): void {
  const w = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  for (let i = 0; i < apps; i++) {
    const app = `app${String(i).padStart(2, '0')}`;
    w(`${app}/base/kustomization.yaml`, 'resources:\n  - deployment.yaml\n  - service.yaml\n');
    w(
      `${app}/base/deployment.yaml`,
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${app}\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: ${app}\n  template:\n    metadata:\n      labels:\n        app: ${app}\n    spec:\n      containers:\n        - name: ${app}\n          image: example/${app}:1.0\n          ports:\n            - name: http\n              containerPort: 8080\n            - name: metrics\n              containerPort: 9090\n          readinessProbe:\n            httpGet:\n              path: /ready\n              port: http\n`,
    );
    w(
      `${app}/base/service.yaml`,
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${app}\nspec:\n  selector:\n    app: ${app}\n  ports:\n    - name: http\n      port: 80\n      targetPort: http\n    - name: metrics\n      port: 9090\n      targetPort: metrics\n`,
    );
    for (const env of ['dev', 'prod']) {
      w(
        `${app}/overlays/${env}/kustomization.yaml`,
        `namespace: ${env}\nnamePrefix: ${env}-\nresources:\n  - ../../base\nconfigMapGenerator:\n  - name: ${app}-settings\n    literals: [ENV=${env}]\npatches:\n  - path: service.yaml\n`,
      );
      const port = env === 'prod' && i % 5 === 0 ? 'metrcs' : 'metrics';
      w(
        `${app}/overlays/${env}/service.yaml`,
        `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${app}\nspec:\n  ports:\n    - name: metrics\n      port: 9090\n      targetPort: ${port}\n`,
      );
    }
  }
}

export async function benchKustomize(dir: string, edits: number): Promise<KustomizeBench | { skipped: string }> {
  const tool = findKustomize();
  if (!tool) return { skipped: 'neither kustomize nor kubectl on PATH' };
  writeKustomizeWorkspace(dir);
  const renderer = new Renderers({ trusted: true, kustomizePath: tool.path });
  const t0 = now();
  const project = await loadProject([dir], defaultConfig(), renderer);
  let findings = 0;
  for (const f of project.fileIds()) findings += project.diagnostics(f).length;
  const coldMs = now() - t0;
  const units = project.units().filter(u => u.kind === 'kustomize');
  const rerender: number[] = [];
  const runs0 = renderer.runs;
  for (let i = 0; i < edits; i++) {
    const unit = units[i % units.length];
    const patch = unit.spec.members.find(m => m.endsWith(`${path.sep}service.yaml`) && m.includes('overlays'))!;
    const text = project.text(patch)!;
    const t = now();
    // A new port number each time, so the content key is new and the render is not cached.
    project.setFile(patch, text.replace(/port: \d+/, `port: ${10000 + i}`));
    project.analyze();
    await project.settled();
    for (const f of project.analyze()) project.diagnostics(f);
    rerender.push(now() - t);
  }
  return {
    tool: `${tool.kind} (${tool.path})`,
    units: units.length,
    objects: units.reduce((n, u) => n + u.objectCount(), 0),
    coldMs,
    rerender: distribution(rerender),
    rendersPerEdit: edits ? (renderer.runs - runs0) / edits : 0,
    findings,
  };
}
