import type { Path } from '../parse/locate';
import { Resource, asArray, asStringMap, get, isObj } from './resource';

/**
 * Turns parsed documents into resources. `kind: List` (and any `*List` with `items`) is
 * expanded so each item is a resource of its own, addressed by `items[i]` under the document.
 */
export function extractResources(fileId: string, docs: readonly unknown[], defaultNamespace: string): Resource[] {
  const out: Resource[] = [];
  docs.forEach((doc, di) => {
    if (!isObj(doc)) return;
    const kind = doc.kind;
    if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(doc.items)) {
      // A typed list (PodList, NamespaceList from `kubectl get -o yaml`) may omit the items' kind.
      const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
      asArray(doc.items).forEach((item, ii) => {
        const typed =
          itemKind && isObj(item) && item.kind === undefined
            ? { apiVersion: doc.apiVersion, kind: itemKind, ...item }
            : item;
        const r = toResource(fileId, di, ['items', ii], typed, defaultNamespace, `${di}.${ii}`);
        if (r) out.push(r);
      });
      return;
    }
    const r = toResource(fileId, di, [], doc, defaultNamespace, String(di));
    if (r) out.push(r);
  });
  return out;
}

function toResource(
  fileId: string,
  doc: number,
  base: Path,
  v: unknown,
  defaultNamespace: string,
  idSuffix: string,
): Resource | undefined {
  if (!isObj(v) || typeof v.kind !== 'string') return undefined;
  const ns = get(v, 'metadata', 'namespace');
  const name = get(v, 'metadata', 'name') ?? get(v, 'metadata', 'generateName');
  return {
    id: `${fileId}#${idSuffix}`,
    fileId,
    doc,
    base,
    apiVersion: typeof v.apiVersion === 'string' ? v.apiVersion : '',
    kind: v.kind,
    name: typeof name === 'string' ? name : '',
    namespace: typeof ns === 'string' && ns ? ns : defaultNamespace,
    namespaceExplicit: typeof ns === 'string' && ns !== '',
    labels: asStringMap(get(v, 'metadata', 'labels')),
    annotations: asStringMap(get(v, 'metadata', 'annotations')),
    value: v,
  };
}
