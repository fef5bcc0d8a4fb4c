import type { Path } from '../parse/locate';
import { Resource, asArray, asObj, asString, get, isObj } from '../model/resource';
import type { PodTemplate } from '../model/workload';

/**
 * A string a workload hands to its program: an env value, an argument, or a key of a ConfigMap
 * or Secret it loads as env or mounts as a file. Calls are found inside these strings.
 */
export interface StringSource {
  text: string;
  /** The object the string is written in (the workload, or the ConfigMap/Secret) and the scalar's path. */
  owner: Resource;
  path: Path;
  /** Container name, '' for pod volumes (every container may read them). */
  container: string;
  /** `env REDIS_ADDR`, `args[2]`, `ConfigMap shop/app key app.properties (volume config)`. */
  via: string;
  /** value: one value (env); args: command-line items; text: file contents (free text). */
  mode: 'value' | 'args' | 'text';
  /** What the program calls this value (env name, flag, key); drives how bold the reading may be. */
  name: string;
  /** base64 Secret data: the decoded offsets do not map onto the file. */
  encoded?: boolean;
}

/** Looks up a ConfigMap or Secret of the unit by namespace and name. */
export type ConfigLookup = (kind: 'ConfigMap' | 'Secret', ns: string, name: string) => Resource | undefined;

/** Every string of a workload's pod template (and the config it loads) that may name an address. */
export function stringSources(t: PodTemplate, lookup: ConfigLookup): StringSource[] {
  const r = t.owner;
  const out: StringSource[] = [];
  const rel = (p: Path) => get(r.value, ...p.slice(r.base.length));
  for (const c of t.containers) {
    const raw = asObj(rel(c.path));
    if (!raw) continue;
    asArray(raw.env).forEach((e, i) => {
      if (!isObj(e)) return;
      const name = asString(e.name) ?? '';
      const value = e.value;
      if (typeof value === 'string' && value) {
        out.push({
          text: value,
          owner: r,
          path: [...c.path, 'env', i, 'value'],
          container: c.name,
          via: `env ${name}`,
          mode: 'value',
          name,
        });
        return;
      }
      const cmRef = asObj(get(e, 'valueFrom', 'configMapKeyRef'));
      const secRef = asObj(get(e, 'valueFrom', 'secretKeyRef'));
      const ref = cmRef ?? secRef;
      const refName = asString(ref?.name);
      const key = asString(ref?.key);
      if (!ref || !refName || !key) return;
      const kind = cmRef ? 'ConfigMap' : 'Secret';
      const obj = lookup(kind, t.namespace, refName);
      if (!obj) return;
      const entry = configEntry(obj, key);
      if (entry) out.push(fromEntry(entry, c.name, `env ${name} from ${kind} ${refName} key ${key}`, 'value', name));
    });
    for (const e of asArray(raw.envFrom)) {
      if (!isObj(e)) continue;
      const prefix = asString(e.prefix) ?? '';
      const cmName = asString(get(e, 'configMapRef', 'name'));
      const secName = asString(get(e, 'secretRef', 'name'));
      const kind = cmName ? 'ConfigMap' : 'Secret';
      const refName = cmName ?? secName;
      if (!refName) continue;
      const obj = lookup(kind, t.namespace, refName);
      if (!obj) continue;
      for (const key of configKeys(obj)) {
        const entry = configEntry(obj, key);
        if (entry)
          out.push(fromEntry(entry, c.name, `env ${prefix}${key} from ${kind} ${refName}`, 'value', prefix + key));
      }
    }
    for (const field of ['command', 'args'] as const) {
      asArray(raw[field]).forEach((a, i) => {
        if (typeof a !== 'string' || !a) return;
        out.push({
          text: a,
          owner: r,
          path: [...c.path, field, i],
          container: c.name,
          via: `${field}[${i}] of container ${c.name}`,
          mode: 'args',
          name: '',
        });
      });
    }
  }
  // Mounted ConfigMaps and Secrets: the program reads them as files.
  const specRaw = asObj(rel(t.specPath));
  for (const v of asArray(specRaw?.volumes)) {
    if (!isObj(v)) continue;
    const volName = asString(v.name) ?? '';
    const refs: { kind: 'ConfigMap' | 'Secret'; name: string | undefined; items: unknown }[] = [];
    if (isObj(v.configMap))
      refs.push({ kind: 'ConfigMap', name: asString(v.configMap.name), items: v.configMap.items });
    if (isObj(v.secret)) refs.push({ kind: 'Secret', name: asString(v.secret.secretName), items: v.secret.items });
    for (const s of asArray(get(v, 'projected', 'sources'))) {
      if (isObj(get(s, 'configMap')))
        refs.push({
          kind: 'ConfigMap',
          name: asString(get(s, 'configMap', 'name')),
          items: get(s, 'configMap', 'items'),
        });
      if (isObj(get(s, 'secret')))
        refs.push({ kind: 'Secret', name: asString(get(s, 'secret', 'name')), items: get(s, 'secret', 'items') });
    }
    for (const ref of refs) {
      if (!ref.name) continue;
      const obj = lookup(ref.kind, t.namespace, ref.name);
      if (!obj) continue;
      const items = asArray(ref.items)
        .map(i => asString(get(i, 'key')))
        .filter((k): k is string => !!k);
      for (const key of items.length ? items : configKeys(obj)) {
        const entry = configEntry(obj, key);
        if (entry)
          out.push(fromEntry(entry, '', `${ref.kind} ${ref.name} key ${key} (volume ${volName})`, 'text', key));
      }
    }
  }
  return out;
}

