import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Money } from "../../money";
import { settleExpiries, type ExpiringPosition } from "../expiry";
import type { OptionLeg } from "./legs";
import { payoffAtExpiry } from "./strategy-payoff";
import { buy, call, parsed, put, sell, usd } from "./test-helpers";

/**
 * A strategy held to expiry and settled leg by leg (settleExpiries): one leg assigned while the other expires, or both
 * delivered, nets to the payoff at expiry exactly: the cash of the deliveries plus the shares left valued at the close
 * equals the legs' value at expiry (payoffAtExpiry at a net price of 0).
 */
const expiring = (legs: readonly OptionLeg[], units: number): ExpiringPosition[] =>
  legs.map((l) => ({ contract: l.contract, quantity: (l.side === "buy" ? 1 : -1) * l.ratio * units }));

function settledValue(legs: readonly OptionLeg[], units: number, close: Money): { cash: Money; shares: number; value: Money } {
  let cash = 0n;
  let shares = 0;
  for (const s of settleExpiries(expiring(legs, units), close, 0)) {
    for (const f of s.fills) {
      if (f.symbol !== "XYZ") continue;
      const sign = f.side === "buy" || f.side === "buy_to_cover" ? 1 : -1;
      shares += sign * f.quantity;
      cash -= BigInt(sign * f.quantity) * f.price;
    }
  }
  return { cash, shares, value: cash + BigInt(shares) * close };
}

const options = (legs: ReturnType<typeof parsed>) => legs.filter((l): l is OptionLeg => l.kind === "option");

describe("a strategy settled at expiry nets to its payoff", () => {
  const creditCall = options(parsed([sell(call(100)), buy(call(105))]));

  it("a call credit spread with the short leg assigned and the long expiring: short 100 shares at 100, worth −$300 at 103", () => {
    const at103 = settleExpiries(expiring(creditCall, 1), usd(103), 0);
    expect(at103.map((s) => s.outcome)).toEqual(["assigned", "expired"]);
    expect(settledValue(creditCall, 1, usd(103))).toEqual({ cash: usd(10_000), shares: -100, value: usd(-300) });
  });

  it("both legs in the money: assigned and exercised, the shares net to 0 and the cash to −width × 100", () => {
    expect(settledValue(creditCall, 3, usd(112))).toEqual({ cash: usd(-1_500), shares: 0, value: usd(-1_500) });
  });

  it("over random strategies and closes, the settlement equals the payoff at expiry (at least $0.01 from every strike)", () => {
    const legArb = fc.record({ right: fc.constantFrom("call" as const, "put" as const), strike: fc.integer({ min: 80, max: 120 }), side: fc.constantFrom("buy" as const, "sell" as const), ratio: fc.integer({ min: 1, max: 2 }) });
    fc.assert(
      fc.property(fc.uniqueArray(legArb, { minLength: 2, maxLength: 4, selector: (l) => `${l.right}${l.strike}` }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 70, max: 130 }), fc.integer({ min: 1, max: 98 }), (specs, units, dollars, cents) => {
        // $d.cc5 with cc in 01–98: at least 1.5 cents from every whole-dollar strike (closer, a contract in the money by
        // less than $0.01 expires unexercised: OCC's threshold, not the payoff's).
        const close = BigInt(dollars) * 1_000_000n + BigInt(cents) * 10_000n + 5_000n;
        const legs = specs.map((l): OptionLeg => {
          const symbol = l.right === "call" ? call(l.strike) : put(l.strike);
          return { kind: "option", symbol, side: l.side, ratio: l.ratio, contract: { kind: "option", symbol, underlying: "XYZ", multiplier: 100, strike: usd(l.strike), expiry: "2026-01-16", right: l.right } };
        });
        expect(settledValue(legs, units, close).value).toBe(payoffAtExpiry(legs, close, 0n)! * BigInt(units));
      }),
      { seed: 2424, numRuns: 400 },
    );
  });
});
