import { bitsOf, sizeOf } from '../cidr';
import { isClusterPodSubnet } from '../build';
import type { PlanEntry, Source } from '../model';
import type { MaskDecl } from '../extract/contribution';
import { PlanRule, PlanRuleContext, describe } from './rule';

/**
 * Sizes: kubeadm/kube-controller-manager node mask vs cluster prefix and service range limits,
 * flannel SubnetLen, Calico blockSize and Cilium's per-node mask (reference/cni.md §2.2).
 */
export const nodeCidrMaskInvalid: PlanRule = {
  id: 'node-cidr-mask-invalid',
  defaultSeverity: 'error',
  summary: 'Node/block mask does not fit the pod network (or the service range is too large or too small).',
  check(ctx) {
    const masks = ctx.contributions.flatMap(c => c.nodeMasks);
    for (const e of ctx.plan.entries) {
      if (e.origin === 'assumed') continue;
      if (isClusterPodSubnet(e) && e.ipam === 'kcm') clusterMask(ctx, e, masks);
      if (e.role === 'service' && (e.origin === 'declared' || e.origin === 'setting')) serviceSize(ctx, e);
      if (e.component === 'flannel') flannel(ctx, e);
      if (e.component === 'calico' && e.blockMask !== undefined) calico(ctx, e);
      if (e.component === 'cilium' && e.blockMask !== undefined) cilium(ctx, e);
    }
    dualStackMasks(ctx, masks);
  },
};

function report(ctx: PlanRuleContext, e: PlanEntry, message: string, at?: Source): void {
  const s = at ?? e.source;
  if (!s) return;
  ctx.report({
    fileId: s.fileId,
    anchor: s.anchor,
    exact: at ? undefined : e.cidr.text,
    message,
    related: at && e.source ? [{ fileId: e.source.fileId, anchor: e.source.anchor, message: describe(e) }] : [],
  });
}

function clusterMask(ctx: PlanRuleContext, e: PlanEntry, masks: MaskDecl[]): void {
  const f = e.cidr.family;
  const declared = masks.find(
    m => (m.family === f || m.family === 0) && ctx.comparable({ scope: m.scope, source: m.source }, e),
  );
  const setting = ctx.plan.nodeMask[f === 4 ? 'ipv4' : 'ipv6'];
  const mask = declared?.value ?? (setting.origin === 'setting' ? setting.value : f === 4 ? 24 : 64);
  const origin = declared
    ? declared.label
    : setting.origin === 'setting'
      ? 'setting plan.nodeCidrMaskSize'
      : `the default node mask /${mask}`;
  const related = declared
    ? [
        {
          fileId: declared.source.fileId,
          anchor: declared.source.anchor,
          message: `node mask /${mask} (${declared.label})`,
        },
      ]
    : [];
  if (e.cidr.prefix > mask) {
    ctx.report({
      fileId: e.source?.fileId ?? '',
      anchor: e.source!.anchor,
      exact: e.cidr.text,
      related,
      message: `${describe(e)} is smaller than one node's block /${mask} (${origin}): kubeadm rejects it ("the size of pod subnet with mask ${e.cidr.prefix} is smaller than the size of node subnet with mask ${mask}") and kube-controller-manager exits ("mask size of cluster CIDR must be less than or equal to --node-cidr-mask-size"). Use a pod subnet of /${mask - 8} or larger, or set node-cidr-mask-size${f === 6 ? '-ipv6' : ''} to at least ${e.cidr.prefix}.`,
    });
  } else if (mask - e.cidr.prefix > 16) {
    ctx.report({
      fileId: e.source!.fileId,
      anchor: e.source!.anchor,
      exact: e.cidr.text,
      related,
      message: `${describe(e)} with node mask /${mask} (${origin}) would hold ${2 ** (mask - e.cidr.prefix)} node blocks; kubeadm rejects a difference over 16 ("pod subnet mask (${e.cidr.prefix}) and node-mask (${mask}) difference is greater than 16"). Use a longer pod prefix (at least /${mask - 16}) or a shorter node mask.`,
    });
  }
}

