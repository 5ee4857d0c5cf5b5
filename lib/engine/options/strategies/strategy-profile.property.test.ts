import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Money } from "../../money";
import { formatOccSymbol } from "../occ";
import type { ParsedLeg } from "./legs";
import { payoffAtExpiry, slopeAboveStrikes } from "./strategy-payoff";
import { strategyProfile } from "./strategy-profile";

/**
 * Over random single-expiry strategies (1–4 option legs of any right, side, strike and ratio 1–3, with or without
 * shares of the underlying), random net prices (any micro) and random prices at expiry (seeded):
 *   the loss at expiry never exceeds the maxLoss computed at placement, nor the profit the maxProfit;
 *   an unlimited side really is (the payoff keeps moving beyond the highest strike);
 *   each breakeven is a zero of the payoff to the rounding of a micro of the underlying, and every change of sign
 *   between two prices has a breakeven between them.
 */
const EXPIRY = "2026-03-20";
const legArb = fc.record({
  right: fc.constantFrom("call" as const, "put" as const),
  strike: fc.integer({ min: 1, max: 400 }).map((d) => BigInt(d) * 500_000n), // $0.50 steps to $200
  side: fc.constantFrom("buy" as const, "sell" as const),
  ratio: fc.integer({ min: 1, max: 3 }),
});
const strategyArb = fc
  .record({
    options: fc.uniqueArray(legArb, { minLength: 1, maxLength: 4, selector: (l) => `${l.right}${l.strike}` }),
    stock: fc.option(fc.record({ side: fc.constantFrom("buy" as const, "sell" as const), hundreds: fc.integer({ min: 1, max: 2 }) }), { nil: undefined }),
  })
  .map(({ options, stock }): ParsedLeg[] => [
    ...options.map((o): ParsedLeg => {
      const symbol = formatOccSymbol({ underlying: "XYZ", expiry: EXPIRY, right: o.right, strike: o.strike });
      return { kind: "option", symbol, side: o.side, ratio: o.ratio, contract: { kind: "option", symbol, underlying: "XYZ", multiplier: 100, strike: o.strike, expiry: EXPIRY, right: o.right } };
    }),
    ...(stock ? [{ kind: "stock" as const, symbol: "XYZ", side: stock.side, ratio: stock.hundreds * 100 }] : []),
  ]);
const netArb = fc.bigInt({ min: -300_000_000n, max: 300_000_000n });
const priceArb = fc.bigInt({ min: 0n, max: 400_000_000n });

const payoff = (legs: readonly ParsedLeg[], s: Money, net: Money) => payoffAtExpiry(legs, s, net)!;
const steepest = (legs: readonly ParsedLeg[]) => legs.reduce((sum, l) => sum + BigInt(l.ratio) * (l.kind === "stock" ? 1n : 100n), 0n);

describe("strategyProfile against the payoff at expiry (property)", () => {
  it("the loss never exceeds maxLoss, the profit never exceeds maxProfit; unlimited sides are unbounded", () => {
    fc.assert(
      fc.property(strategyArb, netArb, fc.array(priceArb, { minLength: 1, maxLength: 20 }), (legs, net, prices) => {
        const p = strategyProfile(legs, net);
        for (const s of prices) {
          const v = payoff(legs, s, net);
          if (p.maxLoss !== null) expect(v).toBeGreaterThanOrEqual(-p.maxLoss);
          if (p.maxProfit !== null) expect(v).toBeLessThanOrEqual(p.maxProfit);
        }
        const far = 10_000_000_000n; // $10,000: beyond every strike
        const slope = slopeAboveStrikes(legs);
        expect(p.maxProfit === null).toBe(slope > 0n);
        expect(p.maxLoss === null).toBe(slope < 0n);
        if (p.maxProfit === null) expect(payoff(legs, far * 2n, net)).toBeGreaterThan(payoff(legs, far, net));
        if (p.maxLoss === null) expect(payoff(legs, far * 2n, net)).toBeLessThan(payoff(legs, far, net));
        // The bounds are reached: at 0 or a strike (or beyond the strikes when flat there).
        const kinks = [0n, ...legs.flatMap((l) => (l.kind === "option" ? [l.contract.strike] : []))].map((s) => payoff(legs, s, net));
        if (p.maxProfit !== null) expect(kinks).toContain(p.maxProfit);
        if (p.maxLoss !== null) expect(kinks).toContain(-p.maxLoss);
      }),
      { seed: 24, numRuns: 600 },
    );
  });

  it("breakevens are the payoff's zeros, and every change of sign has one", () => {
    fc.assert(
      fc.property(strategyArb, netArb, fc.uniqueArray(priceArb, { minLength: 2, maxLength: 20 }), (legs, net, prices) => {
        const p = strategyProfile(legs, net);
        const tolerance = steepest(legs); // one micro of the underlying moves the payoff by at most this many micros
        for (const b of p.breakevens) {
          const v = payoff(legs, b, net);
          expect(v < 0n ? -v : v).toBeLessThanOrEqual(tolerance);
        }
        const sorted = [...prices].sort((a, b) => (a < b ? -1 : 1));
        for (let i = 1; i < sorted.length; i++) {
          const [a, b] = [sorted[i - 1]!, sorted[i]!];
          const [fa, fb] = [payoff(legs, a, net), payoff(legs, b, net)];
          if ((fa < 0n && fb > 0n) || (fa > 0n && fb < 0n)) expect(p.breakevens.some((x) => x >= a - 1n && x <= b + 1n)).toBe(true);
        }
      }),
      { seed: 2024, numRuns: 600 },
    );
  });
});
