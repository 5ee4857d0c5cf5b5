import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importBarsFile } from "@/lib/services/market-data/import-file";
import { adminSql, createUser, testDb } from "@/tests/support/database";
import { contextOf, createAgentFixture, DAILY_FILE, DAY_OPEN, HOURLY_FILE } from "@/tests/support/agent-fixtures";
import { toolOutputSchemas, type BarsOutput, type IndicatorsOutput, type ToolInputs, type ToolName, type ToolOutputs } from "@/lib/agent/tool-contract";
import { nyDayOf } from "@/lib/market";
import { createChatTools } from "@/lib/services/session-chat";
import { createTradingTools } from "./index";

/**
 * get_indicators against a real database and the real NASDAQ-100 bars, called as the SDK calls it (execute with
 * a tool-call id) on a real trading context: bars from the bars table through the session's market view.
 */
const admin = adminSql();
const { db, client } = testDb();
const UNIVERSE = ["AAPL", "MSFT", "NVDA"];

beforeAll(async () => {
  await importBarsFile(db, DAILY_FILE);
  await importBarsFile(db, HOURLY_FILE);
});
afterAll(async () => {
  await admin.end();
  await client.end();
});

type Tools = ReturnType<typeof createTradingTools>;
let calls = 0;
function run<K extends ToolName>(tools: Tools, name: K, input: ToolInputs[K] | Record<string, unknown>): Promise<ToolOutputs[K]> {
  const execute = tools[name].execute as unknown as (input: unknown, options: { toolCallId: string; messages: []; context: undefined }) => Promise<ToolOutputs[K]>;
  return execute(input, { toolCallId: `ind-${++calls}`, messages: [], context: undefined });
}

