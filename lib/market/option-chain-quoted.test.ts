import { describe, expect, it } from "vitest";
import { DAILY_FILE, readSharedData } from "@/tests/support/shared-data";
import { parseAlphaVantage } from "./alpha-vantage";
import { MarketDataError } from "./errors";
import { valueContract } from "./option-chain";
import { quotedOptionChain } from "./option-chain-quoted";
import { optionChainAt, optionQuoteAt } from "./option-chain-view";
import { QUOTE_MAX_AGE_MS, type StoredOptionQuote } from "./option-quotes";
import { createMemoryBarSource } from "./source";
import { createMarketView } from "./view";

/** The real daily bars of AAPL; the clock is the open of 2025-10-01 (AAPL opened at 255.04). */
const daily = parseAlphaVantage(readSharedData(DAILY_FILE), DAILY_FILE).bars.filter((b) => b.symbol === "AAPL");
const CLOCK = new Date("2025-10-01T13:30:00Z");
const SPOT = daily.find((b) => b.start.getTime() === CLOCK.getTime())!.open;
/** The close of 2025-10-17 (a monthly expiry) is 20:00Z. */
const YEARS_TO_OCT17 = (Date.parse("2025-10-17T20:00:00Z") - CLOCK.getTime()) / (365 * 86_400_000);

/** A quote whose mid is what the chain's model prices at volatility `sigma` (bid and ask a nickel either side, in cents). */
function quoteAt(right: "call" | "put", strike: number, sigma: number, at = new Date("2025-09-30T19:59:59Z"), expiry = "2025-10-17"): StoredOptionQuote {
  const years = (Date.parse(`${expiry}T20:00:00Z`) - CLOCK.getTime()) / (365 * 86_400_000);
  const price = valueContract({ spot: SPOT }, { right, strike, years }, sigma).price;
  const cents = Math.round(price * 100);
  const symbol = `AAPL${expiry.slice(2).replaceAll("-", "")}${right === "call" ? "C" : "P"}${String(strike * 1000).padStart(8, "0")}`;
  return { symbol, underlying: "AAPL", expiry, right, strike, at, bid: (cents - 5) / 100, ask: (cents + 5) / 100, source: "polygon" };
}

const strikes = [240, 245, 250, 255, 260, 265, 270];
const quotes = strikes.flatMap((k) => [quoteAt("call", k, 0.28), quoteAt("put", k, 0.3)]);
const view = (qs: readonly StoredOptionQuote[], now = CLOCK) =>
  createMarketView({ clock: { now: () => now }, universe: ["AAPL"], source: createMemoryBarSource(daily, qs), intervals: ["day"] });

describe("a quoted chain: the provider's bid and ask, the volatility its mid implies", () => {
  it("keeps each quote's bid and ask and implies from the mid the volatility it was made at (to the half-cent rounding)", async () => {
    const chain = await optionChainAt(view(quotes), "AAPL");
    expect(chain.source).toBe("quoted");
    expect(chain.rows).toHaveLength(quotes.length);
    for (const row of chain.rows) {
      const q = quotes.find((x) => x.symbol === row.symbol)!;
      expect([row.bid, row.ask, row.mid, row.source]).toEqual([q.bid, q.ask, Math.round(((q.bid + q.ask) / 2) * 200) / 200, "quoted"]);
      // Round trip: the model at the implied volatility gives back the mid.
      expect(valueContract({ spot: SPOT }, { right: row.right, strike: row.strike, years: YEARS_TO_OCT17 }, row.iv).price).toBeCloseTo(row.mid, 8);
      expect(Math.abs(row.iv - (row.right === "call" ? 0.28 : 0.3))).toBeLessThan(0.005);
      // The Greeks are the model's at that volatility.
      const at = valueContract({ spot: SPOT }, { right: row.right, strike: row.strike, years: YEARS_TO_OCT17 }, row.iv);
      expect([row.delta, row.gamma]).toEqual([Math.min(1, Math.max(-1, at.greeks.delta)), at.greeks.gamma]);
    }
    expect(chain.expiries).toEqual([{ expiry: "2025-10-17", kind: "monthly", close: new Date("2025-10-17T20:00:00Z") }]);
    expect(chain.volatility!.short).toBeGreaterThan(0.05); // the realised volatility beside the implied ones
  });

  it("lists the strikes asked for among those quoted: a number each side of the price, or a range", async () => {
    const each = await optionChainAt(view(quotes), "AAPL", { strikesEachSide: 2, rights: ["call"] });
    expect(SPOT).toBeGreaterThan(255);
    expect(each.rows.map((r) => r.strike)).toEqual([250, 255, 260, 265]);
    const range = await optionChainAt(view(quotes), "AAPL", { minStrike: 262, maxStrike: 300, rights: ["put"] });
    expect(range.rows.map((r) => r.symbol)).toEqual(["AAPL251017P00265000", "AAPL251017P00270000"]);
  });

  it("implies a quote whose mid is below its intrinsic value from its ask; one that fits nowhere is left out, with the reason", () => {
    const deep = { ...quoteAt("call", 200, 0.3), bid: 54.0, ask: 56.0 }; // intrinsic 55.04: the mid 55.00 is below it
    const broken = { ...quoteAt("call", 205, 0.3), bid: 40.0, ask: 41.0 }; // intrinsic 50.04: every price is below it
    const chain = quotedOptionChain({ underlying: "AAPL", spot: SPOT, at: CLOCK, closes: [], minStrike: 190, maxStrike: 210 }, [deep, broken], null);
    expect(chain.rows.map((r) => [r.symbol, r.mid])).toEqual([["AAPL251017C00200000", 55]]);
    expect(valueContract({ spot: SPOT }, { right: "call", strike: 200, years: YEARS_TO_OCT17 }, chain.rows[0]!.iv).price).toBeCloseTo(56, 8);
    expect(chain.unpriced).toEqual([{ symbol: "AAPL251017C00205000", reason: expect.stringMatching(/^no volatility fits its quote 40\/41: .*intrinsic/) }]);
    expect(chain.volatility).toBeNull();
  });
});

