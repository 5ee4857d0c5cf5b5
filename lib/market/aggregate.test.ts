import { describe, expect, it } from "vitest";
import { aggregateDaily } from "./aggregate";
import { parseAlphaVantage } from "./alpha-vantage";
import { deriveMinuteBarsFromHours } from "./brownian-bridge";
import { MarketDataError } from "./errors";
import { nyDayOf } from "./time";
import { HOURLY_FILE, readSharedData } from "@/tests/support/shared-data";
import type { Bar } from "./types";

const hourly = parseAlphaVantage(readSharedData(HOURLY_FILE), HOURLY_FILE).bars;

describe("daily bars aggregated from hourly bars", () => {
  const daily = aggregateDaily(hourly);

  it("makes one derived day bar per symbol per complete session, skipping the day that ends open-only", () => {
    const aapl = daily.filter((b) => b.symbol === "AAPL");
    expect(aapl).toHaveLength(28); // 29 sessions; 2025-11-10 ends with an open-only bar
    expect(aapl.some((b) => nyDayOf(b.start) === "2025-11-10")).toBe(false);
    expect(daily).toHaveLength(101 * 28);
    expect(daily.every((b) => b.derived && b.interval === "day" && b.source === "alphavantage")).toBe(true);
  });

  it("takes the first open, extreme high and low, last close and summed volume, starting when its open happened", () => {
    const hours = hourly.filter((b) => b.symbol === "AAPL" && nyDayOf(b.start) === "2025-10-30");
    expect(hours).toHaveLength(6);
    const day = daily.find((b) => b.symbol === "AAPL" && nyDayOf(b.start) === "2025-10-30");
    expect(day).toEqual({
      symbol: "AAPL",
      interval: "day",
      start: new Date("2025-10-30T14:00:00Z"), // 10:00 New York: the open is the 10:00 hour's open
      open: 270.848,
      high: Math.max(...hours.map((h) => h.high ?? -Infinity)),
      low: Math.min(...hours.map((h) => h.low ?? Infinity)),
      close: 271.1184,
      volume: hours.reduce((a, h) => a + (h.volume ?? 0), 0),
      source: "alphavantage",
      derived: true,
    });
  });

  it("gives the same day bars from derived minute bars as from the hours they came from", () => {
    const hours = hourly.filter((b) => ["AAPL", "NVDA"].includes(b.symbol) && nyDayOf(b.start) <= "2025-10-03");
    const fromMinutes = aggregateDaily(deriveMinuteBarsFromHours(hours, { seed: 5 }));
    expect(fromMinutes).toEqual(aggregateDaily(hours).map((b) => ({ ...b })));
  });

  it("ignores bars outside the regular session and refuses day bars", () => {
    const base = hourly[0] as Bar;
    const evening: Bar = { ...base, start: new Date("2025-10-01T22:00:00Z") }; // 18:00 New York
    expect(aggregateDaily([evening])).toEqual([]);
    expect(() => aggregateDaily([{ ...base, interval: "day" }])).toThrow(MarketDataError);
  });
});
