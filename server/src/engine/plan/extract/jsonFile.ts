import { parseCidr } from '../cidr';
import { JsonDoc, JNode, items, prop, str, value, hasPlaceholder } from '../text/jsonDoc';
import { TextMap } from '../text/textMap';
import { Contribution, emptyContribution } from './contribution';
import { jsonProblems, looksLikeCni, readCniConfig } from './cni';

/** Cheap test on the raw text before parsing: is this JSON file a CNI config or a docker daemon.json? */
export function jsonLooksRelevant(text: string): boolean {
  return (
    /"(cniVersion|plugins|delegates|bip|default-address-pools|fixed-cidr)"/.test(text) ||
    (/"type"\s*:/.test(text) && /"(ipam|name)"\s*:/.test(text))
  );
}

export function isDockerDaemon(node: JNode | undefined): boolean {
  return (
    !!node &&
    node.type === 'object' &&
    !!(prop(node, 'bip') || prop(node, 'default-address-pools') || prop(node, 'fixed-cidr'))
  );
}

/** Reads a `.json` / `.conf` / `.conflist` file. */
export function readJsonFile(fileId: string, text: string): Contribution {
  const out = emptyContribution(fileId);
  if (!jsonLooksRelevant(text)) return out;
  const doc = new JsonDoc(fileId, TextMap.identity(text), fileId);
  if (isDockerDaemon(doc.root)) {
    readDocker(doc, out);
    return out;
  }
  if (!doc.root || (!looksLikeCni(doc.root) && doc.errors.length === 0)) {
    if (doc.errors.length && /"(cniVersion|plugins)"/.test(text)) jsonProblems(doc, out, 'This CNI config');
    return out;
  }
  jsonProblems(doc, out, 'This CNI config');
  if (doc.root.type === 'object') readCniConfig({ doc, node: doc.root, context: 'file' }, out);
  return out;
}

/** docker daemon.json: `bip` (bridge address), `fixed-cidr`, `default-address-pools`. */
function readDocker(doc: JsonDoc, out: Contribution): void {
  jsonProblems(doc, out, 'This daemon.json');
  const root = doc.root!;
  const bip = prop(root, 'bip');
  const bipText = str(bip);
  if (bip && bipText !== undefined) {
    const anchor = doc.anchor(bip);
    if (!hasPlaceholder(bipText)) {
      out.addresses.push({ fileId: doc.fileId, anchor, text: bipText, expect: 'bip', label: 'docker bip' });
      const c = parseCidr(bipText);
      if (c)
        out.entries.push({
          cidr: c,
          role: 'docker-bridge',
          component: 'docker',
          label: 'docker bridge docker0 (daemon.json bip)',
          origin: 'declared',
          source: { fileId: doc.fileId, anchor },
          scope: '',
        });
    }
  }
  const fixed = prop(root, 'fixed-cidr');
  if (str(fixed) !== undefined)
    out.addresses.push({
      fileId: doc.fileId,
      anchor: doc.anchor(fixed),
      text: str(fixed)!,
      expect: 'cidr',
      label: 'docker fixed-cidr',
    });
  items(prop(root, 'default-address-pools')).forEach((p, i) => {
    const base = prop(p, 'base');
    const text = str(base);
    if (!base || text === undefined) return;
    const anchor = doc.anchor(base);
    if (hasPlaceholder(text)) return;
    out.addresses.push({
      fileId: doc.fileId,
      anchor,
      text,
      expect: 'cidr',
      label: `docker default-address-pools[${i}].base`,
    });
    const c = parseCidr(text);
    const size = value(prop(p, 'size'));
    if (c)
      out.entries.push({
        cidr: c,
        role: 'docker-pool',
        component: 'docker',
        label: `docker default-address-pools[${i}] (networks of /${typeof size === 'number' ? size : '?'})`,
        origin: 'declared',
        source: { fileId: doc.fileId, anchor },
        scope: '',
        blockMask: typeof size === 'number' ? size : undefined,
      });
  });
}
