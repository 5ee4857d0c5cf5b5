import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseMoney, type Money } from "../money";
import { isListedStrike, nextStrikeAbove, nextStrikeBelow, strikeStep, strikesAround } from "./strike-grid";

const $ = (text: string): Money => parseMoney(text);
const dollars = (ms: Money[]) => ms.map((m) => Number(m) / 1e6);

describe("strike grid", () => {
  it("steps by band: $0.50 below $25, $1 to $100, $2.50 to $200, $5 to $500, $10 above", () => {
    expect(dollars(["3", "24.99", "25", "99.5", "100", "199", "200", "499", "500", "2500"].map((t) => strikeStep($(t))))).toEqual([
      0.5, 0.5, 1, 1, 2.5, 2.5, 5, 5, 10, 10,
    ]);
  });

  it.each([
    ["0.5", true], ["24.5", true], ["25", true], ["25.5", false], ["99", true], ["100", true], ["101", false],
    ["102.5", true], ["197.5", true], ["200", true], ["202.5", false], ["495", true], ["500", true], ["505", false],
    ["510", true], ["0", false], ["12.25", false],
  ] as const)("$%s listed: %s", (strike, listed) => {
    expect(isListedStrike($(strike))).toBe(listed);
  });

  it("lists strikes around a price: below it and at or above it", () => {
    expect(dollars(strikesAround($("100.3"), 3))).toEqual([98, 99, 100, 102.5, 105, 107.5]);
    expect(dollars(strikesAround($("25"), 2))).toEqual([24, 24.5, 25, 26]);
    expect(dollars(strikesAround($("0.7"), 3))).toEqual([0.5, 1, 1.5, 2]);
    expect(nextStrikeBelow($("0.5"))).toBeNull();
    expect(() => strikesAround($("100"), 0)).toThrow("each must be a whole number from 1 to 500");
  });

  it("strikesAround gives listed, consecutive strikes with the price between the halves (property)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 5_000_000_000n }), fc.integer({ min: 1, max: 20 }), (price, each) => {
        const strikes = strikesAround(price, each);
        const below = strikes.filter((s) => s < price);
        const above = strikes.filter((s) => s >= price);
        expect(above).toHaveLength(each);
        expect(below.length).toBeLessThanOrEqual(each);
        if (below.length < each) expect(nextStrikeBelow(strikes[0]!)).toBeNull();
        for (const s of strikes) expect(isListedStrike(s)).toBe(true);
        for (let k = 1; k < strikes.length; k++) expect(nextStrikeAbove(strikes[k - 1]!)).toBe(strikes[k]);
      }),
      { seed: 23, numRuns: 500 },
    );
  });
});
