import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DAILY_FILE, readSharedData } from "@/tests/support/shared-data";
import { parseAlphaVantage } from "./alpha-vantage";
import { MarketDataError } from "./errors";
import { MODEL_RATE, modelOptionChain, type OptionChainRow } from "./option-chain";
import { optionChainAt, optionQuoteAt } from "./option-chain-view";
import { expiriesListedAt } from "./option-listing";
import { createMemoryBarSource } from "./source";
import type { Bar } from "./types";
import { createMarketView } from "./view";

/** The real daily NASDAQ-100 bars (2025-06-10 to 2025-10-30) of AAPL and NVDA. */
const daily = parseAlphaVantage(readSharedData(DAILY_FILE), DAILY_FILE).bars.filter((b) => b.symbol === "AAPL" || b.symbol === "NVDA");
/** 10:30 New York on 2025-10-01 would be inside the day bar; 09:30 (13:30Z) is its open: the bar of 10-01 is in progress. */
const CLOCK = "2025-10-01T13:30:00Z";
const viewOver = (bars: readonly Bar[], iso = CLOCK) =>
  createMarketView({ clock: { now: () => new Date(iso) }, universe: ["AAPL", "NVDA"], source: createMemoryBarSource([...bars]), intervals: ["day"] });

async function refusal(p: Promise<unknown> | (() => unknown)): Promise<MarketDataError> {
  try {
    await (typeof p === "function" ? p() : p);
  } catch (e) {
    if (e instanceof MarketDataError) return e;
    throw e;
  }
  throw new Error("expected a MarketDataError");
}

