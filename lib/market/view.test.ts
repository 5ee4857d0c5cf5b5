import { describe, expect, it } from "vitest";
import { aggregateDaily } from "./aggregate";
import { parseAlphaVantage } from "./alpha-vantage";
import { deriveMinuteBarsFromHours } from "./brownian-bridge";
import { MarketDataError } from "./errors";
import { createMemoryBarSource, type BarQuery, type BarSource } from "./source";
import { createSyntheticBarSource, SyntheticMarket } from "./synthetic";
import { DAILY_FILE, HOURLY_FILE, QQQ_FILE, readSharedData } from "@/tests/support/shared-data";
import { nyDayOf } from "./time";
import type { Bar } from "./types";
import { createMarketView } from "./view";

const universe = ["AAPL", "MSFT", "QQQ"];
const hourly = [
  ...parseAlphaVantage(readSharedData(HOURLY_FILE), HOURLY_FILE).bars.filter((b) => universe.includes(b.symbol)),
  ...parseAlphaVantage(readSharedData(QQQ_FILE), QQQ_FILE).bars,
];
const daily = parseAlphaVantage(readSharedData(DAILY_FILE), DAILY_FILE).bars.filter((b) => universe.includes(b.symbol));
const minutes = deriveMinuteBarsFromHours(hourly.filter((b) => b.symbol === "AAPL" && nyDayOf(b.start) === "2025-10-30"), { seed: 1 });
const all = [...hourly, ...daily, ...minutes];
const source = createMemoryBarSource(all);
const viewAt = (iso: string, src: BarSource = source) => createMarketView({ clock: { now: () => new Date(iso) }, universe, source: src });
const find = (symbol: string, interval: Bar["interval"], iso: string) => all.find((b) => b.symbol === symbol && b.interval === interval && b.start.toISOString() === iso);
const starts = (bars: readonly Bar[]) => bars.map((b) => b.start.toISOString());

async function errorOf(p: Promise<unknown>): Promise<MarketDataError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof MarketDataError) return e;
    throw e;
  }
  throw new Error("expected a MarketDataError");
}

describe("the market view at 10:30 New York on 2025-10-30", () => {
  const view = viewAt("2025-10-30T14:30:00Z");

  it("quotes the open of the bar in progress at the smallest interval the symbol has", async () => {
    expect(await view.quote("AAPL")).toEqual({ symbol: "AAPL", price: find("AAPL", "minute", "2025-10-30T14:30:00.000Z")?.open, at: new Date("2025-10-30T14:30:00Z"), basis: "open", interval: "minute", source: "alphavantage", derived: true });
    expect(await view.quote("MSFT")).toEqual({ symbol: "MSFT", price: find("MSFT", "hour", "2025-10-30T14:00:00.000Z")?.open, at: new Date("2025-10-30T14:00:00Z"), basis: "open", interval: "hour", source: "alphavantage", derived: false });
    expect((await view.quotes()).map((q) => q.symbol)).toEqual(universe);
  });

  it("returns only bars that have closed", async () => {
    expect(starts(await view.bars("AAPL", "hour", { limit: 3 }))).toEqual(["2025-10-29T17:00:00.000Z", "2025-10-29T18:00:00.000Z", "2025-10-29T19:00:00.000Z"]);
    expect(starts(await view.bars("AAPL", "minute", { limit: 2 }))).toEqual(["2025-10-30T14:28:00.000Z", "2025-10-30T14:29:00.000Z"]);
    expect(starts(await view.bars("AAPL", "day", { limit: 2 }))).toEqual(["2025-10-28T13:30:00.000Z", "2025-10-29T13:30:00.000Z"]);
    const since = await view.bars("MSFT", "hour", { from: new Date("2025-10-29T00:00:00Z") });
    expect(since).toHaveLength(6);
    expect(since[0]).toEqual(find("MSFT", "hour", "2025-10-29T14:00:00.000Z"));
  });

  it("falls back to the latest close when minute data has a gap, not to an older hour open", async () => {
    const gappy = createMemoryBarSource(all.filter((b) => !(b.interval === "minute" && b.start >= new Date("2025-10-30T14:30:00Z"))));
    const q = await viewAt("2025-10-30T14:30:30Z", gappy).quote("AAPL");
    expect(q).toMatchObject({ basis: "close", interval: "minute", at: new Date("2025-10-30T14:30:00Z"), price: find("AAPL", "minute", "2025-10-30T14:29:00.000Z")?.close });
  });

  it("releases an hour bar exactly at its end", async () => {
    const at15 = viewAt("2025-10-30T15:00:00Z");
    expect(starts(await at15.bars("MSFT", "hour", { limit: 1 }))).toEqual(["2025-10-30T14:00:00.000Z"]);
    expect((await at15.quote("MSFT")).at).toEqual(new Date("2025-10-30T15:00:00Z"));
  });
});