function serviceSize(ctx: PlanRuleContext, e: PlanEntry): void {
  if (!e.source) return;
  const hostBits = bitsOf(e.cidr.family) - e.cidr.prefix;
  if (hostBits > 20) {
    report(
      ctx,
      e,
      `${describe(e)} is too large: the API server and kubeadm allow at most 20 host bits ("specified service subnet is too large; for ${bitsOf(e.cidr.family)}-bit addresses, the mask must be >= ${bitsOf(e.cidr.family) - 20}"). Use /${bitsOf(e.cidr.family) - 20} or smaller.`,
    );
  } else if (sizeOf(e.cidr) < 10n) {
    report(
      ctx,
      e,
      `${describe(e)} has only ${sizeOf(e.cidr)} addresses; kubeadm needs at least 10 (the cluster DNS Service takes the 10th). Use /${e.cidr.family === 4 ? 28 : 124} or larger.`,
    );
  }
}

function flannel(ctx: PlanRuleContext, e: PlanEntry): void {
  const max = e.cidr.family === 4 ? 28 : 124;
  const len = e.blockMask;
  if (e.cidr.prefix > max) {
    report(
      ctx,
      e,
      `${describe(e)} is too small for flannel ("network is too small. Minimum useful network prefix is /${max}"). Use a larger Network.`,
    );
    return;
  }
  if (len === undefined) return;
  const at = e.blockMaskSource;
  const cap = e.cidr.family === 4 ? 30 : 126;
  if (len > cap)
    report(ctx, e, `SubnetLen /${len} is too long; flannel requires SubnetLen to be less than /${cap + 1}.`, at);
  else if (len < e.cidr.prefix + 2)
    report(
      ctx,
      e,
      `flannel SubnetLen /${len} leaves ${describe(e)} room for fewer than four node subnets ("network must be able to accommodate at least four subnets"). Use SubnetLen /${e.cidr.prefix + 2} or longer.`,
      at,
    );
}

function calico(ctx: PlanRuleContext, e: PlanEntry): void {
  const bs = e.blockMask!;
  const [lo, hi] = e.cidr.family === 4 ? [20, 32] : [116, 128];
  const at = e.blockMaskSource;
  if (bs < lo || bs > hi)
    report(
      ctx,
      e,
      `Calico blockSize ${bs} is out of range: IPv${e.cidr.family} pools accept ${lo}-${hi} (default ${e.cidr.family === 4 ? 26 : 122}).`,
      at,
    );
  else if (bs < e.cidr.prefix)
    report(
      ctx,
      e,
      `Calico blockSize /${bs} is larger than the pool ${e.cidr.network} itself; the pool prefix must be ≤ blockSize. Use a larger pool or blockSize ≥ ${e.cidr.prefix}.`,
      at ?? e.source,
    );
}

function cilium(ctx: PlanRuleContext, e: PlanEntry): void {
  const m = e.blockMask!;
  const at = e.blockMaskSource;
  if (m < e.cidr.prefix)
    report(
      ctx,
      e,
      `Cilium per-node mask /${m} is larger than the pool ${e.cidr.network}; it must be at least /${e.cidr.prefix}.`,
      at ?? e.source,
    );
  else if (e.cidr.family === 4 && m > 30)
    report(
      ctx,
      e,
      `Cilium per-node mask /${m} leaves no usable pod addresses; the cluster pool mask must be /30 or shorter (≤ /29 recommended).`,
      at ?? e.source,
    );
}

/** --node-cidr-mask-size-ipv4/-ipv6 are rejected on single-stack clusters. */
function dualStackMasks(ctx: PlanRuleContext, masks: MaskDecl[]): void {
  for (const m of masks) {
    if (m.family === 0) continue;
    const fams = new Set(
      ctx.plan.entries
        .filter(
          e =>
            isClusterPodSubnet(e) && e.origin !== 'default' && ctx.comparable(e, { scope: m.scope, source: m.source }),
        )
        .map(e => e.cidr.family),
    );
    if (fams.size === 1) {
      ctx.report({
        fileId: m.source.fileId,
        anchor: m.source.anchor,
        message: `${m.label} is only allowed on dual-stack clusters; this pod subnet is single-stack IPv${[...fams][0]}, and kube-controller-manager refuses to start ("usage of --node-cidr-mask-size-ipv4 and --node-cidr-mask-size-ipv6 are not allowed with non dual-stack clusters"). Use --node-cidr-mask-size.`,
      });
    }
  }
}
