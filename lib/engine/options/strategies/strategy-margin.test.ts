import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { accountMargin, type AccountMargin } from "../../account-margin";
import { marginRequirement } from "../../margin";
import type { Money } from "../../money";
import { nakedOptionRequirement } from "../option-margin";
import { parseOccSymbol } from "../occ";
import { call, FEB, put, usd } from "./test-helpers";

type Holding = { symbol: string; quantity: number };
const STRATEGIES = { allowShort: true, shortMarginRequirementBps: 15_000, strategyMargin: true };
const SINGLE_LEGS = { allowShort: true, shortMarginRequirementBps: 15_000 };
const h = (symbol: string, quantity: number): Holding => ({ symbol, quantity });
const margin = (positions: Holding[], prices: Map<string, Money>, settings: Parameters<typeof accountMargin>[2] = STRATEGIES): AccountMargin => {
  const m = accountMargin(positions, prices, settings);
  if (!m.ok) throw new Error(m.error.message);
  return m.value;
};
const rows = (m: AccountMargin) => m.lines.map((l) => [l.kind, l.symbol, l.quantity, Number(l.requirement) / 1e6, l.legs ?? null]);
const naked = (symbol: string, mark: number, underlying: number) => {
  const c = parseOccSymbol(symbol);
  if (!c.ok) throw new Error(c.error.message);
  return nakedOptionRequirement({ contract: c.value, contracts: 1, optionPrice: usd(mark), underlyingPrice: usd(underlying) });
};

