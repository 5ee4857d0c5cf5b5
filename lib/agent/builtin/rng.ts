import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";

/** A 32-bit hash of labels (FNV-1a, then the murmur3 finaliser): seeds and deterministic ids. */
export function hash32(...parts: readonly (string | number)[]): number {
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

/** Uniform numbers in [0, 1) from pure-rand's xoroshiro128+, seeded by labels (e.g. seed and clock). */
export function seededUniform(...parts: readonly (string | number)[]): () => number {
  const gen = xoroshiro128plus(hash32(...parts));
  return () => uniformFloat64(gen);
}
