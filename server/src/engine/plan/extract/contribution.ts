import type { Anchor, Path } from '../../parse/locate';
import type { Finding } from '../../findings';
import type { Resource } from '../../model/resource';
import type { CniMode, CniNetworkSummary, PlanEntry, Source } from '../model';
import type { JNode, JsonDoc } from '../text/jsonDoc';
import type { TextMap } from '../text/textMap';

export type EntryDraft = Omit<PlanEntry, 'id'>;

/** A value that must be an address; `cidr-invalid` checks every one of these. */
export interface AddressRef {
  fileId: string;
  anchor: Anchor;
  text: string;
  /** `cidr`: a network (no host bits); `host-cidr`: an interface address with prefix; `bip`: docker's bridge address; `ip`: a bare address. */
  expect: 'cidr' | 'host-cidr' | 'bip' | 'ip';
  label: string;
  /** Set for `{doc,path}` anchors so a fix can find the exact characters. */
  yamlValue?: boolean;
}

/** A CNI network config (conflist or single-plugin) to lint. */
export interface CniConfigRef {
  doc: JsonDoc;
  node: JNode;
  context: 'file' | 'configmap' | 'nad' | 'delegate';
  /** NetworkAttachmentDefinition name (multus injects it when the JSON has none). */
  nadName?: string;
  nadAnchor?: Anchor;
  /** cniVersion inherited from an enclosing multus config, for delegates. */
  parentVersion?: string;
}

export interface FlannelNetRef {
  doc: JsonDoc;
  node: JNode;
  scope: string;
}

export interface ServiceIpRef {
  fileId: string;
  anchor: Anchor;
  text: string;
  service: string;
  resource: Resource;
}

export interface AnnotationRef {
  fileId: string;
  resource: Resource;
  anchor: Anchor;
  path: Path;
  text: string;
  map?: TextMap;
  namespace: string;
}

export interface NadRef {
  name: string;
  namespace: string;
  fileId: string;
  anchor: Anchor;
  config?: CniConfigRef;
}

export interface MaskDecl {
  family: 4 | 6 | 0;
  value: number;
  source: Source;
  label: string;
  scope: string;
}

export interface DomainDecl {
  value: string;
  source?: Source;
  origin: 'declared' | 'default';
  label: string;
  scope: string;
}

/** What one file adds to the plan; cached per file version. */
export interface Contribution {
  fileId: string;
  entries: EntryDraft[];
  addresses: AddressRef[];
  cniConfigs: CniConfigRef[];
  flannel: FlannelNetRef[];
  findings: Finding[];
  services: ServiceIpRef[];
  annotations: AnnotationRef[];
  nads: NadRef[];
  nodeMasks: MaskDecl[];
  domains: DomainDecl[];
  cniModes: CniMode[];
  networks: CniNetworkSummary[];
  /** Cluster definitions (kind Cluster / kubeadm ClusterConfiguration) in this file make it a scope. */
  clusterDefinition: boolean;
  /** kubeadm/KCM `allocate-node-cidrs: false` seen in this scope. */
  allocateNodeCidrs?: boolean;
}

export function emptyContribution(fileId: string): Contribution {
  return {
    fileId,
    entries: [],
    addresses: [],
    cniConfigs: [],
    flannel: [],
    findings: [],
    services: [],
    annotations: [],
    nads: [],
    nodeMasks: [],
    domains: [],
    cniModes: [],
    networks: [],
    clusterDefinition: false,
  };
}

export function isEmpty(c: Contribution): boolean {
  return (
    !c.entries.length &&
    !c.addresses.length &&
    !c.cniConfigs.length &&
    !c.flannel.length &&
    !c.findings.length &&
    !c.services.length &&
    !c.annotations.length &&
    !c.nads.length &&
    !c.nodeMasks.length &&
    !c.domains.length &&
    !c.cniModes.length &&
    !c.clusterDefinition
  );
}

export const NOT_EVALUATED = 'value-not-evaluated';

/** The "cannot evaluate" note for templated values. */
export function notEvaluated(fileId: string, anchor: Anchor, placeholder: string, what: string): Finding {
  return {
    rule: NOT_EVALUATED,
    severity: 'information',
    fileId,
    anchor,
    related: [],
    fixes: [],
    message: `Cannot evaluate ${what}: \`${placeholder}\` is a templating placeholder filled in at install time, so kube-netlint does not check this value. Render the template to lint the real value.`,
  };
}