describe("strategy margin: published examples", () => {
  // XYZ at 175; marks of the condor's legs (any: the rule is the width).
  const condorPrices = new Map([["XYZ", usd(175)], [put(160), usd(0.6)], [put(170), usd(1.5)], [call(180), usd(1.6)], [call(190), usd(0.5)]]);
  const condor = [h(put(160), 10), h(put(170), -10), h(call(180), -10), h(call(190), 10)];

  it("10 iron condors of 170/160 puts and 180/190 calls need $10,000 (the wider wing: 10 × 100 × 10)", () => {
    const m = margin(condor, condorPrices);
    expect(rows(m)).toEqual([["iron_condor", call(180), 10, 10_000, [put(160), put(170), call(180), call(190)]]]);
    expect(m.requirement).toBe(usd(10_000));
    // Each alone: the short 170 put 1.50 + max(35 − 5, 17) = 31.50 → $3,150; the short 180 call 1.60 + max(35 − 5, 17.50) = 31.60 → $3,160.
    expect(margin(condor, condorPrices, SINGLE_LEGS).requirement).toBe(usd(10 * (3_150 + 3_160)));
  });

  it("an iron condor with uneven wings needs its wider wing; an iron butterfly likewise", () => {
    const prices = new Map([...condorPrices, [call(195), usd(0.3)], [call(175), usd(3)], [put(175), usd(3)]]);
    expect(margin([h(put(160), 2), h(put(170), -2), h(call(180), -2), h(call(195), 2)], prices).requirement).toBe(usd(2 * 1_500));
    const fly = margin([h(put(160), 1), h(put(175), -1), h(call(175), -1), h(call(190), 1)], prices);
    expect(rows(fly)).toEqual([["iron_butterfly", call(175), 1, 1_500, [put(160), put(175), call(175), call(190)]]]);
  });

  it("a short call vertical's requirement is its width × 100 × contracts; a debit vertical needs nothing more", () => {
    const prices = new Map([["XYZ", usd(100)], [call(100), usd(3)], [call(105), usd(1)]]);
    // The 100 call alone: 3 + max(20 − 0, 10) = 23 → $2,300 a contract; paired with the 105 call: 5 × 100 = $500.
    const credit = margin([h(call(100), -5), h(call(105), 5)], prices);
    expect(rows(credit)).toEqual([["credit_spread", call(100), 5, 2_500, [call(100), call(105)]]]);
    const debit = margin([h(call(100), 5), h(call(105), -5)], prices);
    expect(rows(debit)).toEqual([["debit_spread", call(105), 5, 0, [call(105), call(100)]]]);
    // A put credit spread: 5 wide.
    const putPrices = new Map([["XYZ", usd(100)], [put(100), usd(3)], [put(95), usd(1)]]);
    expect(margin([h(put(100), -3), h(put(95), 3)], putPrices).requirement).toBe(usd(1_500));
  });

  it("a spread never needs more than its written contract alone (Cboe: the lesser of the two)", () => {
    // A far 150 call written at 0.05 against a 200 call: alone 0.05 + max(20 − 50, 10) = 10.05 → $1,005 < the $5,000 width.
    const prices = new Map([["XYZ", usd(100)], [call(150), usd(0.05)], [call(200), usd(0.01)]]);
    expect(naked(call(150), 0.05, 100)).toBe(usd(1_005));
    expect(rows(margin([h(call(150), -1), h(call(200), 1)], prices))).toEqual([["credit_spread", call(150), 1, 1_005, [call(150), call(200)]]]);
  });

  it("a short strangle holds the larger leg's requirement plus the other's premium", () => {
    // XYZ at 100; call 105 at 2.00: 2 + max(20 − 5, 10) = 17 → $1,700; put 90 at 1.20: 1.20 + max(20 − 10, 9) = 11.20 → $1,120.
    // Strangle: $1,700 + the put's premium 1.20 × 100 = $1,820 (alone: $2,820).
    const prices = new Map([["XYZ", usd(100)], [call(105), usd(2)], [put(90), usd(1.2)], [call(100), usd(4)], [put(100), usd(3.5)]]);
    expect(naked(call(105), 2, 100)).toBe(usd(1_700));
    expect(naked(put(90), 1.2, 100)).toBe(usd(1_120));
    expect(rows(margin([h(call(105), -1), h(put(90), -1)], prices))).toEqual([["short_strangle", call(105), 1, 1_820, [put(90), call(105)]]]);
    // Two calls and one put: one strangle, one call alone.
    expect(margin([h(call(105), -2), h(put(90), -1)], prices).requirement).toBe(usd(1_820 + 1_700));
    // Straddle at 100: call 4 + 20 = 24 → $2,400; put 3.50 + 20 = 23.50 → $2,350; $2,400 + $350.
    expect(rows(margin([h(call(100), -1), h(put(100), -1)], prices))).toEqual([["short_straddle", call(100), 1, 2_750, [put(100), call(100)]]]);
  });

  it("butterflies: a long one needs nothing beyond its debit, a short one its lower width", () => {
    const prices = new Map([["XYZ", usd(100)], [call(95), usd(6)], [call(100), usd(3)], [call(105), usd(1)]]);
    const long = margin([h(call(95), 4), h(call(100), -8), h(call(105), 4)], prices);
    expect(rows(long)).toEqual([["butterfly", call(100), 4, 0, [call(95), call(100), call(105)]]]);
    const short = margin([h(call(95), -1), h(call(100), 2), h(call(105), -1)], prices);
    expect(short.requirement).toBe(usd(500));
  });

  it("calendars: the long expiring later pairs (a long calendar: the debit only); one expiring earlier does not", () => {
    const prices = new Map([["XYZ", usd(100)], [call(100), usd(3)], [call(100, FEB), usd(4)]]);
    expect(rows(margin([h(call(100), -1), h(call(100, FEB), 1)], prices))).toEqual([["debit_spread", call(100), 1, 0, [call(100), call(100, FEB)]]]);
    expect(rows(margin([h(call(100), 1), h(call(100, FEB), -1)], prices))).toEqual([["naked_call", call(100, FEB), 1, 2_400, null]]);
  });

  it("shares cover calls first, as before; a put spread in an account that may not short holds its width, not the strike", () => {
    const prices = new Map([["XYZ", usd(100)], [call(105), usd(2)], [call(110), usd(1)], [put(100), usd(3)], [put(95), usd(1)]]);
    expect(rows(margin([h("XYZ", 100), h(call(105), -1), h(call(110), 1)], prices))).toEqual([["covered_call", call(105), 1, 0, null]]);
    const cash = { allowShort: false, shortMarginRequirementBps: 15_000, strategyMargin: true };
    expect(rows(margin([h(put(100), -2), h(put(95), 2)], prices, cash))).toEqual([["credit_spread", put(100), 2, 1_000, [put(100), put(95)]]]);
    expect(rows(margin([h(put(100), -2)], prices, cash))).toEqual([["cash_secured_put", put(100), 2, 20_000, null]]);
  });

  it("closing one leg of a condor regroups what remains", () => {
    // The long 190 call closed: the put spread ($1,000 a unit) and the 180 call alone ($3,160 a contract).
    const noLongCall = margin(condor.filter((p) => p.symbol !== call(190)), condorPrices);
    expect(rows(noLongCall)).toEqual([
      ["credit_spread", put(170), 10, 10_000, [put(170), put(160)]],
      ["naked_call", call(180), 10, 31_600, null],
    ]);
    // The short 180 call bought back: the put spread alone.
    expect(margin(condor.filter((p) => p.symbol !== call(180)), condorPrices).requirement).toBe(usd(10_000));
  });
});

