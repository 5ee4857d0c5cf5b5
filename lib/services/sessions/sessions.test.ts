import { describe, expect, it } from "vitest";
import type { Bar, BarQuery, BarSource } from "@/lib/market";
import { sessionInputSchema, sessionFieldErrors } from "@/lib/schemas/session";
import { createCachedBarSource } from "./bar-cache";
import { benchmarkMetrics, buyAndHoldCurve } from "./benchmark";
import { formatEvent, parseLastEventId } from "./event-stream";
import { decisionIdFor } from "@/lib/trading/run-bar";

describe("buyAndHoldCurve", () => {
  it("splits the cash equally at the first bar and follows each symbol", () => {
    expect(buyAndHoldCurve([[100, 110, 121]], 1000)).toEqual([1000, 1100, 1210]);
    const curve = buyAndHoldCurve([[10, 20, 5], [50, 50, 100]], 1000)!;
    expect(curve.map((x) => Math.round(x * 1e9) / 1e9)).toEqual([1000, 1500, 1250]);
  });

  it("leaves out symbols without a first price and carries a missing later price forward", () => {
    expect(buyAndHoldCurve([[null, 10, 10], [10, 20, null]], 1000)).toEqual([1000, 2000, 2000]);
    expect(buyAndHoldCurve([[null, 1]], 1000)).toBeNull();
  });

  it("has the metrics of a buy-and-hold: no trades, no fees", () => {
    const m = benchmarkMetrics([100, 110, 99], "day");
    expect(m.totalReturn).toBeCloseTo(-0.01, 12);
    expect(m.maxDrawdown).toBeCloseTo(0.1, 12);
    expect(m.tradeCount).toBe(0);
    expect(m.feesPaid).toBe("0.000000");
  });
});

describe("createCachedBarSource", () => {
  const at = (d: number) => new Date(Date.UTC(2025, 0, d, 15));
  const bar = (symbol: string, d: number): Bar => ({ symbol, interval: "day", start: at(d), open: d, high: d, low: d, close: d, volume: 1, source: "t", derived: false });
  const bars = [10, 11, 12, 13, 14].map((d) => bar("AAA", d));
  const asked: BarQuery[] = [];
  const fallback: BarSource = {
    getBars: async (q) => {
      asked.push(q);
      return [];
    },
  };
  const source = createCachedBarSource({ bars, interval: "day", coveredFrom: new Map([["AAA", at(10).getTime()]]), loadedTo: at(14).getTime(), fallback });

  it("answers from memory what it holds completely", async () => {
    asked.length = 0;
    expect((await source.getBars({ symbols: ["AAA"], interval: "day", to: at(13), limit: 2 })).map((b) => b.open)).toEqual([12, 13]);
    expect((await source.getBars({ symbols: ["AAA"], interval: "day", from: at(11), to: at(14) })).map((b) => b.open)).toEqual([11, 12, 13, 14]);
    expect(asked).toEqual([]);
  });

  it("asks the fallback for older history, other intervals, later times or unknown symbols", async () => {
    asked.length = 0;
    await source.getBars({ symbols: ["AAA"], interval: "day", to: at(13), limit: 10 });
    await source.getBars({ symbols: ["AAA"], interval: "day", from: at(1), to: at(13) });
    await source.getBars({ symbols: ["AAA"], interval: "hour", to: at(13), limit: 1 });
    await source.getBars({ symbols: ["AAA"], interval: "day", to: at(20), limit: 1 });
    await source.getBars({ symbols: ["BBB"], interval: "day", to: at(13), limit: 1 });
    expect(asked).toHaveLength(5);
  });

  it("serves any query for a symbol whose whole history is held", async () => {
    asked.length = 0;
    const whole = createCachedBarSource({ bars, interval: "day", coveredFrom: new Map([["AAA", null]]), loadedTo: at(14).getTime(), fallback });
    expect(await whole.getBars({ symbols: ["AAA"], interval: "day", to: at(14), limit: 100 })).toHaveLength(5);
    expect(asked).toEqual([]);
  });
});

