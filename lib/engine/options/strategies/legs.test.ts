import { describe, expect, it } from "vitest";
import { parseLegs, type StrategyLeg } from "./legs";
import { buy, call, opt, put, sell } from "./test-helpers";

const refusal = (legs: readonly StrategyLeg[]) => {
  const r = parseLegs(legs);
  return r.ok ? null : [r.error.code, r.error.message];
};

describe("parseLegs", () => {
  it("reads option and stock legs with their contracts", () => {
    const r = parseLegs([buy("XYZ", 100), sell(call(105))]);
    expect(r.ok && r.value.map((l) => [l.kind, l.symbol, l.side, l.ratio])).toEqual([
      ["stock", "XYZ", "buy", 100],
      ["option", "XYZ260116C00105000", "sell", 1],
    ]);
    const c = r.ok ? r.value[1] : null;
    expect(c?.kind === "option" && [c.contract.underlying, c.contract.strike, c.contract.right, c.contract.expiry]).toEqual(["XYZ", 105_000_000n, "call", "2026-01-16"]);
  });

  it("refuses fewer than 2 or more than 4 legs", () => {
    expect(refusal([buy(call(100))])).toEqual(["INVALID_LEGS", "a strategy has 2 to 4 legs; got 1 (a single contract is an ordinary order)"]);
    expect(refusal([buy(call(100)), sell(call(105)), buy(call(110)), sell(call(115)), buy(call(120))])).toEqual(["INVALID_LEGS", "a strategy has 2 to 4 legs; got 5"]);
  });

  it("refuses a ratio that is not a whole number ≥ 1, and a stock leg not in hundreds", () => {
    expect(refusal([buy(call(100), 1.5), sell(call(105))])).toEqual([
      "INVALID_LEGS",
      'leg 1 ("XYZ260116C00100000"): the ratio 1.5 is not a whole number ≥ 1 (contracts, or shares for a stock leg, per unit)',
    ]);
    expect(refusal([buy(call(100)), sell(call(105), 0)])?.[1]).toContain("leg 2 (\"XYZ260116C00105000\"): the ratio 0 is not a whole number ≥ 1");
    expect(refusal([buy("XYZ", 50), sell(call(105))])).toEqual([
      "INVALID_LEGS",
      "leg 1 (\"XYZ\"): a stock leg's ratio counts shares per unit and must be a multiple of 100 (one contract's deliverable); got 50",
    ]);
  });

  it("refuses a bad side and a symbol that is neither a contract nor a stock", () => {
    expect(refusal([{ symbol: call(100), side: "sell_short" as "sell", ratio: 1 }, sell(call(105))])?.[1]).toBe('leg 1 ("XYZ260116C00100000"): the side must be "buy" or "sell"');
    expect(refusal([buy(call(100)), sell("xyz")])?.[1]).toBe('leg 2 ("xyz"): neither an OCC option symbol nor a stock symbol: symbol "xyz" must be upper-case: send "XYZ"');
    expect(refusal([buy(call(100)), sell("XYZ260231C00105000")])?.[1]).toMatch(/^leg 2 \("XYZ260231C00105000"\): "XYZ260231C00105000": the expiry 260231 \(yymmdd\) is not a calendar date$/);
  });

  it("refuses option legs on different underlyings and a stock leg of another symbol", () => {
    expect(refusal([buy(call(100)), sell(opt("call", 105, "2026-01-16", "ABC")), sell(put(95))])).toEqual([
      "INVALID_LEGS",
      "the option legs are on different underlyings: XYZ (leg 1, leg 3) and ABC (leg 2); a strategy trades options on one underlying",
    ]);
    expect(refusal([buy("ABC", 100), sell(call(105))])).toEqual([
      "INVALID_LEGS",
      "leg 1: the stock leg ABC is not the options' underlying XYZ; a stock leg must be the underlying itself",
    ]);
    expect(refusal([buy("XYZ", 100), sell("XYZ", 100)])?.[1]).toBe("a strategy needs at least one option leg; shares alone are an ordinary order");
  });

  it("refuses the same symbol twice", () => {
    expect(refusal([buy(call(100)), sell(call(105)), sell(call(100))])).toEqual([
      "INVALID_LEGS",
      "XYZ260116C00100000 appears in legs 1 and 3; give each symbol once, with its ratio",
    ]);
  });

  it("refuses ratios not in lowest terms (Alpaca: greatest common divisor 1), a stock leg counting per 100 shares", () => {
    expect(refusal([buy(call(100), 2), sell(call(105), 4), buy(call(110), 2)])).toEqual([
      "INVALID_LEGS",
      "the ratios 2:4:2 share a factor of 2; give them in lowest terms (1:2:1) and the quantity in units (Alpaca requires ratios whose greatest common divisor is 1; a stock leg counts per 100 shares)",
    ]);
    expect(refusal([buy("XYZ", 200), sell(call(105), 2)])?.[1]).toMatch(/^the ratios 2:2 share a factor of 2; give them in lowest terms \(1:1\)/);
    expect(refusal([buy("XYZ", 200), sell(call(105), 1)])).toBeNull(); // a 2:1 covered write is whole
    expect(refusal([buy(call(100), 2), sell(call(105), 3)])).toBeNull();
  });
});
