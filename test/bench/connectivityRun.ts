import * as fs from 'node:fs';
import { Workspace, collectFiles, loadConfig } from '../../server/src/engine';
import { connectivityOf } from '../../server/src/engine/connectivity';
import type { Workload } from '../../server/src/engine/connectivity';
import { Distribution, distribution, now } from './measure';
import { Random } from './random';

/**
 * The connectivity engine on the bench workspace (issue 12 item 6).
 *
 * Cold (fresh process): the files are parsed into a workspace without rules, then the model is
 * built (`connectivityOf`: workloads, policies, equivalence classes) and every allowed connection
 * listed (`connections()`: what `kube-netlint connectivity` prints). Budget: ≤ 2 s.
 *
 * Incremental (the process that loaded the workspace): a one-line NetworkPolicy edit (a rule's
 * port number) is applied with setFile, then timed: the model update (`connectivityOf`) plus the
 * recomputed connections into and out of every workload a policy of the edited file selects —
 * everything the edit can change. Budget: p95 ≤ 50 ms.
 */
export interface ConnectivityCold {
  workloads: number;
  classes: number;
  policies: number;
  connections: number;
  parseMs: number;
  buildMs: number;
  listMs: number;
  /** build + list. */
  totalMs: number;
  /** CPU time of build + list (all threads). */
  cpuMs: number;
}

export interface ConnectivityEdits {
  /** Model update + affected connections, per edit. */
  edits: Distribution;
  /** The model update alone. */
  update: Distribution;
  /** Workloads whose connections were recomputed, per edit. */
  affected: Distribution;
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(start);
  return (c.user + c.system) / 1000;
}

export function connectivityCold(dir: string): ConnectivityCold {
  const { config } = loadConfig([dir]);
  const ws = new Workspace(config, []);
  let t = now();
  for (const p of collectFiles([dir], config).files) ws.setFile(p, fs.readFileSync(p, 'utf8'));
  const parseMs = now() - t;
  const cpu0 = process.cpuUsage();
  t = now();
  const model = connectivityOf(ws);
  const buildMs = now() - t;
  t = now();
  const connections = model.connections().length;
  const listMs = now() - t;
  return {
    workloads: model.workloads.length,
    classes: model.classCount,
    policies: model.policies.all.length,
    connections,
    parseMs,
    buildMs,
    listMs,
    totalMs: buildMs + listMs,
    cpuMs: cpuMsSince(cpu0),
  };
}

const PORT_LINE = /(kind: NetworkPolicy[\s\S]*?\n\s+-?\s*port: )(\d+)/;

export function connectivityEdits(ws: Workspace, count: number, seed: number): ConnectivityEdits {
  const rnd = new Random(seed + 13);
  const files = ws.fileIds().filter(id => PORT_LINE.test(ws.file(id)!.text));
  const total: number[] = [];
  const update: number[] = [];
  const affected: number[] = [];
  connectivityOf(ws).connections();
  const selected = (fileId: string): Set<Workload> => {
    const m = connectivityOf(ws);
    return new Set(m.policies.all.filter(p => p.resource.fileId === fileId).flatMap(p => m.workloadsSelectedBy(p)));
  };
  const step = (id: string, text: string, before: Set<Workload>) => {
    ws.setFile(id, text);
    const t = now();
    const m = connectivityOf(ws);
    const u = now() - t;
    const ids = new Set([...before].map(w => w.id));
    for (const p of m.policies.all)
      if (p.resource.fileId === id) for (const w of m.workloadsSelectedBy(p)) ids.add(w.id);
    for (const wid of ids) {
      const w = m.workload(wid);
      if (w) m.connectionsOf(w);
    }
    total.push(now() - t);
    update.push(u);
    affected.push(ids.size);
  };
  for (let i = 0; i < count && files.length; i++) {
    const id = rnd.pick(files);
    const original = ws.file(id)!.text;
    const edited = original.replace(
      PORT_LINE,
      (_, head: string, port: string) => `${head}${Number(port) === 65535 ? 1 : Number(port) + 1}`,
    );
    step(id, edited, selected(id));
    step(id, original, selected(id));
  }
  return { edits: distribution(total), update: distribution(update), affected: distribution(affected) };
}