/** Rows by "expiry right", in strike order. */
function byExpiry(rows: readonly OptionChainRow[]): Map<string, OptionChainRow[]> {
  const groups = new Map<string, OptionChainRow[]>();
  for (const r of rows) {
    const key = `${r.expiry} ${r.right}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return groups;
}

describe("a modelled chain of AAPL at the open of 2025-10-01, from the real daily bars", async () => {
  const chain = await optionChainAt(viewOver(daily), "AAPL");
  const european = await optionChainAt(viewOver(daily), "AAPL", { exercise: "european" });

  it("is at the clock: the spot is the day's open, the volatility from the closes before it; every row is marked modelled", () => {
    const today = daily.find((b) => b.symbol === "AAPL" && b.start.toISOString() === "2025-10-01T13:30:00.000Z")!;
    expect(chain.spot).toBe(today.open);
    expect(chain.at.toISOString()).toBe("2025-10-01T13:30:00.000Z");
    expect(chain.rate).toBe(MODEL_RATE);
    expect(chain.volatility!.short).toBeGreaterThan(0.05);
    expect(chain.rows.length).toBe(chain.expiries.length * 20 * 2);
    expect(chain.rows.every((r) => r.source === "modelled")).toBe(true);
    expect(chain.rows[0]!.symbol).toBe("AAPL251003C00210000");
  });

  it("lists weeklies 5 weeks out and monthlies 9 months out; June 2026's monthly moves to Thursday the 18th (Juneteenth)", () => {
    expect(chain.expiries.map((e) => e.expiry)).toEqual([
      "2025-10-03", "2025-10-10", "2025-10-17", "2025-10-24", "2025-10-31",
      "2025-11-21", "2025-12-19", "2026-01-16", "2026-02-20", "2026-03-20", "2026-04-17", "2026-05-15", "2026-06-18",
    ]);
    expect(chain.expiries.at(-1)).toMatchObject({ kind: "monthly", shiftedFrom: "2026-06-19" });
    expect(chain.expiries[0]!.close.toISOString()).toBe("2025-10-03T20:00:00.000Z");
    expect(chain.rows.some((r) => r.symbol.startsWith("AAPL260618"))).toBe(true);
    expect(chain.rows.some((r) => r.symbol.startsWith("AAPL260619"))).toBe(false);
  });

  it("Good Friday 2026: the weekly of April 3 is listed on Thursday April 2, and a chain there prices it", () => {
    const at = new Date("2026-03-30T14:00:00Z");
    expect(expiriesListedAt(at, { to: "2026-04-10" }).map((e) => [e.expiry, e.shiftedFrom])).toEqual([["2026-04-02", "2026-04-03"], ["2026-04-10", undefined]]);
    const closes = daily.filter((b) => b.symbol === "AAPL" && b.close !== null).map((b) => b.close!);
    const shifted = modelOptionChain({ underlying: "AAPL", spot: 250, at, closes, expiryTo: "2026-04-02", strikesEachSide: 1 });
    expect(shifted.rows.map((r) => r.symbol)).toEqual(["AAPL260402C00245000", "AAPL260402P00245000", "AAPL260402C00250000", "AAPL260402P00250000"]);
  });

  it("is deterministic: the same bars and clock give the same chain", async () => {
    expect(await optionChainAt(viewOver([...daily].reverse()), "AAPL")).toEqual(chain);
  });

  it("uses no bar after the clock: a changed or added future bar leaves the chain unchanged; a changed past bar changes it", async () => {
    const future = daily.map((b) => (b.start.getTime() >= Date.parse(CLOCK) ? { ...b, high: b.high! * 3, close: b.close! * 3, open: b.start.getTime() === Date.parse(CLOCK) ? b.open : b.open * 3 } : b));
    const extra: Bar = { ...daily.at(-1)!, start: new Date("2025-10-31T13:30:00Z"), open: 999, high: 999, low: 1, close: 1 };
    expect(await optionChainAt(viewOver([...future, extra]), "AAPL")).toEqual(chain);
    const past = daily.map((b) => (b.symbol === "AAPL" && b.start.toISOString() === "2025-09-29T13:30:00.000Z" ? { ...b, close: b.close! * 1.1 } : b));
    expect((await optionChainAt(viewOver(past), "AAPL")).volatility).not.toEqual(chain.volatility);
  });

  it("bid ≤ mid ≤ ask, ask > bid, bid ≥ 0 on every row", () => {
    for (const r of chain.rows) {
      expect(r.bid).toBeGreaterThanOrEqual(0);
      expect(r.ask).toBeGreaterThan(r.bid);
      expect(r.mid).toBeGreaterThanOrEqual(r.bid);
      expect(r.mid).toBeLessThanOrEqual(r.ask);
    }
  });

  it("call prices fall and put prices rise with the strike, per expiry (theo strictly, quotes never the wrong way)", () => {
    for (const [key, rows] of byExpiry(chain.rows)) {
      const sign = key.endsWith("call") ? -1 : 1;
      for (let i = 1; i < rows.length; i++) {
        expect(sign * (rows[i]!.theo - rows[i - 1]!.theo), key).toBeGreaterThan(0);
        expect(sign * (rows[i]!.mid - rows[i - 1]!.mid), key).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it("deltas: calls in [0, 1], puts in [−1, 0]; gamma and vega at least 0; theta at most 0 for calls", () => {
    for (const r of chain.rows) {
      if (r.right === "call") {
        expect(r.delta).toBeGreaterThanOrEqual(0);
        expect(r.delta).toBeLessThanOrEqual(1);
        expect(r.theta).toBeLessThanOrEqual(0);
      } else {
        expect(r.delta).toBeGreaterThanOrEqual(-1);
        expect(r.delta).toBeLessThanOrEqual(0);
      }
      expect(r.gamma).toBeGreaterThanOrEqual(-1e-6);
      expect(r.vega).toBeGreaterThanOrEqual(-1e-6);
    }
  });

  it("the volatility falls with the strike below the money (the skew); at the money it follows the term structure", () => {
    for (const [key, rows] of byExpiry(chain.rows)) {
      const below = rows.filter((r) => r.strike <= chain.spot);
      for (let i = 1; i < below.length; i++) expect(below[i]!.iv, key).toBeLessThanOrEqual(below[i - 1]!.iv);
      expect(below.at(-1)!.iv, key).toBeLessThan(below[0]!.iv);
    }
  });

  it("European pricing: put-call parity C − P = S − K e^(−rT) on model prices, and within the two half-spreads on mids", () => {
    for (const [key, calls] of byExpiry(european.rows)) {
      if (!key.endsWith("call")) continue;
      const puts = byExpiry(european.rows).get(key.replace("call", "put"))!;
      calls.forEach((c, i) => {
        const p = puts[i]!;
        expect(p.strike).toBe(c.strike);
        const years = c.daysToExpiry / 365;
        const forwardValue = chain.spot - c.strike * Math.exp(-MODEL_RATE * years);
        expect(c.theo - p.theo).toBeCloseTo(forwardValue, 9);
        expect(Math.abs(c.mid - p.mid - forwardValue)).toBeLessThanOrEqual((c.ask - c.bid) / 2 + (p.ask - p.bid) / 2 + 1e-9);
      });
    }
  });

  it("American puts are worth at least the European ones and their intrinsic value; calls are the same (no dividends)", () => {
    european.rows.forEach((e, i) => {
      const a = chain.rows[i]!;
      expect(a.symbol).toBe(e.symbol);
      if (a.right === "call") expect(a.theo).toBe(e.theo);
      else {
        expect(a.theo).toBeGreaterThanOrEqual(e.theo - 0.005); // the 100-step tree against the closed form: within half a tick
        expect(a.theo).toBeGreaterThanOrEqual(Math.max(0, a.strike - chain.spot) - 1e-9);
      }
    });
  });

  it("narrows by expiry, strike, right, |delta| and a row cap", async () => {
    const some = await optionChainAt(viewOver(daily), "AAPL", { expiryFrom: "2025-10-17", expiryTo: "2025-10-17", minStrike: 240, maxStrike: 260, rights: ["put"] });
    expect(some.rows.map((r) => r.strike)).toEqual([240, 245, 250, 255, 260]);
    expect(some.rows.every((r) => r.symbol.startsWith("AAPL251017P"))).toBe(true);
    const delta = await optionChainAt(viewOver(daily), "AAPL", { expiryTo: "2025-10-31", minAbsDelta: 0.25, maxAbsDelta: 0.35, strikesEachSide: 25 });
    expect(delta.rows.length).toBeGreaterThan(4);
    for (const r of delta.rows) {
      expect(Math.abs(r.delta)).toBeGreaterThanOrEqual(0.25);
      expect(Math.abs(r.delta)).toBeLessThanOrEqual(0.35);
    }
    const capped = await optionChainAt(viewOver(daily), "AAPL", { limit: 7 });
    expect(capped.rows).toEqual(chain.rows.slice(0, 7));
    expect(capped.matched).toBe(chain.rows.length);
  });

  it("quotes one contract by OCC symbol, equal to its row in the chain", async () => {
    const row = chain.rows.find((r) => r.symbol === "AAPL251017P00250000")!;
    expect((await optionQuoteAt(viewOver(daily), "AAPL251017P00250000")).row).toEqual(row);
  });
});

describe("refusals in words", () => {
  it("too few daily bars for realised volatility: how many there are and how many are needed", async () => {
    const early = await refusal(optionChainAt(viewOver(daily, "2025-06-20T13:30:00Z"), "AAPL"));
    expect(early.code).toBe("NOT_ENOUGH_BARS");
    expect(early.message).toMatch(/^AAPL has 7 daily closes up to the clock; a modelled option chain needs at least 21 \(20 daily returns\)/);
  });

  it("a contract not listed, expired, off the grid, or not an OCC symbol", async () => {
    const view = viewOver(daily);
    expect((await refusal(optionQuoteAt(view, "AAPL251017C00252000"))).message).toMatch(/strike 252 is not on the strike grid/);
    expect((await refusal(optionQuoteAt(view, "AAPL250919C00250000"))).message).toMatch(/expiry 2025-09-19 has expired/);
    expect((await refusal(optionQuoteAt(view, "AAPL251016C00250000"))).message).toMatch(/expiry 2025-10-16 is not a listed expiry/);
    expect((await refusal(optionQuoteAt(view, "AAPL271217C00250000"))).message).toMatch(/is not a listed expiry/);
    expect((await refusal(optionQuoteAt(view, "aapl"))).message).toMatch(/not an OCC option symbol/);
    expect((await refusal(optionQuoteAt(view, "MSFT251017C00250000"))).code).toBe("NOT_IN_UNIVERSE");
  });

  it("bad ranges", async () => {
    const view = viewOver(daily);
    expect((await refusal(optionChainAt(view, "AAPL", { minStrike: 300, maxStrike: 200 }))).message).toMatch(/minStrike 300 is above maxStrike 200/);
    expect((await refusal(optionChainAt(view, "AAPL", { minStrike: 1, maxStrike: 5000 }))).message).toMatch(/more than 200 listed strikes/);
    expect((await refusal(optionChainAt(view, "AAPL", { minStrike: 900 }))).message).toMatch(/^minStrike 900 is above the highest strike listed without maxStrike, 3 × the price \(765\.\d+\)$/);
    expect((await refusal(optionChainAt(view, "AAPL", { minAbsDelta: 0.6, maxAbsDelta: 0.4 }))).message).toMatch(/delta range/);
    expect((await refusal(optionChainAt(view, "AAPL", { expiryFrom: "2025-13-01" }))).message).toMatch(/the expiry "2025-13-01" is not a calendar day/);
  });

  it("an expiry window with no listed expiry: what is listed, in words", async () => {
    const none = await refusal(optionChainAt(viewOver(daily), "AAPL", { expiryFrom: "2025-10-04", expiryTo: "2025-10-09" }));
    expect(none.message).toBe(
      "no AAPL option expires from 2025-10-04 to 2025-10-09 at this point of the session: the chain lists weekly Fridays up to 2025-11-05 and monthly third Fridays up to 2026-06-28 (a holiday moving one to the trading day before); an expiry before the clock has expired",
    );
    expect((await refusal(optionChainAt(viewOver(daily), "AAPL", { expiryFrom: "2025-09-19", expiryTo: "2025-09-19" }))).message).toMatch(/^no AAPL option expires on 2025-09-19/);
    expect((await refusal(optionChainAt(viewOver(daily), "AAPL", { expiryFrom: "2027-01-15" }))).message).toMatch(/^no AAPL option expires from 2027-01-15 to the last listed/);
  });
});

describe("properties over random spots and clocks", () => {
  const closes = daily.filter((b) => b.symbol === "NVDA" && b.close !== null).map((b) => b.close!);
  it("bid ≤ mid ≤ ask, deltas in range, call prices falling and put prices rising in strike", () => {
    fc.assert(
      fc.property(fc.double({ min: 3, max: 3000, noNaN: true }), fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 390 }), (spot, dayOffset, minute) => {
        const at = new Date(Date.parse("2025-01-02T14:30:00Z") + dayOffset * 86_400_000 + minute * 60_000);
        const chain = modelOptionChain({ underlying: "NVDA", spot, at, closes, expiryTo: new Date(at.getTime() + 40 * 86_400_000).toISOString().slice(0, 10), strikesEachSide: 4 });
        for (const r of chain.rows) {
          expect(r.bid).toBeGreaterThanOrEqual(0);
          expect(r.bid).toBeLessThanOrEqual(r.mid);
          expect(r.mid).toBeLessThanOrEqual(r.ask);
          expect(r.ask).toBeGreaterThan(r.bid);
          if (r.right === "call") expect(r.delta >= 0 && r.delta <= 1).toBe(true);
          else expect(r.delta >= -1 && r.delta <= 0).toBe(true);
        }
        for (const [key, rows] of byExpiry(chain.rows)) {
          const sign = key.endsWith("call") ? -1 : 1;
          for (let i = 1; i < rows.length; i++) expect(sign * (rows[i]!.theo - rows[i - 1]!.theo), key).toBeGreaterThanOrEqual(-1e-9);
        }
      }),
      { seed: 42, numRuns: 30 },
    );
  }, 30_000);
});

describe("daily closes past the daily data's end: days aggregated from closed hour bars", async () => {
  const { HOURLY_FILE } = await import("@/tests/support/shared-data");
  const hourly = parseAlphaVantage(readSharedData(HOURLY_FILE), HOURLY_FILE).bars.filter((b) => b.symbol === "AAPL");
  const { aggregateDaily } = await import("./aggregate");
  const { dailyClosesAt } = await import("./option-chain-view");
  const at = "2025-11-07T15:00:00Z"; // 10:00 New York on Friday 2025-11-07; the daily file ends on 2025-10-30
  const view = createMarketView({ clock: { now: () => new Date(at) }, universe: ["AAPL"], source: createMemoryBarSource([...daily, ...hourly]), intervals: ["hour"] });

  it("appends the days after the last closed daily bar (10-30, whose stored bar has no close, to 11-06), each closing at its last hour's close; not the day in progress", async () => {
    const closes = await dailyClosesAt(view, "AAPL");
    const stored = daily.filter((b) => b.symbol === "AAPL" && b.close !== null);
    expect(stored.at(-1)!.start.toISOString().slice(0, 10)).toBe("2025-10-29");
    const days = aggregateDaily(hourly).filter((d) => d.start > new Date("2025-10-30T00:00:00Z") && d.start < new Date("2025-11-07T00:00:00Z"));
    expect(days.map((d) => d.start.toISOString().slice(0, 10))).toEqual(["2025-10-30", "2025-10-31", "2025-11-03", "2025-11-04", "2025-11-05", "2025-11-06"]);
    expect(closes.slice(-6)).toEqual(days.map((d) => d.close));
    const lastHourOf1106 = hourly.filter((b) => b.start.toISOString().startsWith("2025-11-06")).at(-1)!;
    expect(closes.at(-1)).toBe(lastHourOf1106.close);
    expect(closes.slice(0, -6)).toEqual(stored.map((b) => b.close!).slice(-(closes.length - 6)));
    // The chain's volatility is computed from those closes.
    expect((await optionChainAt(view, "AAPL")).volatility).toEqual(modelOptionChain({ underlying: "AAPL", spot: 1, at: new Date(at), closes, strikesEachSide: 1 }).volatility);
  });
});
