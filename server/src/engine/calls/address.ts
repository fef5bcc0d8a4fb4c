/**
 * Finds host[:port] addresses inside a string: `cart`, `cart:7070`, `http://cart.shop:80/x`,
 * `redis://user:pass@redis:6379/0`, `kafka-0:9092,kafka-1:9092`. Only the syntax: whether a
 * candidate names a Service is decided later (classify.ts), with the workspace at hand.
 */

export interface AddressCandidate {
  /** Lower-case host as written (labels joined by dots). */
  host: string;
  /** Decoded offsets of the host inside the string. */
  hostStart: number;
  hostEnd: number;
  port?: number;
  portStart?: number;
  portEnd?: number;
  scheme?: string;
  /** Whether the candidate is the whole string (surrounding whitespace aside). */
  whole: boolean;
  /** Whether it opens the string or an item of a comma-separated list (`a:1,b:2`). */
  leading: boolean;
}

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
// scheme://  [userinfo@]  host  [:port]   — userinfo never contains '/', '@' or whitespace.
const CANDIDATE = new RegExp(
  `(?:([a-z][a-z0-9+.-]*)://)?(?:[^\\s/@'"]+@)?(${LABEL}(?:\\.${LABEL})*)(?::([0-9]{1,5}))?`,
  'g',
);
/** Characters that may precede a candidate (so `file:/dev`, `a.b.c.d` inside words stay out). */
const BEFORE = /[\s=,;"'(>[{]/;
/** Characters that may follow one. */
const AFTER = /[\s/,;"'?#)\]}<]/;

/** Schemes with a well-known default port, used when a URL names none. */
export const DEFAULT_PORTS: Readonly<Record<string, number>> = {
  http: 80,
  https: 443,
  ws: 80,
  wss: 443,
  grpc: 80,
  redis: 6379,
  rediss: 6379,
  mongodb: 27017,
  amqp: 5672,
  amqps: 5671,
  postgres: 5432,
  postgresql: 5432,
  mysql: 3306,
  nats: 4222,
  memcached: 11211,
};

export function findAddresses(text: string): AddressCandidate[] {
  if (text.length > 100_000) return [];
  const out: AddressCandidate[] = [];
  const trimmedStart = text.length - text.trimStart().length;
  const trimmedEnd = text.trimEnd().length;
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(text); m; m = CANDIDATE.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    if (m[0].length === 0) {
      CANDIDATE.lastIndex++;
      continue;
    }
    // `influxdb:http://host:8086` (a sink type before a URL): a scheme may follow a colon.
    if (start > 0 && !BEFORE.test(text[start - 1]) && !(m[1] && text[start - 1] === ':')) continue;
    if (end < text.length && !AFTER.test(text[end])) continue;
    // `f'…'`, `u"…"`: a word glued to a quote it did not open is code, not an address.
    if ((text[end] === "'" || text[end] === '"') && text[start - 1] !== text[end]) continue;
    const scheme = m[1];
    const host = m[2];
    const hostStart = start + m[0].lastIndexOf(host, m[0].length - (m[3] ? m[3].length + 1 : 0));
    const hostEnd = hostStart + host.length;
    const c: AddressCandidate = {
      host,
      hostStart,
      hostEnd,
      whole: start === trimmedStart && end === trimmedEnd,
      leading: start === trimmedStart || text[start - 1] === ',',
    };
    if (scheme) c.scheme = scheme;
    if (m[3] !== undefined) {
      const port = Number(m[3]);
      if (port < 1 || port > 65535) continue;
      c.port = port;
      c.portStart = hostEnd + 1;
      c.portEnd = hostEnd + 1 + m[3].length;
    }
    out.push(c);
  }
  return out;
}

/** IPv4 literals, `localhost` and names no Service can have (DNS-1035: a letter first). */
export function isNonServiceHost(host: string): boolean {
  return !/^[a-z]/.test(host) || host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.internal');
}
