import { describe, expect, it } from "vitest";
import type { Position } from "@/lib/engine";
import { createMarketView, createMemoryBarSource, optionQuoteAt, parseAlphaVantage } from "@/lib/market";
import { DAILY_FILE, readSharedData } from "@/tests/support/shared-data";
import { bookOptionGreeks } from "./option-greeks";
import { portfolioOptionsOutput } from "./tools/option-output";

/** Portfolio Greeks over a real market view of the real daily AAPL bars, at the open of 2025-10-01. */
const daily = parseAlphaVantage(readSharedData(DAILY_FILE), DAILY_FILE).bars.filter((b) => b.symbol === "AAPL");
const at = new Date("2025-10-01T13:30:00Z");
const clock = { now: () => at };
const market = createMarketView({ clock, universe: ["AAPL"], source: createMemoryBarSource([...daily]), intervals: ["day"] });
const held = (symbol: string, quantity: number, costBasis: bigint): Position => ({ symbol, quantity, costBasis, realizedPnl: 0n, feesPaid: 0n });
const CALL = "AAPL251017C00255000";
const PUT = "AAPL251017P00240000";

describe("bookOptionGreeks", () => {
  it("is null for a book without contracts, and asks the market nothing", async () => {
    expect(await bookOptionGreeks(market, [held("AAPL", 100, 25_000_000_000n)])).toBeNull();
    expect(await bookOptionGreeks(market, [held(CALL, 0, 0n)])).toBeNull();
  });

  it("takes each contract's row of the modelled chain, × quantity × 100 for the position, and sums the book", async () => {
    const positions = [held("AAPL", 100, 25_000_000_000n), held(PUT, -1, -300_000_000n), held(CALL, 2, 1_000_000_000n)];
    const g = (await bookOptionGreeks(market, positions))!;
    const call = (await optionQuoteAt(market, CALL)).row;
    const put = (await optionQuoteAt(market, PUT)).row;
    expect(g.at).toEqual(at);
    expect(g.source).toBe("modelled");
    expect(g.rate).toBe(0.04);
    expect(g.positions.map((p) => p.symbol)).toEqual([CALL, PUT]);
    const [c, p] = g.positions;
    expect(c).toMatchObject({ underlying: "AAPL", expiry: "2025-10-17", right: "call", strike: 255, quantity: 2, iv: call.iv, mark: call.mid, delta: call.delta, theta: call.theta, vega: call.vega, daysToExpiry: call.daysToExpiry });
    expect(c!.daysToExpiry).toBeCloseTo(16 + 6.5 / 24, 6); // 09:30 to 16:00 New York, 16 days later
    expect(c!.position.delta).toBeCloseTo(200 * call.delta, 9);
    expect(c!.position.theta).toBeCloseTo(200 * call.theta, 9);
    expect(c!.position.value).toBe(2n * 100n * BigInt(Math.round(call.mid * 1e6)));
    // A written put: its delta is positive for the book (short a negative delta), its theta earns.
    expect(p!.delta).toBeLessThan(0);
    expect(p!.position.delta).toBeCloseTo(-100 * put.delta, 9);
    expect(p!.position.delta).toBeGreaterThan(0);
    expect(p!.position.theta).toBeGreaterThan(0);
    expect(p!.position.vega).toBeLessThan(0);
    expect(g.totals.delta).toBeCloseTo(c!.position.delta + p!.position.delta, 9);
    expect(g.totals.vega).toBeCloseTo(c!.position.vega + p!.position.vega, 9);
    expect(g.totals.value).toBe(c!.position.value + p!.position.value);
    expect(g.underlyings).toEqual([{ underlying: "AAPL", shares: 100, optionDelta: g.totals.delta, netDelta: 100 + g.totals.delta }]);

    const out = portfolioOptionsOutput(g);
    expect(out.positions[0]).toMatchObject({ symbol: CALL, delta: Math.round(call.delta * 1e4) / 1e4, position: { delta: Math.round(200 * call.delta * 100) / 100 } });
    expect(out.at).toBe("2025-10-01T13:30:00.000Z");
  });

  it("refuses a contract the chain cannot quote (expired) in words", async () => {
    await expect(bookOptionGreeks(market, [held("AAPL250919C00240000", 1, 0n)])).rejects.toThrow(/has expired at this point of the session/);
  });
});