describe("strategy margin (property)", () => {
  const STRIKES = [80, 85, 90, 95, 100, 105, 110, 115, 120];
  const symbolArb = fc.record({ right: fc.constantFrom("call" as const, "put" as const), strike: fc.constantFrom(...STRIKES), far: fc.boolean() }).map((o) => (o.right === "call" ? call(o.strike, o.far ? FEB : undefined) : put(o.strike, o.far ? FEB : undefined)));
  const bookArb = fc.record({
    options: fc.uniqueArray(fc.record({ symbol: symbolArb, quantity: fc.integer({ min: -6, max: 6 }).filter((q) => q !== 0) }), { minLength: 1, maxLength: 7, selector: (p) => p.symbol }),
    shares: fc.integer({ min: -200, max: 300 }),
    underlying: fc.integer({ min: 60, max: 140 }),
    marks: fc.array(fc.integer({ min: 1, max: 3_000 }), { minLength: 7, maxLength: 7 }),
    allowShort: fc.boolean(),
  });
  type Book = typeof bookArb extends fc.Arbitrary<infer T> ? T : never;
  const setup = (b: Book) => {
    const positions = [...b.options, ...(b.shares !== 0 ? [h("XYZ", b.shares)] : [])];
    const prices = new Map<string, Money>([["XYZ", usd(b.underlying)], ...b.options.map((o, i): [string, Money] => [o.symbol, BigInt(b.marks[i]!) * 10_000n])]);
    return { positions, prices };
  };

  it("the paired requirement never exceeds the all-naked one, and does not depend on the positions' order", () => {
    let lower = 0;
    fc.assert(
      fc.property(bookArb, (b) => {
        const { positions, prices } = setup(b);
        const base = { allowShort: b.allowShort, shortMarginRequirementBps: 15_000 };
        const paired = margin(positions, prices, { ...base, strategyMargin: true });
        const alone = margin(positions, prices, base);
        expect(paired.requirement).toBeLessThanOrEqual(alone.requirement);
        if (paired.requirement < alone.requirement) lower++;
        // The total is the stock rule plus the lines of the written contracts.
        const optionLines = paired.lines.reduce((sum, l) => (l.kind === "short_stock" ? sum : sum + l.requirement), 0n);
        expect(paired.requirement).toBe(marginRequirement(paired.shortStockValue, 15_000) + optionLines);
        expect(margin([...positions].reverse(), prices, { ...base, strategyMargin: true }).requirement).toBe(paired.requirement);
      }),
      { seed: 240, numRuns: 500 },
    );
    expect(lower).toBeGreaterThan(100); // the pairing is exercised, not only the naked fallback
  });

  it("closing any one leg of a random condor leaves the requirement of the spread and the single leg that remain", () => {
    const condorArb = fc.record({
      strikes: fc.uniqueArray(fc.integer({ min: 50, max: 150 }), { minLength: 4, maxLength: 4 }).map((s) => [...s].sort((a, b) => a - b)),
      units: fc.integer({ min: 1, max: 20 }),
      underlying: fc.integer({ min: 40, max: 160 }),
      marks: fc.array(fc.integer({ min: 1, max: 2_000 }), { minLength: 4, maxLength: 4 }),
    });
    fc.assert(
      fc.property(condorArb, fc.integer({ min: 0, max: 3 }), (c, closed) => {
        const [lp, sp, sc, lc] = [put(c.strikes[0]!), put(c.strikes[1]!), call(c.strikes[2]!), call(c.strikes[3]!)];
        const legs = [h(lp, c.units), h(sp, -c.units), h(sc, -c.units), h(lc, c.units)];
        const prices = new Map<string, Money>([["XYZ", usd(c.underlying)], ...legs.map((l, i): [string, Money] => [l.symbol, BigInt(c.marks[i]!) * 10_000n])]);
        const whole = margin(legs, prices).requirement;
        const putSpread = margin([legs[0]!, legs[1]!], prices).requirement;
        const callSpread = margin([legs[2]!, legs[3]!], prices).requirement;
        // Both wings cannot lose at once: the wider wing's width, unless the spreads apart (each capped by its written leg alone) need less.
        const wider = BigInt(Math.max(c.strikes[1]! - c.strikes[0]!, c.strikes[3]! - c.strikes[2]!) * 100 * c.units) * 1_000_000n;
        expect(whole).toBe(putSpread + callSpread < wider ? putSpread + callSpread : wider);
        const remaining = legs.filter((_, i) => i !== closed);
        const pieces = [closed < 2 ? margin(remaining.filter((l) => l.symbol.includes("P")), prices).requirement : putSpread, closed >= 2 ? margin(remaining.filter((l) => l.symbol.includes("C")), prices).requirement : callSpread];
        expect(margin(remaining, prices).requirement).toBe(pieces[0]! + pieces[1]!);
      }),
      { seed: 2401, numRuns: 400 },
    );
  });
});
