import { containsIp, parseIp } from '../cidr';
import { PlanRule, describe, where } from './rule';

/** An explicit Service clusterIP must come from the service range, or the API server rejects the Service. */
export const serviceClusterIpOutsideRange: PlanRule = {
  id: 'service-cluster-ip-outside-range',
  defaultSeverity: 'error',
  summary: "A Service's explicit clusterIP is outside the cluster's service CIDR.",
  check(ctx) {
    const ranges = ctx.plan.entries.filter(e => e.role === 'service' && e.origin !== 'assumed');
    for (const c of ctx.contributions) {
      for (const s of c.services) {
        const ip = parseIp(s.text);
        if (!ip) {
          ctx.report({
            fileId: s.fileId,
            anchor: s.anchor,
            exact: s.text,
            message: `Service ${s.service} clusterIP "${s.text}" is not an IP address; use an address from the service range, "None" for a headless Service, or leave it out.`,
          });
          continue;
        }
        const placed = { scope: '', source: { fileId: s.fileId } };
        const candidates = ranges.filter(r => r.cidr.family === ip.family && ctx.comparable(r, placed));
        if (!candidates.length || candidates.some(r => containsIp(r.cidr, ip))) continue;
        ctx.report({
          fileId: s.fileId,
          anchor: s.anchor,
          exact: s.text,
          message: `Service ${s.service} clusterIP ${ip.text} is outside the service range (${candidates.map(r => `${describe(r)} at ${where(ctx.ws, r.source)}`).join('; ')}); the API server rejects it ("provided IP is not in the valid range"). Pick an address inside the range or remove clusterIP to get one assigned.`,
          related: candidates
            .filter(r => r.source)
            .slice(0, 5)
            .map(r => ({
              fileId: r.source!.fileId,
              anchor: r.source!.anchor,
              message: `service range ${r.cidr.network} (${r.label})`,
            })),
        });
      }
    }
  },
};
