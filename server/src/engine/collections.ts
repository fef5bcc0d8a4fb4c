/** Small collection helpers the engine's indexes share. */

/** Appends `v` to the list `m` holds under `k`, starting the list when there is none. */
export function addTo<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}
