import { describe, expect, it } from "vitest";
import { applyFillToPosition, averageCost, flatPosition, unrealizedPnl, type Position } from "./position";
import type { Fill } from "./fill";
import { fill, usd } from "@/tests/support/engine-helpers";

function apply(p: Position, f: Fill): Position {
  const r = applyFillToPosition(p, f);
  if (!r.ok) throw new Error(r.error.message);
  return r.value.position;
}

describe("positions folded from fills", () => {
  it("averages cost on buys and realizes P&L on sells", () => {
    let p = apply(flatPosition("AAPL"), fill("buy", 10, usd(100)));
    p = apply(p, fill("buy", 30, usd(120)));
    // basis = 10×100 + 30×120 = 4,600 → average 115.00
    expect(p).toMatchObject({ quantity: 40, costBasis: usd(4600) });
    expect(averageCost(p)).toBe(usd(115));
    const r = applyFillToPosition(p, fill("sell", 10, usd(130)));
    // released = 4600 × 10/40 = 1,150; realized = 1,300 − 1,150 = 150
    expect(r.ok && r.value.realizedPnl).toBe(usd(150));
    expect(r.ok && r.value.position).toMatchObject({ quantity: 30, costBasis: usd(3450), realizedPnl: usd(150) });
    expect(unrealizedPnl(r.ok ? r.value.position : p, usd(110))).toBe(usd(-150)); // 30×110 − 3,450
  });

  it("goes long → flat → short → flat through separate orders", () => {
    let p = apply(flatPosition("AAPL"), fill("buy", 5, usd(10)));
    p = apply(p, fill("sell", 5, usd(12)));
    expect(p).toMatchObject({ quantity: 0, costBasis: 0n, realizedPnl: usd(10) });
    expect(averageCost(p)).toBeNull();
    p = apply(p, fill("sell_short", 4, usd(20)));
    expect(p).toMatchObject({ quantity: -4, costBasis: usd(-80) });
    expect(averageCost(p)).toBe(usd(20));
    expect(unrealizedPnl(p, usd(15))).toBe(usd(20)); // −4×15 + 80
    p = apply(p, fill("buy_to_cover", 4, usd(15)));
    expect(p).toMatchObject({ quantity: 0, costBasis: 0n, realizedPnl: usd(30) }); // 10 + (80 − 60)
  });

  it("keeps realized + unrealized exact when partial closes round", () => {
    // 3 shares bought for a total of $10.000001: each share's basis is not a whole micro
    let p = apply(flatPosition("AAPL"), fill("buy", 1, 3_333_333n));
    p = apply(p, fill("buy", 2, 3_333_334n));
    expect(p.costBasis).toBe(10_000_001n);
    const first = applyFillToPosition(p, fill("sell", 1, usd(4)));
    // released = round_half_away(10,000,001 / 3) = 3,333,334 → realized 666,666
    expect(first.ok && first.value.realizedPnl).toBe(666_666n);
    p = first.ok ? first.value.position : p;
    p = apply(p, fill("sell", 2, usd(4)));
    // total realized = 12,000,000 − 10,000,001 exactly
    expect(p.realizedPnl).toBe(1_999_999n);
    expect(p.costBasis).toBe(0n);
  });

  it.each([
    ["sell more than held", 3, fill("sell", 5, usd(1)), "INSUFFICIENT_SHARES", "have 3 AAPL, asked to sell 5; sell at most 3"],
    ["sell when flat", 0, fill("sell", 1, usd(1)), "INSUFFICIENT_SHARES", "have 0 AAPL, asked to sell 1"],
    ["sell when short", -2, fill("sell", 1, usd(1)), "INSUFFICIENT_SHARES", 'have 0 AAPL, asked to sell 1; "sell" only closes longs, to add to your short of 2 use "sell_short"'],
    ["cover more than short", -2, fill("buy_to_cover", 3, usd(1)), "INSUFFICIENT_SHARES", "short 2 AAPL, asked to cover 3; cover at most 2"],
    ["cover when long", 2, fill("buy_to_cover", 1, usd(1)), "INSUFFICIENT_SHARES", 'short 0 AAPL, asked to cover 1; "buy_to_cover" only closes shorts, to add to your long of 2 use "buy"'],
    ["buy when short", -2, fill("buy", 1, usd(1)), "POSITION_CONFLICT", 'you are short 2 AAPL; close the short with side "buy_to_cover" before buying'],
    ["short when long", 2, fill("sell_short", 1, usd(1)), "POSITION_CONFLICT", 'you hold 2 AAPL long; sell them with side "sell" before opening a short'],
  ] as const)("refuses to %s", (_name, held, f, code, message) => {
    const p: Position = { ...flatPosition("AAPL"), quantity: held, costBasis: BigInt(held) * usd(1) };
    expect(applyFillToPosition(p, f)).toEqual({ ok: false, error: { code, message } });
  });
});