describe("session input schema", () => {
  const modelId = "2b0c6f7e-1d7b-4c5e-9a51-3f1f6c1f1a2b";

  it("accepts a backtest and a replay, upper-casing and de-duplicating symbols, defaulting decideEvery", () => {
    expect(sessionInputSchema.parse({ modelId, kind: "backtest", interval: "hour", start: "2025-10-01", end: "2025-10-01", symbols: ["aapl", "AAPL", " msft "] })).toMatchObject({
      symbols: ["AAPL", "MSFT"],
    });
    expect(sessionInputSchema.parse({ modelId, kind: "replay", day: "2025-10-15" })).toMatchObject({ decideEvery: 1 });
  });

  it("says what is wrong, per field", () => {
    const fields = (input: unknown) => {
      const r = sessionInputSchema.safeParse(input);
      return r.success ? {} : sessionFieldErrors(r.error);
    };
    expect(fields({ modelId, kind: "backtest", interval: "day", start: "2025-10-02", end: "2025-10-01" })).toEqual({ end: "end must be on or after start" });
    expect(fields({ modelId, kind: "backtest", interval: "day", start: "2025-10-01", end: "2025-10-01", owner: "x" })).toEqual({ body: "unknown field(s): owner" });
    expect(fields({ modelId, kind: "live" })).toEqual({ kind: 'kind must be "backtest" (with interval, start, end) or "replay" (with day)' });
    expect(fields({ modelId, kind: "replay", day: "2025-10-15", decideEvery: 1.5 })).toEqual({ decideEvery: "decideEvery must be a whole number of minutes from 1 to 60" });
    expect(fields({ modelId, kind: "replay", day: "2025-10-15", symbols: ["$$$"] })).toEqual({ "symbols.0": "each symbol must be a ticker such as AAPL or BRK.B" });
    expect(fields({ modelId, kind: "replay", day: "2025-10-15", settings: { maxSteps: 2 } })).toHaveProperty(["settings.maxSteps"]);
    expect(fields({ modelId, kind: "replay", day: "2025-10-15", settings: { paceMs: 10_001 } })).toEqual({ "settings.paceMs": "paceMs must be a whole number of milliseconds per bar from 0 to 10000" });
    expect(fields({ modelId, kind: "replay", day: "2025-10-15", settings: { paceMs: 0.5 } })).toEqual({ "settings.paceMs": "paceMs must be a whole number of milliseconds per bar from 0 to 10000" });
    expect(fields({ modelId, kind: "replay", day: "2025-10-15", settings: { paceMs: "100" } })).toEqual({ "settings.paceMs": "paceMs must be a whole number of milliseconds per bar from 0 to 10000" });
    expect(fields({ modelId, kind: "replay", day: "2025-10-15", settings: { paceMs: 250 } })).toEqual({});
    expect(fields({ modelId, kind: "replay", day: "2025-10-15", settings: { slippageBps: "abc", maxSteps: 51, fees: { perOrder: "-1" } } })).toEqual({
      "settings.slippageBps": "Slippage must be a whole number of basis points from 0 to 9999",
      "settings.maxSteps": "Model steps per decision must be a whole number of steps from 6 to 50",
      "settings.fees.perOrder": 'a dollar amount such as "0.005" (at most 6 decimals)',
    });
  });
});

describe("event stream format", () => {
  it("writes id = seq, event = type, data = JSON", () => {
    const text = formatEvent({ sessionId: "s", seq: 12, type: "fill", at: "2025-10-15 14:31:00+00", payload: { price: "1.50" } });
    expect(text).toBe('id: 12\nevent: fill\ndata: {"seq":12,"type":"fill","at":"2025-10-15T14:31:00.000Z","payload":{"price":"1.50"}}\n\n');
  });

  it("reads Last-Event-ID strictly", () => {
    expect(parseLastEventId(null)).toBe(0);
    expect(parseLastEventId(" 42 ")).toBe(42);
    expect(() => parseLastEventId("-1")).toThrow(/whole number/);
    expect(() => parseLastEventId("abc")).toThrow(/whole number/);
  });
});

describe("decisionIdFor", () => {
  it("is a UUID, the same for the same bar of the same session, different otherwise", () => {
    const a = decisionIdFor("2b0c6f7e-1d7b-4c5e-9a51-3f1f6c1f1a2b", 3);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(decisionIdFor("2b0c6f7e-1d7b-4c5e-9a51-3f1f6c1f1a2b", 3)).toBe(a);
    expect(decisionIdFor("2b0c6f7e-1d7b-4c5e-9a51-3f1f6c1f1a2b", 4)).not.toBe(a);
  });
});
