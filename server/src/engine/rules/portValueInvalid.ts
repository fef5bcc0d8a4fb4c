import { Rule, at, WORKLOAD_KINDS, RuleContext } from './rule';
import { ownTemplate } from './support/ports';
import type { Path } from '../parse/locate';
import { isPlaceholder } from './support/placeholders';

/** Port numbers are integers from 1 to 65535; the API server rejects anything else (`port: "eighty"`, 123456). */
export const portValueInvalid: Rule = {
  id: 'port-value-invalid',
  defaultSeverity: 'error',
  summary: 'A port, targetPort, containerPort, hostPort or nodePort is not an integer from 1 to 65535.',
  kinds: new Set(['Service', ...WORKLOAD_KINDS]),
  check(ctx) {
    const facts = ctx.cluster.facts(ctx.subject);
    for (const c of ownTemplate(facts)?.containers ?? []) {
      for (const p of c.ports) {
        checkNumber(ctx, p.rawContainerPort, [...p.path, 'containerPort'], 'containerPort', true);
        const raw = getRaw(ctx, p.path, 'hostPort');
        // hostPort 0 means "no host port".
        if (raw !== undefined) checkNumber(ctx, raw, [...p.path, 'hostPort'], 'hostPort', false, true);
      }
    }
    for (const p of facts?.service?.ports ?? []) {
      checkNumber(ctx, p.rawPort, [...p.path, 'port'], 'port', true);
      if (p.rawNodePort !== undefined)
        checkNumber(ctx, p.rawNodePort, [...p.path, 'nodePort'], 'nodePort', false, true);
      const t = p.rawTargetPort;
      if (typeof t === 'number') checkNumber(ctx, t, [...p.path, 'targetPort'], 'targetPort', false, true);
      else if (t !== undefined && typeof t !== 'string')
        checkNumber(ctx, t, [...p.path, 'targetPort'], 'targetPort', false);
    }
  },
};

function getRaw(ctx: RuleContext, path: Path, key: string): unknown {
  let cur: unknown = ctx.subject.value;
  for (const seg of path.slice(ctx.subject.base.length))
    cur = (cur as Record<string | number, unknown> | undefined)?.[seg];
  return (cur as Record<string, unknown> | undefined)?.[key];
}

function checkNumber(
  ctx: RuleContext,
  raw: unknown,
  path: Path,
  field: string,
  required: boolean,
  zeroAllowed = false,
): void {
  if (raw === undefined || raw === null) {
    if (required)
      ctx.report({
        anchor: at(ctx.subject, path.slice(0, -1)),
        message: `${field} is missing; it must be a number from 1 to 65535.`,
      });
    return;
  }
  if (typeof raw === 'number' && Number.isInteger(raw) && ((raw >= 1 && raw <= 65535) || (zeroAllowed && raw === 0)))
    return;
  const shown = typeof raw === 'string' ? `"${raw}"` : JSON.stringify(raw);
  if (isPlaceholder(raw)) {
    ctx.report({
      anchor: at(ctx.subject, path),
      severity: 'information',
      message: `${field} ${shown} is a placeholder; kube-netlint cannot evaluate it until it is substituted.`,
    });
    return;
  }
  const numeric = typeof raw === 'string' && /^[0-9]+$/.test(raw);
  ctx.report({
    anchor: at(ctx.subject, path),
    message: numeric
      ? `${field} ${shown} is a string; write it as a number (${raw}) without quotes.`
      : `${field} ${shown} is not a valid port: it must be an integer from 1 to 65535.`,
    fixes:
      numeric && Number(raw) >= 1 && Number(raw) <= 65535
        ? [
            {
              title: `Write ${field} as the number ${raw}`,
              edits: [
                {
                  fileId: ctx.subject.fileId,
                  anchor: at(ctx.subject, path),
                  newText: String(Number(raw)),
                  valueType: 'number',
                },
              ],
            },
          ]
        : [],
  });
}
