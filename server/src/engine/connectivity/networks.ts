/**
 * Which network each workload sits on. By default every pod is on the cluster's pod network.
 * (Filled in by the user-defined-network support; see assignNetworks.)
 */
import type { Resource } from '../model/resource';
import type { Workload } from './workloads';

export interface NetworkAssignment {
  /** Unique key: `pod-network`, `udn:<ns>`, `cudn:<name>`, `nad:<name>`. */
  key: string;
  /** The name netpol-analyzer prints: the namespace for a UDN, the object name for a CUDN or NAD. */
  name: string;
  role: 'primary' | 'secondary';
  resource: 'pod-network' | 'UDN' | 'CUDN' | 'NAD';
}

export const PRIMARY_POD_NETWORK: NetworkAssignment = {
  key: 'pod-network',
  name: 'pod-network',
  role: 'primary',
  resource: 'pod-network',
};

export interface Networks {
  byWorkload: Map<string, { primary: NetworkAssignment; secondary: NetworkAssignment[] }>;
  multiNetwork: boolean;
}

export function assignNetworks(
  resources: readonly Resource[],
  workloads: readonly Workload[],
  namespaces: ReadonlyMap<string, Readonly<Record<string, string>>>,
  warnings: string[],
): Networks {
  void resources;
  void namespaces;
  void warnings;
  const byWorkload = new Map<string, { primary: NetworkAssignment; secondary: NetworkAssignment[] }>();
  for (const w of workloads) byWorkload.set(w.id, { primary: PRIMARY_POD_NETWORK, secondary: [] });
  return { byWorkload, multiNetwork: false };
}
