import type { Workspace } from '../../server/src/engine';
import { Distribution, distribution, now } from './measure';
import { Random } from './random';

/**
 * One-line NetworkPolicy edits (a rule's port number changes, then changes back), each timed
 * from setFile to the updated diagnostics of every file analyze() reports changed — which
 * includes the required-connectivity verdicts (call-denied-by-policy) on the connectivity
 * engine. Budget (issue 12): p95 ≤ 50 ms on the 10,000-resource workspace.
 */
export interface PolicyEditResult {
  edits: Distribution;
  /** Files whose diagnostics were recomputed per edit. */
  changedFiles: Distribution;
  /** Required-connectivity findings in the workspace after the edits (reverted). */
  callFindings: number;
}

const PORT_LINE = /(kind: NetworkPolicy[\s\S]*?\n\s+-?\s*port: )(\d+)/;

export function runPolicyEdits(ws: Workspace, count: number, seed: number): PolicyEditResult {
  const rnd = new Random(seed + 12);
  const files = ws.fileIds().filter(id => PORT_LINE.test(ws.file(id)!.text));
  const times: number[] = [];
  const changed: number[] = [];
  const step = (id: string, text: string): number => {
    const t = now();
    ws.setFile(id, text);
    const c = ws.analyze();
    for (const f of c) ws.diagnostics(f);
    changed.push(c.size);
    return now() - t;
  };
  for (let i = 0; i < count && files.length; i++) {
    const id = rnd.pick(files);
    const original = ws.file(id)!.text;
    const edited = original.replace(
      PORT_LINE,
      (_, head: string, port: string) => `${head}${Number(port) === 65535 ? 1 : Number(port) + 1}`,
    );
    times.push(step(id, edited));
    step(id, original);
  }
  let callFindings = 0;
  for (const id of ws.fileIds()) callFindings += ws.diagnostics(id).filter(d => d.code.startsWith('call-')).length;
  return { edits: distribution(times), changedFiles: distribution(changed), callFindings };
}
