import type { Fix, RelatedInfo, TextEdit } from '../../findings';
import type { FileState } from '../../workspace';
import type { Resource } from '../../model/resource';
import { workloadSelectorOf } from '../../model/workload';
import { connectivityOf, displayPolicy } from '../../connectivity';
import type { ConnectivityModel, Decision, Policy, Workload } from '../../connectivity';
import { CallRule, CallRuleContext, describeCall, workloadLabel } from './rule';
import { addressAnchor } from '../anchor';
import { verdictOf, CallTarget, CallVerdict } from '../verdict';
import { allowRuleEdit, AllowRule } from '../allowRule';
import { dictOf } from '../../model/dict';

/** Labels that pick the caller's pods in a peer: its controller's selector, else its pod labels. */
function callerLabels(r: Resource, w: Workload): Record<string, string> {
  const sel = workloadSelectorOf(r);
  if (sel && !sel.defaulted && !sel.matchExpressions.length && Object.keys(sel.matchLabels).length)
    return sel.matchLabels;
  return dictOf(w.labels);
}

function related(d: Decision): RelatedInfo[] {
  const out: RelatedInfo[] = [];
  if (d.rule) out.push({ ...d.rule.source, message: d.text });
  else if (d.policy) out.push({ ...d.policy.source, message: d.text });
  for (const p of d.isolatedBy ?? [])
    out.push({
      ...p.subjectSource,
      message: `${displayPolicy(p)} selects the ${d.direction === 'Ingress' ? 'destination' : 'source'} for ${d.direction.toLowerCase()}`,
    });
  return out;
}

/** The NetworkPolicy to edit for one direction: an isolating one, preferring one that already lists rules. */
function policyToEdit(d: Decision): Policy | undefined {
  const list = (d.isolatedBy ?? []).filter(p => p.kind === 'NetworkPolicy');
  const dir = d.direction === 'Ingress' ? 'ingress' : 'egress';
  // A policy for these pods in particular before a namespace-wide one (`podSelector: {}`), whose
  // extra rule would open the port on every pod of the namespace.
  const specific = (p: Policy) =>
    !!p.subject.pods &&
    (Object.keys(p.subject.pods.matchLabels).length > 0 || p.subject.pods.matchExpressions.length > 0);
  const rank = (p: Policy) => (specific(p) ? 0 : 2) + ((p[dir]?.length ?? 0) > 0 ? 0 : 1);
  return [...list].sort((a, b) => rank(a) - rank(b))[0];
}

export const callDeniedByPolicy: CallRule = {
  id: 'call-denied-by-policy',
  defaultSeverity: 'warning',
  scope: 'call',
  usesModel: true,
  summary: "The unit's network policies deny a connection a workload is configured to make.",
  check({ ws, calls, report, model: given }) {
    const model = given ?? connectivityOf(ws);
    for (const call of calls) {
      const v = verdictOf(model, call);
      if (!v || v.status === 'allowed') continue;
      const hit = perModel.get(model)?.get(v.call);
      if (hit && hit.verdict === v && hit.files.every(f => ws.file(f.fileId) === f)) {
        for (const f of hit.findings) report(f);
        continue;
      }
      const findings: Parameters<typeof report>[0][] = [];
      const denied = v.targets.filter(t => !t.allowed);
      const first = denied[0];
      const ex = model.explain(
        { kind: 'workload', workload: v.source },
        { kind: 'workload', workload: first.workload },
        { protocol: first.protocol, start: first.port },
      );
      const decisions = [...ex.egress.decisions, ...ex.ingress.decisions].filter(d => d.verdict !== 'allow');
      const why = decisions.map(d => `${d.direction.toLowerCase()} ${d.text}`).join('; ') || ex.isolation || 'denied';
      const partly =
        v.status === 'partly'
          ? ` (allowed to ${v.targets.filter(t => t.allowed).length} of ${v.targets.length} destinations)`
          : '';
      findings.push({
        fileId: v.call.source.owner.fileId,
        anchor: addressAnchor(ws, v.call),
        message:
          `${workloadLabel(v.call)} calls ${describeCall(v.call)}, but the network policies deny ${v.call.namespace}/${v.call.service} → ` +
          `${first.workload.id} on ${first.port}/${first.protocol}${partly}: ${why}.`,
        related: decisions.flatMap(related),
        fixes: fixFor(ws, v, first, decisions),
      });
      // The fixes hold offsets into the policy files: the findings are good while those files are.
      const files = findings
        .flatMap(f => f.fixes ?? [])
        .flatMap(x => x.edits)
        .map(e => ws.file(e.fileId))
        .filter((f): f is NonNullable<typeof f> => !!f);
      let perCall = perModel.get(model);
      if (!perCall) perModel.set(model, (perCall = new WeakMap()));
      perCall.set(v.call, { verdict: v, findings, files });
      for (const f of findings) report(f);
    }
  },
};

/**
 * Findings per model and call, kept while the call, its verdict and the model are the same
 * objects (keyed by model first, so calls not re-checked under a newer model do not keep the old one).
 */
const perModel = new WeakMap<
  ConnectivityModel,
  WeakMap<
    object,
    {
      verdict: CallVerdict;
      findings: Parameters<CallRuleContext['report']>[0][];
      files: FileState[];
    }
  >
>();

function fixFor(
  ws: Parameters<CallRule['check']>[0]['ws'],
  v: CallVerdict,
  t: CallTarget,
  decisions: Decision[],
): Fix[] {
  // Admin policies outrank NetworkPolicies: an allow rule there would not help, so no fix.
  if (decisions.some(d => d.tier !== 'namespaced')) return [];
  const edits: TextEdit[] = [];
  const titles: string[] = [];
  for (const dir of ['Egress', 'Ingress'] as const) {
    const d = decisions.find(x => x.direction === dir);
    if (!d) continue;
    const p = policyToEdit(d);
    if (!p) return [];
    const svc = v.call.services.find(s => s.selector);
    const rule: AllowRule =
      dir === 'Ingress'
        ? {
            direction: 'ingress',
            podLabels: callerLabels(v.call.from.owner, v.source),
            namespace: v.source.namespace !== p.namespace ? v.source.namespace : undefined,
            port: t.port,
            protocol: t.protocol,
          }
        : {
            direction: 'egress',
            podLabels: svc?.selector ?? t.workload.labels,
            namespace: t.workload.namespace !== p.namespace ? t.workload.namespace : undefined,
            port: t.port,
            protocol: t.protocol,
          };
    const edit = allowRuleEdit(ws, p.resource, rule);
    if (!edit) return [];
    edits.push(edit);
    titles.push(`${dir.toLowerCase()} in ${displayPolicy(p)}`);
  }
  if (!edits.length) return [];
  return [{ title: `Allow this call: add a rule (${titles.join(', ')})`, preferred: true, edits }];
}
