import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseMoney } from "../money";
import { EXERCISE_THRESHOLD, inTheMoney, settleExpiries, type ExpiringPosition } from "./expiry";

const $ = parseMoney;
const position = (right: "call" | "put", strike: string, quantity: number): ExpiringPosition => ({
  contract: { symbol: `AAPL251017${right === "call" ? "C" : "P"}${String(Number(strike) * 1000).padStart(8, "0")}`, underlying: "AAPL", right, strike: $(strike), multiplier: 100 },
  quantity,
});
const summary = (s: ReturnType<typeof settleExpiries>) => s.map((x) => [x.outcome, ...x.fills.map((f) => `${f.side} ${f.quantity} ${f.symbol} @ ${Number(f.price) / 1e6}`)]);

describe("expiry at the close", () => {
  it("in the money by $0.01 or more: exercised (long) or assigned (short), 100 shares a contract at the strike", () => {
    expect(summary(settleExpiries([position("call", "250", 2)], $("250.01"), 0))).toEqual([
      ["exercised", "sell 2 AAPL251017C00250000 @ 0", "buy 200 AAPL @ 250"],
    ]);
    expect(summary(settleExpiries([position("put", "250", -1)], $("240"), 0))).toEqual([
      ["assigned", "buy_to_cover 1 AAPL251017P00250000 @ 0", "buy 100 AAPL @ 250"],
    ]);
  });

  it("less than $0.01 in the money, at the money or out of it: expires worthless, the position closed at 0", () => {
    expect(summary(settleExpiries([position("call", "250", 2), position("put", "250", -3)], $("250.009999"), 0))).toEqual([
      ["expired", "sell 2 AAPL251017C00250000 @ 0"],
      ["expired", "buy_to_cover 3 AAPL251017P00250000 @ 0"],
    ]);
    expect(inTheMoney({ right: "put", strike: $("250") }, $("249.99"))).toBe(EXERCISE_THRESHOLD);
  });

  it("a covered call assigned sells the shares held; a long put beyond the shares held opens a short for the rest", () => {
    expect(summary(settleExpiries([position("call", "100", -2)], $("110"), 300))).toEqual([
      ["assigned", "buy_to_cover 2 AAPL251017C00100000 @ 0", "sell 200 AAPL @ 100"],
    ]);
    expect(summary(settleExpiries([position("put", "100", 3)], $("90"), 120))).toEqual([
      ["exercised", "sell 3 AAPL251017P00100000 @ 0", "sell 120 AAPL @ 100", "sell_short 180 AAPL @ 100"],
    ]);
  });

  it("several expiries on one underlying net through the stock position in order: a buy first covers a short", () => {
    // A short call assigned takes the account short 100; the long call exercised after it covers that first.
    expect(summary(settleExpiries([position("call", "100", -1), position("call", "105", 2)], $("110"), 0))).toEqual([
      ["assigned", "buy_to_cover 1 AAPL251017C00100000 @ 0", "sell_short 100 AAPL @ 100"],
      ["exercised", "sell 2 AAPL251017C00105000 @ 0", "buy_to_cover 100 AAPL @ 105", "buy 100 AAPL @ 105"],
    ]);
  });

  it("a flat position settles nothing", () => {
    expect(settleExpiries([position("call", "100", 0)], $("110"), 0)).toEqual([]);
  });
});

describe("expiry, over random books (seeded)", () => {
  const book = fc.record({
    positions: fc.array(
      fc.record({ right: fc.constantFrom("call" as const, "put" as const), strike: fc.integer({ min: 50, max: 150 }), quantity: fc.integer({ min: -5, max: 5 }) }),
      { maxLength: 4 },
    ),
    close: fc.integer({ min: 40_000_000, max: 160_000_000 }), // $40 to $160, in micros
    shares: fc.integer({ min: -500, max: 500 }),
  });

  it("each fill is valid against the running stock position, and what changes hands is worth exactly the intrinsic value at the close", () => {
    fc.assert(
      fc.property(book, ({ positions, close, shares }) => {
        const ps = positions.map((p) => position(p.right, String(p.strike), p.quantity));
        const settled = settleExpiries(ps, BigInt(close), shares);
        let held = shares;
        let cash = 0n;
        let intrinsic = 0n;
        for (const p of ps) {
          const itm = inTheMoney(p.contract, BigInt(close));
          if (p.quantity !== 0 && itm >= EXERCISE_THRESHOLD) intrinsic += BigInt(p.quantity) * 100n * itm;
        }
        for (const s of settled) {
          expect(s.fills[0]!.price).toBe(0n); // the option closes at 0
          for (const f of s.fills.slice(1)) {
            if (f.side === "sell") expect(f.quantity).toBeLessThanOrEqual(held);
            if (f.side === "buy_to_cover") expect(f.quantity).toBeLessThanOrEqual(-held);
            if (f.side === "sell_short") expect(held).toBeLessThanOrEqual(0);
            if (f.side === "buy") expect(held).toBeGreaterThanOrEqual(0);
            const dq = f.side === "buy" || f.side === "buy_to_cover" ? f.quantity : -f.quantity;
            held += dq;
            cash -= BigInt(dq) * f.price;
          }
        }
        // Shares delivered at the strike, valued at the close: the holder's gain is the intrinsic value, no more, no less.
        expect(cash + BigInt(held - shares) * BigInt(close)).toBe(intrinsic);
      }),
      { seed: 23, numRuns: 500 },
    );
  });
});
