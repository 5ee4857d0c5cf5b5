import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { divRound } from "./rounding";

describe("divRound", () => {
  it.each([
    [7n, 2n, "floor", 3n],
    [-7n, 2n, "floor", -4n],
    [7n, 2n, "ceil", 4n],
    [-7n, 2n, "ceil", -3n],
    [5n, 2n, "half_away", 3n],
    [-5n, 2n, "half_away", -3n],
    [7n, 3n, "half_away", 2n],
    [-8n, 3n, "half_away", -3n],
    [6n, 3n, "ceil", 2n],
  ] as const)("%s / %s (%s) = %s", (n, d, mode, q) => {
    expect(divRound(n, d, mode)).toBe(q);
  });

  it("agrees with exact rational bounds (property)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }), fc.bigInt({ min: 1n, max: 10n ** 9n }), (n, d) => {
        const f = divRound(n, d, "floor");
        const c = divRound(n, d, "ceil");
        const h = divRound(n, d, "half_away");
        const absDiff2 = (q: bigint) => (n - q * d < 0n ? -(n - q * d) : n - q * d) * 2n;
        return f * d <= n && n < (f + 1n) * d && c * d >= n && n > (c - 1n) * d && absDiff2(h) <= d;
      }),
      { seed: 42 },
    );
  });

  it("refuses a non-positive divisor", () => {
    expect(() => divRound(1n, 0n, "floor")).toThrow(RangeError);
  });
});
