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
/** One address at the start of a token: scheme://  [userinfo@]  host  [:port], then the end, a path, query or fragment. */
const AT_START = new RegExp(
  `^(?:([a-z][a-z0-9+.-]*)://)?(?:[^/@]+@)?(${LABEL}(?:\\.${LABEL})*)(?::([0-9]{1,5}))?(?=$|[/?#])`,
);
/** Tokens: runs of characters that can be part of an address, cut at separators. */
const TOKEN = /[^\s=,;"'()<>[\]{}`|\\]+/g;
const SCHEME_IN = /[a-z][a-z0-9+.-]*:\/\//;
/** What a marked candidate needs somewhere in its token: a port, a scheme or a `.svc` name. */
export const MARK = /\.svc|:\/\/|:[0-9]/;

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

/**
 * `markedOnly`: only candidates with a port, a scheme or a `.svc` host, for fields where a bare
 * word cannot be a call; most words of a config file are then rejected by a substring test.
 */
export function findAddresses(text: string, markedOnly = false): AddressCandidate[] {
  if (text.length > 100_000) return [];
  if (markedOnly && !MARK.test(text)) return [];
  const out: AddressCandidate[] = [];
  const trimmedStart = text.length - text.trimStart().length;
  const trimmedEnd = text.trimEnd().length;
  if (markedOnly) {
    // Only a token holding a mark can give a candidate, and a mark is made of token characters,
    // so each mark lies inside one token: go from mark to mark and read the token around it,
    // rather than cutting the whole text (a mounted application.yaml read as one env value) into
    // tokens. The tokens read are those the loop below would keep, in the same order.
    MARK_ANYWHERE.lastIndex = 0;
    for (let m = MARK_ANYWHERE.exec(text); m; m = MARK_ANYWHERE.exec(text)) {
      let at = m.index;
      while (at > 0 && isTokenCode(text.charCodeAt(at - 1))) at--;
      TOKEN_AT.lastIndex = at;
      const token = TOKEN_AT.exec(text)?.[0] ?? '';
      if (token) readToken(text, token, at, true, trimmedStart, trimmedEnd, out);
      MARK_ANYWHERE.lastIndex = Math.max(at + token.length, m.index + 1);
    }
    return out;
  }
  TOKEN.lastIndex = 0;
  for (let t = TOKEN.exec(text); t; t = TOKEN.exec(text))
    readToken(text, t[0], t.index, false, trimmedStart, trimmedEnd, out);
  return out;
}

const MARK_ANYWHERE = new RegExp(MARK.source, 'g');
/** TOKEN starting exactly at lastIndex. */
const TOKEN_AT = new RegExp(TOKEN.source, 'y');
/** Whether a character belongs to a TOKEN (is none of its separators). */
function isTokenCode(c: number): boolean {
  return c < 128 ? TOKEN_ASCII[c] === 1 : !/\s/.test(String.fromCharCode(c));
}
const TOKEN_ASCII = Uint8Array.from({ length: 128 }, (_, c) =>
  /[^\s=,;"'()<>[\]{}`|\\]/.test(String.fromCharCode(c)) ? 1 : 0,
);

/** The candidate a token at `at` opens, if any, appended to `out`. */
function readToken(
  text: string,
  token: string,
  at: number,
  markedOnly: boolean,
  trimmedStart: number,
  trimmedEnd: number,
  out: AddressCandidate[],
): void {
  // Cheap rejections first: an address has a lower-case letter.
  if (!/[a-z]/.test(token)) return;
  if (markedOnly && !MARK.test(token)) return;
  let m = AT_START.exec(token);
  let offset = 0;
  if (!m) {
    // `influxdb:http://host:8086`: a URL after a prefix.
    const s = SCHEME_IN.exec(token);
    if (!s || s.index === 0) return;
    offset = s.index;
    m = AT_START.exec(token.slice(offset));
    if (!m || !m[1]) return;
  }
  const start = at + offset;
  const end = start + m[0].length;
  // `f'…'`, `u"…"`: a word glued to a quote it did not open is code, not an address.
  const next = text[at + token.length];
  if ((next === "'" || next === '"') && text[at - 1] !== next && offset === 0 && end === at + token.length) return;
  const scheme = m[1];
  const host = m[2];
  if (markedOnly && m[3] === undefined && !scheme && !host.includes('.svc')) return;
  const hostStart = end - (m[3] !== undefined ? m[3].length + 1 : 0) - host.length;
  const c: AddressCandidate = {
    host,
    hostStart,
    hostEnd: hostStart + host.length,
    whole: start === trimmedStart && end === trimmedEnd,
    leading: start === trimmedStart || text[start - 1] === ',',
  };
  if (scheme) c.scheme = scheme;
  if (m[3] !== undefined) {
    const port = Number(m[3]);
    if (port < 1 || port > 65535) return;
    c.port = port;
    c.portStart = c.hostEnd + 1;
    c.portEnd = c.hostEnd + 1 + m[3].length;
  }
  out.push(c);
}

/** IPv4 literals, `localhost` and names no Service can have (DNS-1035: a letter first). */
export function isNonServiceHost(host: string): boolean {
  return !/^[a-z]/.test(host) || host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.internal');
}