describe("after the close and at the end of the data", () => {
  it("quotes the last close after the session, and never shows the open-only day bar as closed", async () => {
    const view = viewAt("2025-10-30T20:30:00Z");
    expect(await view.quote("MSFT")).toMatchObject({ price: find("MSFT", "hour", "2025-10-30T19:00:00.000Z")?.close, at: new Date("2025-10-30T20:00:00Z"), basis: "close", interval: "hour" });
    expect(starts(await view.bars("MSFT", "day", { limit: 1 }))).toEqual(["2025-10-29T13:30:00.000Z"]);
  });

  it("quotes the newest open-only bar by its open while it is in progress", async () => {
    const q = await viewAt("2025-11-10T20:30:00Z").quote("MSFT");
    expect(q).toMatchObject({ basis: "open", interval: "hour", at: new Date("2025-11-10T20:00:00Z") });
    expect(q.price).toBe(find("MSFT", "hour", "2025-11-10T20:00:00.000Z")?.open);
  });
});

describe("days derived from hourly bars", () => {
  it("do not show their 10:00 open at 09:45", async () => {
    const msft = hourly.filter((b) => b.symbol === "MSFT");
    const derived = createMemoryBarSource([...msft, ...aggregateDaily(msft)]);
    const view = createMarketView({ clock: { now: () => new Date("2025-11-05T14:45:00Z") }, universe, source: derived }); // 09:45 EST
    expect(await view.quote("MSFT")).toMatchObject({ basis: "close", at: new Date("2025-11-04T21:00:00Z"), price: find("MSFT", "hour", "2025-11-04T20:00:00.000Z")?.close });
    expect(starts(await view.bars("MSFT", "day", { limit: 1 }))).toEqual(["2025-11-04T15:00:00.000Z"]);
    const at10 = createMarketView({ clock: { now: () => new Date("2025-11-05T15:00:00Z") }, universe, source: derived });
    expect(await at10.quote("MSFT")).toMatchObject({ basis: "open", interval: "hour", at: new Date("2025-11-05T15:00:00Z") });
  });
});

describe("errors an agent can act on", () => {
  const view = viewAt("2025-10-30T14:30:00Z");

  it("NOT_IN_UNIVERSE names the universe", async () => {
    const e = await errorOf(view.quote("TSLA"));
    expect(e.code).toBe("NOT_IN_UNIVERSE");
    expect(e.message).toBe("TSLA is not in this session's universe: AAPL, MSFT, QQQ. Use one of these symbols.");
    expect((await errorOf(view.bars("aapl", "day"))).message).toMatch(/did you mean AAPL\?/);
  });

  it("LOOKAHEAD for any range past the clock", async () => {
    const e = await errorOf(view.bars("AAPL", "hour", { to: new Date("2025-10-30T15:00:00Z") }));
    expect(e.code).toBe("LOOKAHEAD");
    expect(e.message).toMatch(/^bars after 2025-10-30T14:30:00Z are in the future at this point of the session/);
    expect((await errorOf(view.bars("AAPL", "hour", { from: new Date("2025-10-30T14:30:00.001Z") }))).code).toBe("LOOKAHEAD");
  });

  it("INVALID_REQUEST and NO_DATA", async () => {
    expect((await errorOf(view.bars("AAPL", "hour", { limit: 0 }))).code).toBe("INVALID_REQUEST");
    expect((await errorOf(view.bars("AAPL", "week" as Bar["interval"]))).code).toBe("INVALID_REQUEST");
    const early = await errorOf(viewAt("2025-05-01T15:00:00Z").quote("AAPL"));
    expect(early.code).toBe("NO_DATA");
    expect(early.message).toMatch(/no price for AAPL at or before 2025-05-01T15:00:00Z/);
  });
});

describe("the gate holds whatever the source does", () => {
  it("never asks the source past the clock, and drops future bars a faulty source returns", async () => {
    const queries: BarQuery[] = [];
    const faulty: BarSource = {
      async getBars(q) {
        queries.push(q);
        return all.filter((b) => q.symbols.includes(b.symbol) && b.interval === q.interval); // ignores from, to and limit
      },
    };
    const now = new Date("2025-10-30T14:30:00Z");
    const view = viewAt(now.toISOString(), faulty);
    const bars = [...(await view.bars("AAPL", "minute", { limit: 5000 })), ...(await view.bars("AAPL", "hour", { limit: 5000 }))];
    expect(bars.every((b) => b.start.getTime() < now.getTime())).toBe(true);
    expect(starts(bars.filter((b) => b.interval === "minute")).at(-1)).toBe("2025-10-30T14:29:00.000Z");
    expect((await view.quote("AAPL")).at).toEqual(now);
    expect(queries.every((q) => q.to !== undefined && q.to.getTime() <= now.getTime())).toBe(true);
  });
});

describe("day bars of an early-close session", () => {
  it("close at 13:00 New York on 2025-11-28", async () => {
    const synthetic = createSyntheticBarSource(new SyntheticMarket(42));
    const at = (iso: string) => createMarketView({ clock: { now: () => new Date(iso) }, universe: ["ZZQBIT"], source: synthetic });
    expect(starts(await at("2025-11-28T17:59:59Z").bars("ZZQBIT", "day", { limit: 1 }))).toEqual(["2025-11-26T14:30:00.000Z"]);
    expect(starts(await at("2025-11-28T18:00:00Z").bars("ZZQBIT", "day", { limit: 1 }))).toEqual(["2025-11-28T14:30:00.000Z"]);
    expect(await at("2025-11-28T17:59:59Z").quote("ZZQBIT")).toMatchObject({ basis: "open", interval: "minute", at: new Date("2025-11-28T17:59:00Z") });
  });
});