async function toolsAt(label: string, at: Date, interval: "day" | "hour" = "day"): Promise<Tools> {
  const f = await createAgentFixture(db, admin, await createUser(admin, label), { interval });
  return createTradingTools(await contextOf(db, f, at, UNIVERSE));
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe("get_indicators on the real daily bars", () => {
  it("computes from the closed bars get_bars sees at the clock: yesterday's bar is the last, today's (in progress) is not", async () => {
    const tools = await toolsAt("ind-day", DAY_OPEN);
    const out = toolOutputSchemas.get_indicators.parse(
      await run(tools, "get_indicators", { symbol: "nvda", indicators: [{ name: "sma", period: 5 }, { name: "rsi" }, { name: "macd" }, { name: "bollinger" }, { name: "atr" }, { name: "ema", period: 10 }], count: 3 }),
    );
    const bars = (await run(tools, "get_bars", { symbol: "NVDA", limit: 500 })) as BarsOutput;
    expect(out).toMatchObject({ symbol: "NVDA", interval: "day", bars: bars.bars.length, from: bars.bars[0]!.t, to: "2025-09-30T13:30:00.000Z", lastClose: bars.bars.at(-1)!.c });
    expect(out.bars).toBe(78); // 2025-06-10 … 2025-09-30
    expect(out.indicators.map((i) => i.label)).toEqual(["SMA(5)", "RSI(14)", "MACD(12,26,9)", "BB(20,2)", "ATR(14)", "EMA(10)"]);
    for (const ind of out.indicators) expect(ind.values.map((v) => v.t), ind.label).toEqual(bars.bars.slice(-3).map((b) => b.t));

    // SMA(5) and the Bollinger middle band are plain means of the last closes: checked here without the library.
    const closes = bars.bars.map((b) => b.c);
    expect(out.indicators[0]!.values.at(-1)!.value).toBeCloseTo(mean(closes.slice(-5)), 4);
    expect(out.indicators[3]!.values.at(-1)!.middle).toBeCloseTo(mean(closes.slice(-20)), 4);
    const rsi = out.indicators[1]!.values.at(-1)!.value!;
    expect(rsi).toBeGreaterThan(0);
    expect(rsi).toBeLessThan(100);
    const macd = out.indicators[2]!.values.at(-1)!;
    expect(macd.histogram).toBeCloseTo(macd.macd! - macd.signal!, 3);
  });

  it("a day later the newest value is the bar that closed since; the earlier values are the same", async () => {
    const input = { symbol: "AAPL", indicators: [{ name: "sma", period: 10 }, { name: "atr" }], count: 2 };
    const today = (await run(await toolsAt("ind-d1", DAY_OPEN), "get_indicators", input)) as IndicatorsOutput;
    const tomorrow = (await run(await toolsAt("ind-d2", new Date("2025-10-02T13:30:00Z")), "get_indicators", input)) as IndicatorsOutput;
    expect(tomorrow.bars).toBe(today.bars + 1);
    expect(tomorrow.to).toBe(DAY_OPEN.toISOString());
    expect(tomorrow.indicators[0]!.values[0]).toEqual(today.indicators[0]!.values[1]);
    expect(tomorrow.indicators[1]!.values[0]).toEqual(today.indicators[1]!.values[1]);
  });

  it("refuses in words: an unknown symbol, a period longer than the history, VWAP of daily bars, a bad period", async () => {
    const tools = await toolsAt("ind-bad", DAY_OPEN);
    await expect(run(tools, "get_indicators", { symbol: "TSLA", indicators: [{ name: "rsi" }] })).rejects.toThrow(/^NOT_IN_UNIVERSE: TSLA is not in this session's universe: AAPL, MSFT, NVDA/);
    await expect(run(tools, "get_indicators", { symbol: "MSFT", indicators: [{ name: "sma", period: 200 }] })).rejects.toThrow(
      /^NOT_ENOUGH_BARS: SMA\(200\) needs 200 closed bars, but MSFT has only 78 closed day bars up to the clock; use a period that fits in 78 bars/,
    );
    await expect(run(tools, "get_indicators", { symbol: "MSFT", indicators: [{ name: "vwap" }] })).rejects.toThrow(/^INVALID_ARGUMENTS: vwap is the session day's volume-weighted average price/);
    await expect(run(tools, "get_indicators", { symbol: "MSFT", indicators: [{ name: "rsi", period: 0 }] })).rejects.toThrow(/^INVALID_ARGUMENTS: .*indicators\.0\.period: a period is at least 2 bars/);
    await expect(run(tools, "get_indicators", { symbol: "MSFT", indicators: [{ name: "momentum" }] })).rejects.toThrow(/^INVALID_ARGUMENTS: .*name must be one of sma, ema, rsi, macd, bollinger, atr, vwap/);
  });
});

describe("get_indicators on the real hourly bars", () => {
  it("VWAP of the session day so far, by default at the session's interval, agrees with the day's bars", async () => {
    const at = new Date("2025-10-02T18:00:00Z"); // 14:00 in New York: part of the day's hour bars have closed
    const tools = await toolsAt("ind-hour", at, "hour");
    const out = (await run(tools, "get_indicators", { symbol: "MSFT", indicators: [{ name: "vwap" }, { name: "rsi", period: 6 }], count: 20 })) as IndicatorsOutput;
    const bars = ((await run(tools, "get_bars", { symbol: "MSFT", limit: 500 })) as BarsOutput).bars;
    expect(out).toMatchObject({ interval: "hour", bars: bars.length, to: bars.at(-1)!.t });
    expect(bars.every((b) => new Date(b.t).getTime() < at.getTime())).toBe(true);

    // Each value: Σ typical price × volume / Σ volume over that New York day's bars up to it (independent of the library).
    const vwap = out.indicators[0]!.values;
    expect(vwap.length).toBe(bars.length);
    for (const v of vwap) {
      const day = bars.filter((b) => nyDayOf(new Date(b.t)) === nyDayOf(new Date(v.t)) && b.t <= v.t);
      const expected = day.reduce((s, b) => s + ((b.h + b.l + b.c) / 3) * b.v, 0) / day.reduce((s, b) => s + b.v, 0);
      expect(v.value, v.t).toBeCloseTo(expected, 3);
    }
    const days = new Set(vwap.map((v) => nyDayOf(new Date(v.t))));
    expect([...days]).toEqual(["2025-10-01", "2025-10-02"]);
    // The day's first VWAP is its first bar's typical price.
    const firstToday = bars.find((b) => nyDayOf(new Date(b.t)) === "2025-10-02")!;
    expect(vwap.find((v) => v.t === firstToday.t)!.value).toBeCloseTo((firstToday.h + firstToday.l + firstToday.c) / 3, 3);
  });
});

describe("get_indicators in the session chat", () => {
  it("the chat's read-only tool is the same tool: the same answer at the same clock, over its own transaction as the user", async () => {
    const f = await createAgentFixture(db, admin, await createUser(admin, "ind-chat"));
    const chat = createChatTools({ userId: f.user.id, claims: f.user.claims, modelId: f.model.id, sessionId: f.sessionId, interval: "day", universe: UNIVERSE, clock: DAY_OPEN, settings: {} }, db);
    const input = { symbol: "MSFT", indicators: [{ name: "rsi" }, { name: "macd" }, { name: "bollinger", period: 10, stdDev: 1.5 }], count: 4 };
    const execute = chat.get_indicators.execute as unknown as (input: unknown, options: { toolCallId: string; messages: []; context: undefined }) => Promise<IndicatorsOutput>;
    const fromChat = await execute(input, { toolCallId: "chat-ind-1", messages: [], context: undefined });
    expect(fromChat).toEqual(await run(createTradingTools(await contextOf(db, f, DAY_OPEN, UNIVERSE)), "get_indicators", input));
    expect(fromChat.to).toBe("2025-09-30T13:30:00.000Z");
    await expect(execute({ ...input, indicators: [{ name: "rsi", fast: 3 }] }, { toolCallId: "chat-ind-2", messages: [], context: undefined })).rejects.toThrow(
      /^INVALID_ARGUMENTS: .*indicators\.0\.fast: rsi takes period, not fast/,
    );
  });
});
