import type { RequestContext } from './context';
import { findService, nodeProxy, proxySettings, renderRules, workspaceServices } from '../../engine/netfilter';
import type { ProxyMode, RuleSyntax } from '../../engine/netfilter';
import type { Workspace } from '../../engine';

/** `kubeNetlint/proxyRules`: the rules kube-proxy programs, for one Service (`ns/name`) or all. */
export const PROXY_RULES = 'kubeNetlint/proxyRules';
/** `kubeNetlint/proxyServices`: the Services the rules view can show (for the quick pick). */
export const PROXY_SERVICES = 'kubeNetlint/proxyServices';

export interface ProxyRulesParams {
  /** The analysis unit: `unit`, else the unit of `uri`, else the largest. */
  uri?: string;
  unit?: string;
  service?: string;
  mode?: ProxyMode;
  syntax?: RuleSyntax;
  node?: string;
}
export type ProxyRulesResult = { text: string; mode: ProxyMode; syntax: RuleSyntax; node: string } | { error: string };

export function register(ctx: RequestContext): void {
  ctx.connection.onRequest(PROXY_RULES, (p: ProxyRulesParams | undefined): ProxyRulesResult =>
    proxyRulesFor(unitWorkspace(ctx, p), p),
  );

  ctx.connection.onRequest(PROXY_SERVICES, (p: { uri?: string; unit?: string } | undefined) => {
    const ws = unitWorkspace(ctx, p);
    return workspaceServices(ws).map(s => ({
      service: `${s.resource.namespace}/${s.resource.name}`,
      type: s.type,
      headless: s.headless,
      ports: s.ports.map(p => `${p.name ? `${p.name} ` : ''}${p.port ?? '?'}/${p.protocol}`).join(', '),
    }));
  });
}

/** The rules text for one Service or all (also run by the server-side code lens command). */
export function proxyRulesFor(ws: Workspace, p: ProxyRulesParams | undefined): ProxyRulesResult {
  const mode = p?.mode === 'iptables' || p?.mode === 'nftables' || p?.mode === 'ipvs' ? p.mode : undefined;
  const syntax: RuleSyntax = p?.syntax === 'save' ? 'save' : 'restore';
  const settings = proxySettings(ws, { mode, nodeName: typeof p?.node === 'string' && p.node ? p.node : undefined });
  let services;
  if (typeof p?.service === 'string' && p.service) {
    const svc = findService(ws, p.service);
    if (!svc) return { error: `no Service ${p.service} in the workspace` };
    services = [svc];
  }
  const node = nodeProxy(ws, settings, services);
  const head = [
    `# kube-proxy ${settings.mode} mode on node ${settings.nodeName}${services ? ` — Service ${p!.service}` : ' — all Services'}; local-traffic detector ${settings.clusterCIDR.value} (${settings.clusterCIDR.source})`,
    ...node.services.flatMap(s =>
      s.skipped
        ? [`# ${s.namespace}/${s.name}: ${s.skipped}`]
        : s.ports.flatMap(port => port.notes.map(n => `# ${port.spn}: ${n}`)),
    ),
  ];
  return {
    text: `${head.join('\n')}\n${renderRules(node, settings.mode, syntax)}`,
    mode: settings.mode,
    syntax,
    node: settings.nodeName,
  };
}

export function unitWorkspace(ctx: RequestContext, p: { uri?: string; unit?: string } | undefined) {
  const uri = typeof p?.uri === 'string' && p.uri ? p.uri : undefined;
  const unit = typeof p?.unit === 'string' && p.unit ? p.unit : undefined;
  return ctx.workspace(uri ? ctx.toFileId(uri) : undefined, unit);
}
