import type { Rule } from './rule';
import { serviceSelectorNoMatch } from './serviceSelectorNoMatch';
import { workloadSelectorMismatch } from './workloadSelectorMismatch';
import { serviceTargetPortUnresolved } from './serviceTargetPortUnresolved';
import { serviceTargetPortUndeclared } from './serviceTargetPortUndeclared';
import { servicePortProtocolMismatch } from './servicePortProtocolMismatch';
import { podPortConflict } from './podPortConflict';
import { podPortNameDuplicate } from './podPortNameDuplicate';
import { portNameInvalid } from './portNameInvalid';
import { portValueInvalid } from './portValueInvalid';
import { servicePortDuplicate } from './servicePortDuplicate';
import { servicePortNameRequired } from './servicePortNameRequired';
import { nodePortOutOfRange } from './nodePortOutOfRange';
import { nodePortDuplicate } from './nodePortDuplicate';
import { hostPortConflict } from './hostPortConflict';
import { probePortUndefined } from './probePortUndefined';
import { ingressBackendServiceMissing } from './ingressBackendServiceMissing';
import { ingressBackendPortMissing } from './ingressBackendPortMissing';
import { networkPolicySelectsNothing } from './networkPolicySelectsNothing';
import { routeBackendServiceMissing } from './routeBackendServiceMissing';
import { routeBackendPortMissing } from './routeBackendPortMissing';
import { routeBackendNotPermitted } from './routeBackendNotPermitted';
import { routeParentMissing } from './routeParentMissing';
import { routeParentNotAllowed } from './routeParentNotAllowed';
import { objectDuplicate } from './objectDuplicate';

/** Every per-resource rule. */
export const ALL_RULES: Rule[] = [
  serviceSelectorNoMatch,
  workloadSelectorMismatch,
  serviceTargetPortUnresolved,
  serviceTargetPortUndeclared,
  servicePortProtocolMismatch,
  podPortConflict,
  podPortNameDuplicate,
  portNameInvalid,
  portValueInvalid,
  servicePortDuplicate,
  servicePortNameRequired,
  nodePortOutOfRange,
  nodePortDuplicate,
  hostPortConflict,
  probePortUndefined,
  ingressBackendServiceMissing,
  ingressBackendPortMissing,
  networkPolicySelectsNothing,
  routeBackendServiceMissing,
  routeBackendPortMissing,
  routeBackendNotPermitted,
  routeParentMissing,
  routeParentNotAllowed,
  objectDuplicate,
];
