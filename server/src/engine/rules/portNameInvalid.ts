import { Rule, at, WORKLOAD_KINDS } from './rule';
import { ianaSvcNameProblem, dnsLabelProblem, suggestIanaName, ownTemplate } from './support/ports';
import type { Anchor } from '../parse/locate';
import { isPlaceholder } from './support/placeholders';
import type { RuleContext } from './rule';

/**
 * Container port names and named targetPorts/probe ports are IANA_SVC_NAMEs; Service port
 * names are DNS-1123 labels. The API server rejects objects that break either.
 */
export const portNameInvalid: Rule = {
  id: 'port-name-invalid',
  defaultSeverity: 'error',
  summary:
    'A port name is not a valid IANA_SVC_NAME (container ports, targetPort, probes) or DNS label (Service ports).',
  kinds: new Set(['Service', ...WORKLOAD_KINDS]),
  check(ctx) {
    const { subject, cluster } = ctx;
    const facts = cluster.facts(subject);
    const t = ownTemplate(facts);
    if (t) {
      for (const c of t.containers) {
        for (const p of c.ports) {
          if (p.name !== undefined)
            checkIana(ctx, p.name, at(subject, [...p.path, 'name']), `Container port name "${p.name}"`);
        }
        for (const pr of c.probes) {
          if (typeof pr.port === 'string')
            checkIana(ctx, pr.port, at(subject, pr.path), `${pr.kind} port "${pr.port}"`);
        }
      }
    }
    const svc = facts?.service;
    if (svc) {
      for (const p of svc.ports) {
        if (p.name !== undefined) {
          const problem = dnsLabelProblem(p.name);
          if (problem) {
            const fixed =
              p.name
                .toLowerCase()
                .replace(/[^a-z0-9-]+/g, '-')
                .replace(/^-+|-+$/g, '')
                .slice(0, 63) || 'port';
            ctx.report({
              anchor: at(subject, [...p.path, 'name']),
              message: `Service port name "${p.name}" is invalid: ${problem}.`,
              fixes:
                fixed !== p.name
                  ? [
                      {
                        title: `Rename to "${fixed}"`,
                        edits: [{ fileId: subject.fileId, anchor: at(subject, [...p.path, 'name']), newText: fixed }],
                      },
                    ]
                  : [],
            });
          }
        }
        if (typeof p.targetPort === 'string') {
          checkIana(ctx, p.targetPort, at(subject, [...p.path, 'targetPort']), `targetPort "${p.targetPort}"`);
        }
      }
    }
  },
};

function checkIana(ctx: RuleContext, name: string, anchor: Anchor, what: string): void {
  if (isPlaceholder(name)) return;
  if (/^[0-9]+$/.test(name)) {
    // IntOrString: a quoted number is a string, so the API reads it as a port name, and names
    // need a letter. Almost always the quotes are the mistake.
    ctx.report({
      anchor,
      message: `${what} is quoted, so Kubernetes reads it as a port name, and a port name needs a letter; the API server rejects it. Write ${Number(name)} without quotes.`,
      fixes: [
        {
          title: `Write ${Number(name)} as a number`,
          preferred: true,
          edits: [{ fileId: ctx.subject.fileId, anchor, newText: String(Number(name)), valueType: 'number' }],
        },
      ],
    });
    return;
  }
  const problem = ianaSvcNameProblem(name);
  if (!problem) return;
  const fixed = suggestIanaName(name);
  ctx.report({
    anchor,
    message: `${what} is not a valid port name: ${problem}. Use e.g. "${fixed}".`,
    fixes: [{ title: `Rename to "${fixed}"`, edits: [{ fileId: ctx.subject.fileId, anchor, newText: fixed }] }],
  });
}
