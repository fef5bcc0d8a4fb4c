import { parseTree, Node as JNode, ParseError } from 'jsonc-parser';
import { parseCidr, parseIp } from '../cidr';
import { pluginsOf } from '../extract/cni';
import type { AnnotationRef, NadRef } from '../extract/contribution';
import { JsonDoc, items, keys, prop, str, value } from '../text/jsonDoc';
import { TextMap, scalarTextMap } from '../text/textMap';
import type { PlanRule, PlanRuleContext } from './rule';
import { own } from '../../model/dict';

/** Selection-element keys multus decodes (multus pkg/types NetworkSelectionElement). */
const KNOWN = new Set([
  'name',
  'namespace',
  'ips',
  'mac',
  'interface',
  'default-route',
  'portMappings',
  'bandwidth',
  'cni-args',
  'infiniband-guid',
  'ipam-claim-reference',
  'interfaceRequest',
]);
const DID_YOU_MEAN: Record<string, string> = {
  gateway: 'default-route',
  'default-routes': 'default-route',
  defaultroute: 'default-route',
  ip: 'ips',
  ipaddress: 'ips',
  interfacename: 'interface',
  ifname: 'interface',
  ns: 'namespace',
};
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SHORT = /^(?:([^/@\s]+)\/)?([^/@\s]+)(?:@([^/@\s]+))?$/;

/** The pod annotation `k8s.v1.cni.cncf.io/networks`: JSON selection list or `ns/name@if` list. */
export const multusAnnotationInvalid: PlanRule = {
  id: 'multus-annotation-invalid',
  defaultSeverity: 'error',
  summary: 'A Multus k8s.v1.cni.cncf.io/networks annotation that multus rejects or silently misreads.',
  check(ctx) {
    const nads = ctx.contributions.flatMap(c => c.nads);
    for (const c of ctx.contributions) for (const a of c.annotations) checkAnnotation(ctx, a, nads);
  },
};

function docFor(ctx: PlanRuleContext, a: AnnotationRef): JsonDoc {
  const file = ctx.ws.file(a.fileId);
  const map = file ? scalarTextMap(file.text, file.locator.nodeAt(a.resource.doc, a.path), a.text) : undefined;
  return new JsonDoc(a.fileId, map ?? TextMap.identity(a.text), 'annotation', map ? undefined : a.anchor);
}

function checkAnnotation(ctx: PlanRuleContext, a: AnnotationRef, nads: NadRef[]): void {
  const doc = docFor(ctx, a);
  const rep = (anchor: ReturnType<JsonDoc['anchor']>, message: string, severity?: 'warning' | 'error') =>
    ctx.report({ fileId: a.fileId, anchor, message, severity });
  const text = a.text.trim();
  if (!text) return;
  if (!text.startsWith('[') && !text.startsWith('{')) {
    let pos = 0;
    for (const part of a.text.split(',')) {
      const item = part.trim();
      const start = a.text.indexOf(item, pos);
      pos = start + part.length;
      const m = SHORT.exec(item);
      if (!m || (m[1] && !DNS_LABEL.test(m[1])) || !DNS_LABEL.test(m[2])) {
        rep(
          doc.anchorAt(start, start + item.length),
          `"${item}" is not a network reference; multus expects "name", "namespace/name" or "name@interface" (DNS-1123 names), separated by commas.`,
        );
      } else checkNad(ctx, a, nads, m[2], m[1], doc.anchorAt(start, start + item.length), false);
    }
    return;
  }
  const errors: ParseError[] = [];
  const root = parseTree(doc.text, errors, { disallowComments: true, allowTrailingComma: false });
  if (errors.length || !root) {
    const e = errors[0];
    rep(
      doc.anchorAt(e?.offset ?? 0, (e?.offset ?? 0) + Math.max(1, e?.length ?? 1)),
      `The ${'k8s.v1.cni.cncf.io/networks'} annotation is not valid JSON (${e ? doc.errorMessage(e) : 'empty'}); multus fails to parse the pod's network selection. Fix the JSON.`,
    );
    return;
  }
  const elements: JNode[] = root.type === 'array' ? items(root) : [root];
  for (const el of elements) {
    if (el.type !== 'object') {
      rep(doc.anchor(el), 'Each network selection element must be an object with at least "name".');
      continue;
    }
    const name = str(prop(el, 'name'));
    if (!name)
      rep(
        doc.anchor(el.children?.[0] ?? el, 'key'),
        'A network selection element needs "name" (the NetworkAttachmentDefinition).',
      );
    for (const { key, prop: kp } of keys(el)) {
      if (KNOWN.has(key)) continue;
      const hint = own(DID_YOU_MEAN, key.toLowerCase());
      rep(
        doc.anchor(kp, 'key'),
        `"${key}" is not a multus network selection key, so multus silently ignores it${hint ? `; did you mean "${hint}"? (e.g. "default-route": ["10.1.1.1"])` : ''}. Known keys: ${[...KNOWN].join(', ')}.`,
        'warning',
      );
    }
    const ips = items(prop(el, 'ips'));
    for (const ipNode of ips) {
      const t = str(ipNode) ?? '';
      if (!parseCidr(t) && !parseIp(t))
        rep(doc.anchor(ipNode), `"${t}" is not an IP address with prefix (e.g. "10.1.1.101/24").`);
    }
    for (const gw of items(prop(el, 'default-route'))) {
      const t = str(gw) ?? '';
      if (!parseIp(t)) rep(doc.anchor(gw), `default-route entry "${t}" must be a gateway IP address.`);
    }
    const ifn = str(prop(el, 'interface'));
    if (ifn !== undefined && (ifn.length > 15 || /[/\s:]/.test(ifn) || ifn === '.' || ifn === '..'))
      rep(
        doc.anchor(prop(el, 'interface')),
        `Interface name "${ifn}" is invalid: at most 15 characters, no "/", ":" or spaces.`,
      );
    if (name) checkNad(ctx, a, nads, name, str(prop(el, 'namespace')), doc.anchor(prop(el, 'name')), ips.length > 0);
  }
}

/** When the NAD is in the workspace: `ips` needs the plugin's "ips" capability, else the request is dropped. */
function checkNad(
  ctx: PlanRuleContext,
  a: AnnotationRef,
  nads: NadRef[],
  name: string,
  ns: string | undefined,
  anchor: ReturnType<JsonDoc['anchor']>,
  wantsIps: boolean,
): void {
  const nad = nads.find(n => n.name === name && n.namespace === (ns ?? a.namespace));
  if (!nad || !wantsIps || !nad.config) return;
  const hasCap = pluginsOf(nad.config.node).some(p => value(prop(prop(p.node, 'capabilities'), 'ips')) === true);
  if (!hasCap) {
    ctx.report({
      fileId: a.fileId,
      anchor,
      severity: 'warning',
      message: `The pod requests "ips" on network ${name}, but its NetworkAttachmentDefinition declares no plugin with "capabilities": {"ips": true}, so the runtime drops the request. Add the capability to the NAD config.`,
      related: [{ fileId: nad.fileId, anchor: nad.anchor, message: `NetworkAttachmentDefinition ${nad.name}` }],
    });
  }
}
