// Positions inside fixture files, found from their text so the specs do not hard-code line numbers.
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fixturesDir } from './paths';

export interface Position { line: number; column: number; }

/** 1-based position of the `nth` occurrence of `needle` after the first line matching `after`. */
export function positionOf(fixture: string, file: string, needle: string, after?: RegExp): Position {
  const lines = readFileSync(join(fixturesDir, fixture, file), 'utf8').split('\n');
  let start = 0;
  if (after) {
    start = lines.findIndex(l => after.test(l));
    if (start < 0) throw new Error(`${file}: no line matches ${after}`);
  }
  for (let i = start; i < lines.length; i++) {
    const c = lines[i].indexOf(needle);
    if (c >= 0) return { line: i + 1, column: c + 1 };
  }
  throw new Error(`${file}: "${needle}" not found${after ? ` after ${after}` : ''}`);
}

/**
 * kube-proxy's chain-name hash, written from the published recipe rather than taken from our
 * engine, so the test checks the hover against kube-proxy and not against itself:
 * base32(sha256(servicePortName + protocol))[:16], servicePortName = "ns/name:portName".
 */
export function kubeProxyHash(servicePortName: string, protocol: string): string {
  const bytes = createHash('sha256').update(servicePortName + protocol.toLowerCase()).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0, value = 0, out = '';
  for (const b of bytes) {
    value = (value << 8) | b; bits += 8;
    while (bits >= 5) { out += alphabet[(value >>> (bits - 5)) & 31]; bits -= 5; }
  }
  return out.slice(0, 16);
}
