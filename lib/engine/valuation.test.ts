import { describe, expect, it } from "vitest";
import { flatPosition, type Position } from "./position";
import { usd } from "@/tests/support/engine-helpers";
import { valueAccount } from "./valuation";

describe("valueAccount", () => {
  const positions = new Map<string, Position>([
    ["AAPL", { ...flatPosition("AAPL"), quantity: 10, costBasis: usd(1_000) }], // long 10 @ 100
    ["MSFT", { ...flatPosition("MSFT"), quantity: -5, costBasis: usd(-1_100) }], // short 5 @ 220
    ["TSLA", { ...flatPosition("TSLA"), realizedPnl: usd(42) }], // flat: needs no price
  ]);

  it("marks longs and shorts: equity = cash + Σ signed quantity × price", () => {
    const r = valueAccount(usd(1_000), positions, new Map([["AAPL", usd(110)], ["MSFT", usd(200)]]));
    expect(r).toEqual({
      ok: true,
      value: {
        cash: usd(1_000),
        longValue: usd(1_100), // 10 × 110
        shortValue: usd(1_000), // 5 × 200
        equity: usd(1_100), // 1,000 + 1,100 − 1,000
        unrealizedPnl: usd(200), // (1,100 − 1,000) + (−1,000 + 1,100)
        realizedPnl: usd(42),
      },
    });
  });

  it("refuses to value an open position without a price", () => {
    const r = valueAccount(0n, positions, new Map([["AAPL", usd(110)]]));
    expect(!r.ok && r.error).toEqual({ code: "MISSING_PRICE", message: "no price for MSFT, needed to value -5 shares" });
  });
});