function configKeys(obj: Resource): string[] {
  const keys = new Set<string>();
  for (const field of ['data', 'stringData']) {
    const m = asObj(obj.value[field]);
    if (m) for (const k of Object.keys(m)) keys.add(k);
  }
  return [...keys];
}

type Entry = Pick<StringSource, 'text' | 'owner' | 'path' | 'encoded'>;

// Built field by field rather than spread: one object shape for every source keeps the loops over them fast.
// The entry's text and path arrays are shared, not copied: discovery memoises a key's scan by its path.
function fromEntry(e: Entry, container: string, via: string, mode: StringSource['mode'], name: string): StringSource {
  const s: StringSource = { text: e.text, owner: e.owner, path: e.path, container, via, mode, name };
  if (e.encoded) s.encoded = true;
  return s;
}

/** Per ConfigMap/Secret object: its keys as read (null: not a text key). */
const entries = new WeakMap<Resource, Map<string, Entry | null>>();

/**
 * One reading per (object, key), shared by envFrom, env and volumes of every workload: the same
 * text string then lets discovery reuse its scan, and a Secret is decoded once.
 */
function configEntry(obj: Resource, key: string): Entry | undefined {
  let m = entries.get(obj);
  if (!m) entries.set(obj, (m = new Map()));
  let e = m.get(key);
  if (e === undefined) m.set(key, (e = readEntry(obj, key) ?? null));
  return e ?? undefined;
}

/** The text of one key of a ConfigMap or Secret (Secret `data` is base64). */
function readEntry(obj: Resource, key: string): Entry | undefined {
  for (const field of obj.kind === 'Secret' ? ['stringData', 'data'] : ['data']) {
    const m = asObj(obj.value[field]);
    if (!m || !Object.prototype.hasOwnProperty.call(m, key)) continue;
    const v = m[key];
    if (typeof v !== 'string') continue;
    const path = [...obj.base, field, key];
    if (obj.kind === 'Secret' && field === 'data') {
      const text = decodeBase64(v);
      return text === undefined ? undefined : { text, owner: obj, path, encoded: true };
    }
    return { text: v, owner: obj, path };
  }
  return undefined;
}

function decodeBase64(v: string): string | undefined {
  const clean = v.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length > 200_000) return undefined;
  const text = Buffer.from(clean, 'base64').toString('utf8');
  // Binary payloads (keystores, certificates in DER) are not configuration text.
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 9 || (c > 13 && c < 32) || c === 0xfffd) && c !== 27) return undefined;
  }
  return text;
}
