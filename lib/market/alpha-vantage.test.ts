import { describe, expect, it } from "vitest";
import { parseAlphaVantage } from "./alpha-vantage";
import { tradingDays } from "./calendar";
import { CRYPTO_FILE, DAILY_FILE, HOURLY_FILE, QQQ_FILE, readSharedData } from "@/tests/support/shared-data";
import type { Bar } from "./types";

const hourlyText = readSharedData(HOURLY_FILE);
const dailyText = readSharedData(DAILY_FILE);
const qqqText = readSharedData(QQQ_FILE);

function find(bars: readonly Bar[], symbol: string, startIso: string): Bar | undefined {
  return bars.find((b) => b.symbol === symbol && b.start.toISOString() === startIso);
}

/** The raw entry for a symbol and key, read from the file text with a regular expression, not JSON.parse. */
function rawEntry(text: string, symbol: string, key: string): Record<string, string> {
  const line = text.split("\n").find((l) => l.includes(`"2. Symbol": "${symbol}"`)) ?? "";
  const m = new RegExp(`"${key}": (\\{[^}]*\\})`).exec(line);
  if (!m?.[1]) throw new Error(`no ${symbol} ${key} in file`);
  return Object.fromEntries([...m[1].matchAll(/"([^"]+)": "([^"]+)"/g)].map((x) => [x[1], x[2]]));
}

function countBy<T>(items: readonly T[], key: (t: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

describe("Alpha Vantage hourly JSONL (NASDAQ-100)", () => {
  const t0 = performance.now();
  const { bars, symbols } = parseAlphaVantage(hourlyText, HOURLY_FILE);
  const elapsed = performance.now() - t0;

  it("has 101 symbols with 174 hourly bars each, imported in well under a second", () => {
    expect(symbols).toHaveLength(101);
    expect(symbols).toContain("GOOG");
    expect(symbols).toContain("GOOGL");
    expect(new Set(countBy(bars, (b) => b.symbol).values())).toEqual(new Set([174]));
    expect(bars.every((b) => b.interval === "hour" && b.source === "alphavantage" && !b.derived)).toBe(true);
    expect(elapsed).toBeLessThan(1000);
  });

  it("reads the key as the bar start in New York time (AAPL 2025-10-30 15:00 = 19:00Z)", () => {
    const raw = rawEntry(hourlyText, "AAPL", "2025-10-30 15:00:00");
    const bar = find(bars, "AAPL", "2025-10-30T19:00:00.000Z");
    expect(raw["1. buy price"]).toBe("271.0884");
    expect(raw["4. sell price"]).toBe("271.1184");
    expect(bar).toMatchObject({
      open: 271.0884,
      high: Number(raw["2. high"]),
      low: Number(raw["3. low"]),
      close: 271.1184,
      volume: Number(raw["5. volume"]),
    });
    expect(find(bars, "AAPL", "2025-10-01T14:00:00.000Z")?.open).toBe(Number(rawEntry(hourlyText, "AAPL", "2025-10-01 10:00:00")["1. buy price"]));
    expect(find(bars, "AAPL", "2025-11-03T15:00:00.000Z")?.open).toBe(Number(rawEntry(hourlyText, "AAPL", "2025-11-03 10:00:00")["1. buy price"])); // EST
  });

  it("keeps the newest bar of each symbol open-only", () => {
    const openOnly = bars.filter((b) => b.close === null);
    expect(openOnly).toHaveLength(101);
    expect(openOnly.every((b) => b.start.toISOString() === "2025-11-10T20:00:00.000Z")).toBe(true);
    expect(find(bars, "AAPL", "2025-11-10T20:00:00.000Z")).toMatchObject({ open: 269.53, high: null, low: null, close: null, volume: null });
  });
});

describe("Alpha Vantage daily JSONL", () => {
  const { bars, symbols } = parseAlphaVantage(dailyText, DAILY_FILE);

  it("has 101 symbols with 100 daily bars each, on the 100 trading days of the range", () => {
    expect(symbols).toHaveLength(101);
    expect(new Set(countBy(bars, (b) => b.symbol).values())).toEqual(new Set([100]));
    const aaplDays = bars.filter((b) => b.symbol === "AAPL").map((b) => b.start.toISOString().slice(0, 10));
    expect(aaplDays).toEqual(tradingDays("2025-06-10", "2025-10-30"));
  });

  it("starts each day bar at the session open (09:30 New York)", () => {
    const raw = rawEntry(dailyText, "AAPL", "2025-10-29");
    expect(find(bars, "AAPL", "2025-10-29T13:30:00.000Z")).toMatchObject({
      interval: "day",
      open: Number(raw["1. buy price"]),
      high: Number(raw["2. high"]),
      low: Number(raw["3. low"]),
      close: Number(raw["4. sell price"]),
      volume: Number(raw["5. volume"]),
    });
    expect(find(bars, "AAPL", "2025-10-30T13:30:00.000Z")).toMatchObject({ open: 271.99, close: null, volume: null });
  });
});

describe("QQQ-hourly.json (one pretty-printed object, standard keys)", () => {
  it("parses 174 QQQ bars", () => {
    const { bars, symbols } = parseAlphaVantage(qqqText, QQQ_FILE);
    expect(symbols).toEqual(["QQQ"]);
    expect(bars).toHaveLength(174);
    expect(find(bars, "QQQ", "2025-10-30T19:00:00.000Z")).toMatchObject({ open: 628.88, high: 629.0001, low: 625.99, close: 626.01, volume: 11331057 });
    expect(bars[bars.length - 1]?.start.toISOString()).toBe("2025-11-10T20:00:00.000Z");
  });
});

describe("crypto daily JSONL (same format, UTC days)", () => {
  it("parses with days starting at 00:00 UTC", () => {
    const { bars, symbols } = parseAlphaVantage(readSharedData(CRYPTO_FILE), CRYPTO_FILE);
    expect(symbols).toHaveLength(10);
    expect(symbols).toContain("BTC-USDT");
    expect(new Set(countBy(bars, (b) => b.symbol).values())).toEqual(new Set([356]));
    expect(bars.every((b) => b.start.getUTCHours() === 0 && b.interval === "day")).toBe(true);
    expect(bars.filter((b) => b.close === null)).toHaveLength(10);
  });
});
