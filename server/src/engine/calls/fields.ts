import type { StringSource } from './sources';
import { MARK } from './address';

/**
 * A piece of a string source read as one value: a whole env value, the value of `--flag=value`
 * or of a `key = value` line in a config file. `name` is what the program calls it (env name,
 * flag, key) and `strong` marks free text where only unmistakable addresses count.
 */
export interface Field {
  name: string;
  /** Decoded offset of `text` inside the source's text. */
  offset: number;
  text: string;
  strong: boolean;
}

const FLAG = /^-{1,2}([A-Za-z][\w.-]*)=(.*)$/s;
const LINE_KV = /^\s*["']?([A-Za-z_][\w.-]*)["']?\s*[:=]\s*(.*?)\s*[,;]?\s*$/;
/** The key LINE_KV would take, without the rest of the line. */
const KEY = /^\s*["']?([A-Za-z_][\w.-]*)/;

/**
 * Splits a source into fields; `previous` is the item before an args item (for `--flag value`).
 *
 * With `takesBareHosts` (classify.ts `nameTakesBareHosts`), lines of a file that cannot hold a
 * candidate are left out: no port, scheme or `.svc` (see `findAddresses`' marked candidates) and
 * a key under which a bare word is no address, which is most lines of an application.yaml.
 */
export function fieldsOf(src: StringSource, previous?: string, takesBareHosts?: (name: string) => boolean): Field[] {
  if (src.mode === 'value') return [{ name: src.name, offset: 0, text: src.text, strong: false }];
  if (src.mode === 'args') return argFields(src.text, previous);
  return textFields(src.text, takesBareHosts);
}

function argFields(text: string, previous: string | undefined): Field[] {
  const out: Field[] = [];
  const tokens = [...text.matchAll(/\S+/g)];
  // A one-token item after a bare flag item (`- --redis`, `- redis:6379`) is that flag's value.
  const prevFlag = previous && /^-{1,2}[A-Za-z][\w.-]*$/.test(previous) ? previous.replace(/^-+/, '') : undefined;
  if (tokens.length === 1 && prevFlag && !text.startsWith('-')) {
    return [{ name: prevFlag, offset: tokens[0].index ?? 0, text: tokens[0][0], strong: false }];
  }
  let flag: string | undefined;
  for (const t of tokens) {
    const at = t.index ?? 0;
    const m = FLAG.exec(t[0]);
    if (m) {
      out.push({ name: m[1], offset: at + t[0].length - m[2].length, text: m[2], strong: false });
      flag = undefined;
      continue;
    }
    if (/^-{1,2}[A-Za-z][\w.-]*$/.test(t[0])) {
      flag = t[0].replace(/^-+/, '');
      continue;
    }
    // Inside a shell script (`sh -c "…"`) every token is free text unless a flag names it.
    out.push({ name: flag ?? '', offset: at, text: t[0], strong: flag === undefined || tokens.length > 3 });
    flag = undefined;
  }
  return out;
}

function textFields(text: string, takesBareHosts?: (name: string) => boolean): Field[] {
  if (text.length > 200_000) return [];
  const out: Field[] = [];
  let pos = 0;
  for (const line of text.split('\n')) {
    const start = pos;
    pos += line.length + 1;
    // Without a mark only a bare word can be a candidate, and only under a key that takes one.
    // KEY finds the same key LINE_KV would (the longest run of key characters, a quote aside); a
    // line LINE_KV does not split is free text, where bare words never count.
    if (takesBareHosts && !MARK.test(line)) {
      const k = KEY.exec(line);
      if (!k || !takesBareHosts(k[1])) continue;
    }
    if (!/[a-z]/.test(line) || /^\s*(#|\/\/|;)/.test(line)) continue;
    const m = LINE_KV.exec(line);
    if (m && m[2]) {
      let value = m[2];
      let offset = start + line.lastIndexOf(value);
      // "key": "value" — the quotes are not part of the value.
      const q = /^(["'])(.*)\1$/.exec(value);
      if (q) {
        value = q[2];
        offset += 1;
      }
      out.push({ name: m[1], offset, text: value, strong: false });
    } else {
      out.push({ name: '', offset: start, text: line, strong: true });
    }
  }
  return out;
}
