import { Workspace, defaultConfig, mergeConfig } from '../../server/src/engine';
import { findService, nodeProxy, proxySettings, renderRestore, renderRules } from '../../server/src/engine/netfilter';
import type { ProxyMode } from '../../server/src/engine/netfilter';

/** The fake proxier of kube-proxy's unit tests (reference §2.13): detector 10.0.0.0/8, nothing allocated. */
export const TEST_PROXY = {
  clusterCIDR: '10.0.0.0/8',
  nodeName: 'test-node',
  localhostNodePorts: true,
  nfacct: true,
  randomFully: false,
  illustrativeAllocations: false,
};

export function workspace(files: Record<string, string>, proxy: Record<string, unknown> = TEST_PROXY): Workspace {
  const ws = new Workspace(mergeConfig(defaultConfig(), { proxy }));
  for (const [id, text] of Object.entries(files)) ws.setFile(id, text);
  ws.analyze();
  return ws;
}

/** Restore-syntax lines (`-A …`) kube-proxy writes for the workspace. */
export function ruleLines(ws: Workspace, mode?: ProxyMode): string[] {
  const node = nodeProxy(ws, proxySettings(ws, { mode }));
  const text = mode && mode !== 'iptables' ? renderRules(node, mode) : renderRestore(node.tables);
  return text.split('\n');
}

export function port(ws: Workspace, ref: string, index = 0) {
  const svc = findService(ws, ref);
  if (!svc) throw new Error(`no Service ${ref}`);
  const node = nodeProxy(ws, proxySettings(ws), [svc]);
  return node.services[0].ports[index];
}

export function slice(
  ns: string,
  svc: string,
  portName: string | null,
  eps: { ip: string; node?: string; ready?: boolean; serving?: boolean; terminating?: boolean }[],
  port = 80,
  protocol = 'TCP',
): string {
  const endpoints = eps
    .map(e => {
      const cond = [
        e.ready === undefined ? '' : `ready: ${e.ready}`,
        e.serving === undefined ? '' : `serving: ${e.serving}`,
        e.terminating === undefined ? '' : `terminating: ${e.terminating}`,
      ].filter(Boolean);
      return `  - addresses: ["${e.ip}"]${e.node ? `\n    nodeName: ${e.node}` : ''}${cond.length ? `\n    conditions: {${cond.join(', ')}}` : ''}`;
    })
    .join('\n');
  return `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: ${svc}-xyz
  namespace: ${ns}
  labels:
    kubernetes.io/service-name: ${svc}
addressType: IPv4
endpoints:
${endpoints}
ports:
  - ${portName === null ? '' : `name: ${portName}\n    `}port: ${port}
    protocol: ${protocol}
`;
}
