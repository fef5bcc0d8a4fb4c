import { pluginsOf } from '../extract/cni';
import type { CniConfigRef } from '../extract/contribution';
import { JNode, items, keys, prop, str, value } from '../text/jsonDoc';
import type { PlanFinding, PlanRule, PlanRuleContext } from './rule';
import { parseCidr, sameNetwork, Cidr } from '../cidr';
import { own } from '../../model/dict';

/** libcni `pkg/version` All: exact strings. */
export const CNI_VERSIONS = ['0.1.0', '0.2.0', '0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'];
const MIN_VERSION: Record<string, string> = { firewall: '0.4.0', bandwidth: '0.3.0', vrf: '0.3.1' };
const CHAINED_ONLY = new Set(['portmap', 'bandwidth', 'tuning', 'firewall', 'sbr']);
const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const BOOL_KEYS = ['disableCheck', 'disableGC', 'loadOnlyInlinedPlugins'];
const MODES: Record<string, string[]> = {
  macvlan: ['bridge', 'private', 'vepa', 'passthru'],
  ipvlan: ['l2', 'l3', 'l3s'],
};

function cmpVersion(a: string, b: string): number {
  const pa = a.split('.').map(Number),
    pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** The CNI spec and libcni's own validation, per network config (files, ConfigMaps, NADs, multus delegates). */
export const cniConfigInvalid: PlanRule = {
  id: 'cni-config-invalid',
  defaultSeverity: 'error',
  summary:
    'A CNI network config that libcni or the plugins reject (name, cniVersion, plugins, type, versions, reserved keys, chaining).',
  check(ctx) {
    for (const c of ctx.contributions) for (const ref of c.cniConfigs) checkConfig(ref, f => ctx.report(f));
    sharedBridges(ctx);
  },
};

interface BridgeUse {
  ref: CniConfigRef;
  name: string;
  at: JNode;
  subnets: Cidr[];
}

/**
 * Two networks on one node using the same Linux bridge with different subnets: the second
 * fails with "cni0 already has an IP address different from …" (CRI-O, podman and flannel all
 * default to cni0; podman#12306).
 */
function sharedBridges(ctx: PlanRuleContext): void {
  const uses: BridgeUse[] = [];
  for (const c of ctx.contributions)
    for (const ref of c.cniConfigs) {
      for (const { node: p } of pluginsOf(ref.node)) {
        if (str(prop(p, 'type')) !== 'bridge') continue;
        const ipam = prop(p, 'ipam');
        const subnets = [
          prop(ipam, 'subnet'),
          ...items(prop(ipam, 'ranges')).flatMap(set => items(set).map(r => prop(r, 'subnet'))),
        ]
          .map(n => parseCidr(str(n) ?? ''))
          .filter((x): x is Cidr => !!x);
        if (subnets.length)
          uses.push({
            ref,
            name: str(prop(p, 'bridge')) ?? 'cni0',
            at: prop(p, 'bridge') ?? prop(p, 'type')!,
            subnets,
          });
      }
    }
  const placed = (u: BridgeUse) => ({ scope: '', source: { fileId: u.ref.doc.fileId } });
  for (const a of uses) {
    const others: { b: BridgeUse; nets: string }[] = [];
    let mine: Cidr | undefined;
    for (const b of uses) {
      if (a === b || a.name !== b.name || a.ref.doc === b.ref.doc || !ctx.comparable(placed(a), placed(b))) continue;
      const clash = a.subnets.find(
        x => b.subnets.some(y => y.family === x.family) && !b.subnets.some(y => sameNetwork(x, y)),
      );
      if (!clash) continue;
      mine ??= clash;
      others.push({
        b,
        nets: b.subnets
          .filter(y => y.family === clash.family)
          .map(y => y.network)
          .join(', '),
      });
    }
    if (!mine) continue;
    ctx.report({
      fileId: a.ref.doc.fileId,
      anchor: a.ref.doc.anchor(a.at),
      severity: 'warning',
      message: `Bridge "${a.name}" gets ${mine.network} here but ${others.map(o => `${o.nets} in ${o.b.ref.doc.where.replace(/^.*[\\/]/, '')}`).join('; ')}; if these configs are used on one node the bridge plugin fails with "${a.name} already has an IP address different from …". Give each network its own bridge name.`,
      related: others.slice(0, 5).map(({ b, nets }) => ({
        fileId: b.ref.doc.fileId,
        anchor: b.ref.doc.anchor(b.at),
        message: `bridge ${b.name} with ${nets}`,
      })),
    });
  }
}

function checkConfig(ref: CniConfigRef, report: (f: PlanFinding) => void): void {
  const { doc, node } = ref;
  const at = (
    n: JNode | undefined,
    message: string,
    severity?: PlanFinding['severity'],
    part: 'value' | 'key' | 'pair' = 'value',
  ) => report({ fileId: doc.fileId, anchor: doc.anchor(n ?? node, part), message, severity });
  const what =
    ref.context === 'nad'
      ? `The CNI config of NetworkAttachmentDefinition ${ref.nadName}`
      : ref.context === 'delegate'
        ? 'This multus delegate config'
        : 'This CNI config';

  // name
  const nameNode = prop(node, 'name');
  const name = str(nameNode);
  if (!nameNode) {
    if (ref.context !== 'nad')
      at(
        node.children?.[0] ?? node,
        `${what} has no "name"; libcni fails with "error parsing configuration list: no name". Add "name": a unique network name.`,
        'error',
        'key',
      );
  } else if (name === undefined) {
    at(nameNode, `"name" must be a string (libcni: "invalid name type").`);
  } else if (!NAME_RE.test(name)) {
    at(
      nameNode,
      `Network name "${name}" is invalid: it must start with a letter or digit and contain only letters, digits, "_", "." and "-" (libcni: "invalid characters found in network name").`,
    );
  } else if (ref.context === 'nad' && ref.nadName && name !== ref.nadName) {
    at(
      nameNode,
      `CNI network name "${name}" differs from the NetworkAttachmentDefinition name "${ref.nadName}"; the multi-net spec strongly recommends they match (results and status are reported under one of them). Rename one of them.`,
      'warning',
    );
  }

  // cniVersion
  const verNode = prop(node, 'cniVersion');
  const version = str(verNode);
  if (!verNode) {
    at(
      node.children?.[0] ?? node,
      `${what} has no "cniVersion"; libcni then treats it as 0.1.0 (legacy result format, no CHECK). Add "cniVersion": "1.0.0" (or the version your plugins support).`,
      'warning',
      'key',
    );
  } else if (version === undefined) {
    at(verNode, `"cniVersion" must be a string such as "1.0.0" (libcni: "invalid cniVersion type").`);
  } else if (doc.placeholderIn(verNode)) {
    // a templated version is reported as not evaluated
  } else if (!CNI_VERSIONS.includes(version)) {
    at(
      verNode,
      `cniVersion "${version}" is not a CNI spec version; versions are matched as exact strings, so plugins fail with "incompatible CNI versions". Use one of ${CNI_VERSIONS.join(', ')}.`,
    );
  } else if (version === '1.1.0') {
    at(
      verNode,
      'cniVersion "1.1.0" is only accepted by runtimes and plugins built on libcni v1.2 or later; older ones reject it with "incompatible CNI versions". Use "1.0.0" unless every node runs current plugins.',
      'warning',
    );
  }
  const versions = prop(node, 'cniVersions');
  if (versions) {
    if (versions.type !== 'array')
      at(versions, '"cniVersions" must be a list of version strings (libcni: "invalid type for cniVersions").');
    else
      for (const v of items(versions))
        if (typeof value(v) !== 'string' || !CNI_VERSIONS.includes(value(v) as string))
          at(
            v,
            `cniVersions entry ${JSON.stringify(value(v))} is not a CNI spec version (${CNI_VERSIONS.join(', ')}).`,
          );
  }
  for (const k of BOOL_KEYS) {
    const n = prop(node, k);
    const v = value(n);
    if (n && typeof v !== 'boolean' && !(typeof v === 'string' && /^(true|false)$/i.test(v)))
      at(n, `"${k}" must be true or false (libcni: "invalid value for ${k}").`);
  }

  // plugins
  const pluginsNode = prop(node, 'plugins');
  if (pluginsNode) {
    if (pluginsNode.type !== 'array') {
      at(pluginsNode, `"plugins" must be a list of plugin objects (libcni: "invalid 'plugins' type").`);
      return;
    }
    if (!items(pluginsNode).length) {
      at(
        pluginsNode,
        `"plugins" is empty; libcni fails with "no plugins in list". Add at least one plugin object with a "type".`,
      );
      return;
    }
  } else if (value(prop(node, 'loadOnlyInlinedPlugins')) === true) {
    at(prop(node, 'loadOnlyInlinedPlugins'), '"loadOnlyInlinedPlugins": true needs a "plugins" list.');
  }
  const list = pluginsOf(node);
  const effective = version && CNI_VERSIONS.includes(version) ? version : undefined;
  for (const { node: p, index } of list) {
    const label = index >= 0 ? `plugins[${index}]` : 'This single-plugin config';
    if (p.type !== 'object') {
      at(p, `${label} must be an object with a "type".`);
      continue;
    }
    const typeNode = prop(p, 'type');
    const type = str(typeNode);
    if (!typeNode) {
      at(
        index >= 0 ? p : (node.children?.[0] ?? p),
        index >= 0
          ? `${label} has no "type"; libcni fails with "failed to parse plugin config ${index}: missing 'type'". Add the plugin binary name, e.g. "type": "bridge".`
          : `${what} has neither "plugins" nor "type"; libcni cannot load it ("no 'type'; perhaps this is a .conflist?"). Add "plugins": [...] or the plugin "type".`,
        'error',
        index >= 0 ? 'value' : 'key',
      );
      continue;
    }
    if (type === undefined) {
      at(typeNode, `"type" must be a string naming the plugin binary.`);
      continue;
    }
    if (/[\\/]/.test(type))
      at(typeNode, `Plugin type "${type}" must be a binary name found in CNI_PATH, without "/" or "\\".`);
    const min = own(MIN_VERSION, type);
    if (min && effective && cmpVersion(effective, min) < 0) {
      at(
        typeNode,
        `The ${type} plugin supports cniVersion ${min} and later, but this config is "${effective}"; it fails with "incompatible CNI versions". Raise cniVersion to at least ${min}.`,
      );
    }
    for (const { key, prop: kp } of keys(p)) {
      const lower = key.toLowerCase();
      if (lower === 'runtimeconfig' || lower === 'args' || lower === 'prevresult' || lower.startsWith('cni.dev/')) {
        report({
          fileId: doc.fileId,
          anchor: doc.anchor(kp, 'key'),
          severity: 'warning',
          message: `"${key}" is reserved: the runtime generates it (capabilities become runtimeConfig, CNI_ARGS become args), so a value written here is overwritten or misread. Remove it; request runtime data with "capabilities".`,
        });
      }
    }
    if (CHAINED_ONLY.has(type) && (index === 0 || index === -1)) {
      at(
        typeNode,
        `The ${type} plugin only works chained after a plugin that creates the interface (it needs prevResult; portmap fails with "must be called as chained plugin"). Put it after the main plugin in "plugins".`,
        'warning',
      );
    }
    if (type === 'portmap' && value(prop(prop(p, 'capabilities'), 'portMappings')) !== true) {
      at(
        typeNode,
        'portmap without "capabilities": {"portMappings": true} never receives the pod\'s hostPorts (the runtime only passes capabilities the plugin declares). Add the capability.',
        'warning',
      );
    }
    if (type === 'bridge') {
      if (value(prop(p, 'hairpinMode')) === true && value(prop(p, 'promiscMode')) === true)
        at(
          prop(p, 'promiscMode'),
          'The bridge plugin fails with "cannot set hairpin mode and promiscuous mode at the same time". Keep one of them.',
        );
      const vlan = prop(p, 'vlan');
      const v = value(vlan);
      if (vlan && (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 4094))
        at(vlan, `invalid VLAN ID ${JSON.stringify(v)} (must be between 0 and 4094).`);
    }
    const modes = own(MODES, type);
    const mode = str(prop(p, 'mode'));
    if (modes && mode !== undefined && !modes.includes(mode))
      at(prop(p, 'mode'), `unknown ${type} mode "${mode}"; use one of ${modes.join(', ')}.`);
    const ipam = prop(p, 'ipam');
    if (ipam && ipam.type === 'object' && ipam.children?.length && !prop(ipam, 'type'))
      at(ipam, '"ipam" needs a "type" (host-local, static, dhcp, …); use {} for no IPAM.');
    if (
      str(prop(ipam, 'type')) === 'static' &&
      !items(prop(ipam, 'addresses')).length &&
      value(prop(prop(p, 'capabilities'), 'ips')) !== true
    ) {
      at(
        prop(ipam, 'type'),
        'static IPAM without "addresses" and without "capabilities": {"ips": true} fails with "IPAM plugin returned missing IP config". Add addresses or the ips capability.',
        'warning',
      );
    }
  }
}
