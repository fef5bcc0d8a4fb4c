import { createHash } from 'node:crypto';

/**
 * Chain and set names exactly as kube-proxy (1.19+) computes them: sha256, RFC 4648 base32,
 * truncated (reference/kube-proxy.md §1). The names depend only on the inputs given here, so
 * KUBE-SVC/SVL/EXT/FW are exact even when endpoint IPs are illustrative.
 */

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 (standard alphabet, padding irrelevant because callers truncate). */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let buf = 0;
  let bits = 0;
  for (const b of bytes) {
    buf = (buf << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += B32[(buf >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buf &= (1 << bits) - 1;
  }
  if (bits > 0) out += B32[(buf << (5 - bits)) & 31];
  return out;
}

function hash(input: string, length: number): string {
  return base32(createHash('sha256').update(input).digest()).slice(0, length);
}

/**
 * kube-proxy's "service port name" string: `ns/name` for an unnamed port, `ns/name:port`
 * otherwise. `legacyUnnamed` reproduces pre-1.19 kube-proxy, which hashed `ns/name:`.
 */
export function servicePortName(
  namespace: string,
  name: string,
  portName: string | undefined,
  legacyUnnamed = false,
): string {
  if (!portName) return legacyUnnamed ? `${namespace}/${name}:` : `${namespace}/${name}`;
  return `${namespace}/${name}:${portName}`;
}

/** The 16-character hash shared by KUBE-SVC/SVL/EXT/FW of one Service port. */
export function servicePortHash(spn: string, protocol: string): string {
  return hash(spn + protocol.toLowerCase(), 16);
}

/** iptables chains of one Service port (they share one hash). */
export interface IptablesChainNames {
  /** All endpoints ("Cluster" policy). */
  svc: string;
  /** Local endpoints only ("Local" policy). */
  svl: string;
  /** External destinations (NodePort, externalIP, LB VIP). */
  ext: string;
  /** loadBalancerSourceRanges filter. */
  fw: string;
}

export function iptablesChainNames(spn: string, protocol: string): IptablesChainNames {
  const h = servicePortHash(spn, protocol);
  return { svc: `KUBE-SVC-${h}`, svl: `KUBE-SVL-${h}`, ext: `KUBE-EXT-${h}`, fw: `KUBE-FW-${h}` };
}

/**
 * `ip:port`, or `[ipv6]:port`, as Go's net.JoinHostPort writes it; kube-proxy hashes this
 * string into the KUBE-SEP name and sorts endpoints by it.
 */
export function joinHostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** KUBE-SEP-… for one endpoint (`endpoint` = joinHostPort(ip, resolved port)). */
export function sepChainName(spn: string, protocol: string, endpoint: string): string {
  return `KUBE-SEP-${hash(spn + protocol.toLowerCase() + endpoint, 16)}`;
}

/** nftables mode: `HASH8-ns/name/proto/port` (an unnamed port leaves a trailing `/`). */
export function nftServicePortBase(
  namespace: string,
  name: string,
  protocol: string,
  portName: string | undefined,
): string {
  const base = `${namespace}/${name}/${protocol.toLowerCase()}/${portName ?? ''}`;
  return hashAndTruncate(base);
}

/** nftables mode: `HASH8-ns/name/proto/port__ip/port` (IPv6 colons become dots). */
export function nftEndpointBase(
  namespace: string,
  name: string,
  protocol: string,
  portName: string | undefined,
  endpoint: string,
): string {
  const colon = endpoint.lastIndexOf(':');
  const ip = endpoint
    .slice(0, colon)
    .replace(/^\[|\]$/g, '')
    .replace(/:/g, '.');
  const port = endpoint.slice(colon + 1);
  return hashAndTruncate(`${namespace}/${name}/${protocol.toLowerCase()}/${portName ?? ''}__${ip}/${port}`);
}

const NFT_CHAIN_MAX = 256;

function hashAndTruncate(name: string): string {
  let out = `${hash(name, 8)}-${name}`;
  if (out.length > NFT_CHAIN_MAX) out = out.slice(0, NFT_CHAIN_MAX - 3) + '...';
  return out;
}

/** nftables chains of one Service port. */
export interface NftChainNames {
  service: string;
  local: string;
  external: string;
  firewall: string;
}

export function nftChainNames(
  namespace: string,
  name: string,
  protocol: string,
  portName: string | undefined,
): NftChainNames {
  const b = nftServicePortBase(namespace, name, protocol, portName);
  return { service: `service-${b}`, local: `local-${b}`, external: `external-${b}`, firewall: `firewall-${b}` };
}

/** nftables endpoint chain and its ClientIP-affinity set. */
export function nftEndpointNames(
  namespace: string,
  name: string,
  protocol: string,
  portName: string | undefined,
  endpoint: string,
): { chain: string; affinitySet: string } {
  const b = nftEndpointBase(namespace, name, protocol, portName, endpoint);
  return { chain: `endpoint-${b}`, affinitySet: `affinity-${b}` };
}
