import { createHash } from 'node:crypto';

/**
 * kube-proxy's chain-name hash, written from the published recipe rather than taken from our
 * engine, so the test checks the hover against kube-proxy and not against itself:
 * base32(sha256(servicePortName + protocol))[:16], servicePortName = "ns/name:portName".
 */
export function kubeProxyHash(servicePortName: string, protocol: string): string {
  const bytes = createHash('sha256')
    .update(servicePortName + protocol.toLowerCase())
    .digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0,
    value = 0,
    out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out.slice(0, 16);
}
