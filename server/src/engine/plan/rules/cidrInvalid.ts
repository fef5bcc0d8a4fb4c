import { parseCidr, parseIp, looksLikeAddress } from '../cidr';
import type { PlanRule } from './rule';

/**
 * Every value read as an address must parse; networks must not have host bits set (Weave,
 * Calico and host-local reject them, others silently use a different range than written —
 * calico/node#193, cilium#13955). Docker's `bip` is the opposite: it must be a host address.
 */
export const cidrInvalid: PlanRule = {
  id: 'cidr-invalid',
  defaultSeverity: 'error',
  summary: 'A CIDR or IP address that does not parse, or a network written with host bits set.',
  check(ctx) {
    for (const c of ctx.contributions) {
      for (const a of c.addresses) {
        const exact = a.text;
        if (a.expect === 'ip') {
          if (!parseIp(a.text))
            ctx.report({
              fileId: a.fileId,
              anchor: a.anchor,
              exact,
              message: `${a.label}: "${a.text}" is not an IPv4 or IPv6 address${parseCidr(a.text) ? ' (write the address without a prefix length)' : ''}.`,
            });
          continue;
        }
        const cidr = parseCidr(a.text);
        if (!cidr) {
          const hint = parseIp(a.text)
            ? ` — add the prefix length, e.g. "${a.text}/${a.text.includes(':') ? 64 : 24}"`
            : looksLikeAddress(a.text)
              ? ' — check the octets and the prefix length (IPv4 /0-/32, IPv6 /0-/128)'
              : '';
          ctx.report({
            fileId: a.fileId,
            anchor: a.anchor,
            exact,
            message: `${a.label}: "${a.text}" is not a valid CIDR${hint}.`,
          });
          continue;
        }
        if (a.expect === 'cidr' && cidr.hostBitsSet) {
          ctx.report({
            fileId: a.fileId,
            anchor: a.anchor,
            exact,
            message: `${a.label}: ${a.text} has host bits set. For a /${cidr.prefix} mask the network address is ${cidr.network}; components either reject it ("Network has host bits set") or silently use ${cidr.network}. Write ${cidr.network}.`,
            fixes: [
              {
                title: `Change to the network address ${cidr.network}`,
                preferred: true,
                edits: [{ fileId: a.fileId, anchor: a.anchor, newText: cidr.network }],
              },
            ],
          });
        }
        if (a.expect === 'bip' && !cidr.hostBitsSet) {
          ctx.report({
            fileId: a.fileId,
            anchor: a.anchor,
            exact,
            message: `${a.label}: ${a.text} is a network address, but bip is the bridge's own address with its prefix (e.g. ${incrementFirst(cidr.network)}); dockerd fails with "failed to allocate gateway (${a.text.split('/')[0]}): Address already in use".`,
          });
        }
      }
    }
  },
};

function incrementFirst(network: string): string {
  const [ip, len] = network.split('/');
  const parts = ip.split('.');
  if (parts.length === 4) {
    parts[3] = String(Number(parts[3]) + 1);
    return `${parts.join('.')}/${len}`;
  }
  return `${ip}1/${len}`;
}
