/**
 * Sets `key` in a map that holds at most `max` entries: past that, the entry set longest
 * ago is dropped (Maps iterate in insertion order, so it is the first). For caches keyed
 * by what clients send (tokens, end-user ids), whose size clients must not decide.
 */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value as K);
}
