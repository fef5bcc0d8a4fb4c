import type { NodeProxy } from './model';
import { renderRestore } from './restore';
import { renderSave } from './save';
import { renderNft } from './nftables';
import { renderIpvs } from './ipvs';
import type { ProxyMode } from './settings';

export type RuleSyntax = 'restore' | 'save';

/**
 * The node's rules as text in the given mode: iptables in kube-proxy's restore syntax or as
 * `iptables-save` prints it; nftables as `nft -f` input; IPVS as `ipvsadm -Ln` + ipsets.
 */
export function renderRules(
  node: NodeProxy,
  mode: ProxyMode = node.settings.mode,
  syntax: RuleSyntax = 'restore',
): string {
  if (mode === 'nftables') return renderNft(node);
  if (mode === 'ipvs') return renderIpvs(node);
  return syntax === 'save' ? renderSave(node.tables, ['filter', 'nat'], node.ipv6) : renderRestore(node.tables);
}
