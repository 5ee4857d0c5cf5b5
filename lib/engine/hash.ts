/**
 * A 32-bit hash of labels: FNV-1a over the parts joined by "|", then the murmur3 finaliser for
 * avalanche. Seeds generators from (seed, symbol, bar start, …) and makes deterministic ids, so results
 * do not depend on the order in which things are generated.
 */
export function hashLabels(...parts: readonly (string | number)[]): number {
  let h = 0x811c9dc5;
  const text = parts.join("|");
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}
