import { describe, expect, it } from "vitest";
import { INDICATOR_LOOKBACK_BARS, toolOutputSchemas, type IndicatorsOutput, type ToolInputs } from "@/lib/agent/tool-contract";
import { createMarketView, createMemoryBarSource, type Bar, type BarQuery } from "@/lib/market";
import type { TradingContext } from "../context";
import { createToolRuntime } from "./index";
import { createGetIndicatorsTool } from "./get-indicators";

/** get_indicators over a real market view (memory source): what the clock hides never reaches the arithmetic. */

const HOUR_MS = 3_600_000;
const T0 = Date.UTC(2025, 5, 2, 13, 0);
const ALL: ToolInputs["get_indicators"]["indicators"] = [
  { name: "sma", period: 20 },
  { name: "ema", period: 50 },
  { name: "rsi" },
  { name: "macd" },
  { name: "bollinger" },
  { name: "atr" },
  { name: "vwap" },
];

/** A seeded random walk of hour bars (the same every run). */
function walk(n: number, seed = 42): Bar[] {
  let s = seed;
  const rand = () => ((s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  let price = 100;
  return Array.from({ length: n }, (_, i) => {
    const open = price;
    const close = Math.max(1, open * (1 + (rand() - 0.5) * 0.02));
    price = close;
    const high = Math.max(open, close) * (1 + rand() * 0.005);
    const low = Math.min(open, close) * (1 - rand() * 0.005);
    return { symbol: "AAA", interval: "hour", start: new Date(T0 + i * HOUR_MS), open, high, low, close, volume: 1_000 + Math.floor(rand() * 9_000), source: "test", derived: false };
  });
}

function contextAt(at: Date, bars: readonly Bar[], seen: BarQuery[] = []): TradingContext {
  const memory = createMemoryBarSource(bars);
  const source = { getBars: async (q: BarQuery) => (seen.push(q), memory.getBars(q)) };
  const clock = { now: () => at };
  return { interval: "hour", clock, market: createMarketView({ clock, universe: ["AAA", "BBB"], source, intervals: ["hour"] }) } as unknown as TradingContext;
}

let calls = 0;
async function run(ctx: TradingContext, input: unknown): Promise<IndicatorsOutput> {
  const tool = createGetIndicatorsTool(ctx, createToolRuntime());
  const execute = tool.execute as unknown as (input: unknown, o: { toolCallId: string; messages: []; context: undefined }) => Promise<IndicatorsOutput>;
  return execute(input, { toolCallId: `c${++calls}`, messages: [], context: undefined });
}

describe("get_indicators and the clock", () => {
  const bars = walk(400);
  const k = 300;
  const clock = bars[k]!.start; // bar k starts at the clock: it and every later bar are unknown at this point

  it("at clock t the result is the result from the bars before t alone; changing a bar at or after t changes nothing", async () => {
    const input = { symbol: "aaa", indicators: ALL, count: 10 };
    const withFuture = await run(contextAt(clock, bars), input);
    const pastOnly = await run(contextAt(clock, bars.slice(0, k)), input);
    expect(toolOutputSchemas.get_indicators.parse(withFuture)).toEqual(pastOnly);
    expect(withFuture).toMatchObject({ symbol: "AAA", interval: "hour", bars: k, from: bars[0]!.start.toISOString(), to: bars[k - 1]!.start.toISOString(), lastClose: bars[k - 1]!.close });
    for (const ind of withFuture.indicators) {
      expect(ind.values.length, ind.label).toBeGreaterThan(0);
      expect(ind.values.every((v) => new Date(v.t).getTime() < clock.getTime()), ind.label).toBe(true);
    }

    // The future rewritten wildly (prices ×10, no volume, the bar in progress too): the same answer.
    const rewritten = bars.map((b, i) => (i < k ? b : { ...b, open: b.open * 10, high: b.high! * 10, low: b.low! * 10, close: b.close! * 10, volume: 1 }));
    expect(await run(contextAt(clock, rewritten), input)).toEqual(withFuture);

    // The test can fail: the last closed bar does change it.
    const lastChanged = bars.map((b, i) => (i === k - 1 ? { ...b, close: b.close! * 1.05, high: b.high! * 1.05 } : b));
    expect(await run(contextAt(clock, lastChanged), input)).not.toEqual(withFuture);
  });

  it("inside a bar, that bar is still unknown; once it has closed, it is used", async () => {
    const input = { symbol: "AAA", indicators: [{ name: "sma", period: 5 }], count: 1 } as const;
    const inside = await run(contextAt(new Date(clock.getTime() + 30 * 60_000), bars), input);
    expect(inside.indicators[0]!.values[0]!.t).toBe(bars[k - 1]!.start.toISOString());
    const after = await run(contextAt(new Date(clock.getTime() + HOUR_MS), bars), input);
    expect(after.indicators[0]!.values[0]!.t).toBe(bars[k]!.start.toISOString());
  });

  it("reads through the market view only, at most the lookback's bars, never past the clock", async () => {
    const seen: BarQuery[] = [];
    const out = await run(contextAt(new Date(T0 + 1_000 * HOUR_MS), walk(1_000), seen), { symbol: "AAA", indicators: [{ name: "sma" }] });
    expect(out.bars).toBe(INDICATOR_LOOKBACK_BARS);
    expect(seen.length).toBeGreaterThan(0);
    for (const q of seen) expect(q.to!.getTime()).toBeLessThanOrEqual(T0 + 1_000 * HOUR_MS);
  });
});

describe("get_indicators refuses, through the tools' error path", () => {
  const bars = walk(60);
  const ctx = () => contextAt(bars[40]!.start, bars);

  it("a symbol outside the universe: NOT_IN_UNIVERSE with the universe listed", async () => {
    await expect(run(ctx(), { symbol: "ZZZ", indicators: [{ name: "rsi" }] })).rejects.toThrow(/^NOT_IN_UNIVERSE: ZZZ is not in this session's universe: AAA, BBB/);
  });

  it("a symbol with no bars yet, or too few for the period: NOT_ENOUGH_BARS", async () => {
    await expect(run(ctx(), { symbol: "BBB", indicators: [{ name: "rsi" }] })).rejects.toThrow(/^NOT_ENOUGH_BARS: no closed hour bars of BBB/);
    await expect(run(ctx(), { symbol: "AAA", indicators: [{ name: "sma", period: 50 }] })).rejects.toThrow(/^NOT_ENOUGH_BARS: SMA\(50\) needs 50 closed bars, but AAA has only 40 closed hour bars/);
  });

  it("arguments outside the contract: INVALID_ARGUMENTS naming the field, before any bar is read", async () => {
    const seen: BarQuery[] = [];
    const c = contextAt(bars[40]!.start, bars, seen);
    for (const [input, message] of [
      [{ symbol: "AAA", indicators: [{ name: "ichimoku" }] }, /^INVALID_ARGUMENTS: get_indicators does not take these arguments \(indicators\.0\.name: name must be one of sma, ema, rsi, macd, bollinger, atr, vwap\)/],
      [{ symbol: "AAA", indicators: [{ name: "rsi", period: 0 }] }, /indicators\.0\.period: a period is at least 2 bars/],
      [{ symbol: "AAA", indicators: [{ name: "rsi", period: -3 }] }, /indicators\.0\.period: a period is at least 2 bars/],
      [{ symbol: "AAA", indicators: [{ name: "rsi", period: Number.NaN }] }, /indicators\.0\.period: /],
      [{ symbol: "AAA", indicators: [{ name: "rsi", period: 10_000 }] }, /indicators\.0\.period: a period is at most 200 bars/],
      [{ symbol: "AAA", indicators: [{ name: "rsi", period: "14" }] }, /indicators\.0\.period: /],
      [{ symbol: "AAA", indicators: "rsi" }, /indicators: /],
      [{ symbol: "AAA" }, /indicators: /],
      [{ symbol: "AAA", indicators: [{ name: "macd", fast: 30, slow: 10 }] }, /^INVALID_ARGUMENTS: macd needs fast < slow/],
      [{ symbol: "AAA", indicators: [{ name: "vwap" }], interval: "day" }, /^INVALID_ARGUMENTS: vwap is the session day's volume-weighted average price/],
    ] as const) {
      await expect(run(c, input), JSON.stringify(input)).rejects.toThrow(message);
    }
    expect(seen).toEqual([]);
  });
});