describe("the gate on quotes: nothing stamped after the clock, nothing stale", () => {
  it("shows the newest quote at or before the clock, never one after it, even from a store that sends it", async () => {
    const before = quoteAt("call", 255, 0.28, new Date("2025-09-30T19:59:59Z"));
    const after = { ...quoteAt("call", 255, 0.5, new Date("2025-10-01T13:30:01Z")) };
    const honest = await view([before, after]).optionQuotes("AAPL");
    expect(honest).toEqual([before]);
    // A faulty store that ignores the clock: the view filters what comes back.
    const leaky = createMarketView({
      clock: { now: () => CLOCK },
      universe: ["AAPL"],
      source: { getBars: createMemoryBarSource(daily).getBars, getOptionQuotes: async () => [before, after] },
      intervals: ["day"],
    });
    expect(await leaky.optionQuotes("AAPL")).toEqual([before]);
    expect((await optionQuoteAt(leaky, before.symbol)).row.ask).toBe(before.ask);
  });

  it("drops quotes older than QUOTE_MAX_AGE_MS: an underlying whose quotes are stale is modelled again", async () => {
    const old = quoteAt("call", 255, 0.28, new Date(CLOCK.getTime() - QUOTE_MAX_AGE_MS - 1));
    expect(await view([old]).optionQuotes("AAPL")).toEqual([]);
    expect((await optionChainAt(view([old]), "AAPL")).source).toBe("modelled");
    expect((await optionChainAt(view([old], new Date(CLOCK.getTime() - 86_400_000 + 1)), "AAPL")).source).toBe("quoted");
  });

  it("asks only for underlyings in the universe; a store without quotes gives none (its chains are modelled)", async () => {
    await expect(view(quotes).optionQuotes("NVDA")).rejects.toMatchObject({ code: "NOT_IN_UNIVERSE" });
    // A day that is no day never reaches the store (a database would refuse the date in its own words).
    await expect(view(quotes).optionQuotes("AAPL", { expiryFrom: "2025-02-30" })).rejects.toMatchObject({ code: "INVALID_REQUEST", message: 'the expiry "2025-02-30" is not a calendar day (an expiry is "YYYY-MM-DD", e.g. "2025-10-17")' });
    const bare = createMarketView({ clock: { now: () => CLOCK }, universe: ["AAPL"], source: createMemoryBarSource(daily), intervals: ["day"] });
    expect(await bare.optionQuotes("AAPL")).toEqual([]);
  });
});

describe("one contract of a quoted underlying", () => {
  it("is its own quote; a contract of a quoted expiry without a quote is refused in words, not modelled beside real quotes", async () => {
    const { row, chain } = await optionQuoteAt(view(quotes), "AAPL251017C00255000");
    expect([row.source, row.bid, chain.source]).toEqual(["quoted", quotes[6]!.bid, "quoted"]);
    const e = await optionQuoteAt(view(quotes), "AAPL251017C00257500").catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MarketDataError);
    expect((e as MarketDataError).message).toBe(
      "AAPL251017C00257500 has no quote at this point of the session (AAPL's chain is quoted by the market data, and this contract is not among its quotes); get_option_chain lists the quoted contracts",
    );
    // Another expiry with no quote at all is modelled, and says so.
    expect((await optionQuoteAt(view(quotes), "AAPL251024C00255000")).row.source).toBe("modelled");
  });
});
