import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { hashLabels } from "@/lib/engine/hash";

/** Uniform numbers in [0, 1) from pure-rand's xoroshiro128+, seeded by labels (e.g. seed and clock). */
export function seededUniform(...parts: readonly (string | number)[]): () => number {
  const gen = xoroshiro128plus(hashLabels(...parts));
  return () => uniformFloat64(gen);
}
