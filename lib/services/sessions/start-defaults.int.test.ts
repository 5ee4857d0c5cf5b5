import { randomUUID } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertBars } from "@/lib/db/queries/bars";
import { nyWallTimeToUtc, tradingDays } from "@/lib/market";
import { sessionInputSchema } from "@/lib/schemas/session";
import { importBarsFile } from "@/lib/services/market-data/import-file";
import { ensureMarketData } from "@/lib/services/market-data/synthetic-seed";
import { DAILY_FILE, HOURLY_FILE, QQQ_FILE, SHARED_DATA_DIR } from "@/tests/support/shared-data";
import { freshSessionDatabase } from "@/tests/support/session-fixtures";
import { getStartDefaults } from "../session-view";
import { planSession } from "./plan";
import { BACKTEST_TRADING_DAYS, type StartDefaults } from "./start-range";

/**
 * The Start dialog's suggestions, read from a real database, are sessions planSession accepts as they are:
 * on a fresh install's synthetic market, then once real data is imported (which they move to).
 */
let env: Awaited<ReturnType<typeof freshSessionDatabase>>;

beforeAll(async () => {
  env = await freshSessionDatabase("start_defaults");
}, 120_000);

afterAll(async () => {
  await env?.drop();
});

/** The dialog's three sessions as pressing Start sends them: no symbols, every field as suggested. */
async function planAll(d: StartDefaults) {
  const modelId = randomUUID();
  const plan = (input: Record<string, unknown>) => planSession(env.db, sessionInputSchema.parse({ modelId, ...input }));
  return {
    replay: await plan({ kind: "replay", day: d.replay!.day }),
    day: await plan({ kind: "backtest", interval: "day", start: d.backtest.day!.start, end: d.backtest.day!.end }),
    hour: await plan({ kind: "backtest", interval: "hour", start: d.backtest.hour!.start, end: d.backtest.hour!.end }),
  };
}

describe("getStartDefaults", () => {
  it("nothing stored: nothing suggested", async () => {
    expect(await getStartDefaults(env.db)).toEqual({ replay: null, backtest: { day: null, hour: null }, dataSpan: null });
  });

  it("a fresh install: the synthetic market's last day and recent ranges, which run", { timeout: 120_000 }, async () => {
    await ensureMarketData(env.db);
    const d = await getStartDefaults(env.db);
    expect(d.replay).toEqual({ day: "2025-12-31", first: "2025-01-02", last: "2025-12-31", synthetic: true });
    expect(d.backtest.day).toMatchObject({ end: "2025-12-31", synthetic: true });
    expect(tradingDays(d.backtest.day!.start, d.backtest.day!.end)).toHaveLength(BACKTEST_TRADING_DAYS.day);
    expect(d.backtest.hour).toMatchObject({ end: "2025-12-31", synthetic: true });
    expect(d.dataSpan).toBe("day and hour bars 2025-01-02 to 2025-12-31 (synthetic market)");

    const plans = await planAll(d);
    expect(plans.replay.symbols.every((s) => s.startsWith("ZZ"))).toBe(true);
    expect(plans.replay.schedule).toHaveLength(390);
    expect(plans.day.schedule).toHaveLength(BACKTEST_TRADING_DAYS.day);
    expect(plans.hour.schedule.length).toBeGreaterThan(100);
    // The replay stored the day's synthetic minutes: the suggestions stay where they were.
    expect((await getStartDefaults(env.db)).replay?.day).toBe("2025-12-31");
  });

  it("imported data: each kind and interval inside its own bars, ending on the last FULL day", { timeout: 120_000 }, async () => {
    for (const file of [DAILY_FILE, HOURLY_FILE, QQQ_FILE]) await importBarsFile(env.db, path.join(SHARED_DATA_DIR, file));
    // One bar of the next morning (a download taken at 10:30): that day is not full, so not suggested.
    const start = nyWallTimeToUtc("2025-11-11", 10, 0);
    await insertBars(env.db, [{ symbol: "AAPL", interval: "hour", start, open: 1, high: 1, low: 1, close: 1, volume: 1, source: "test", derived: false }]);

    const d = await getStartDefaults(env.db);
    expect(d.replay).toEqual({ day: "2025-11-10", first: "2025-10-01", last: "2025-11-11", synthetic: false });
    // The daily file was downloaded during Oct 30: that day's bars have an open only, so the range ends on Oct 29.
    expect(d.backtest.day).toMatchObject({ end: "2025-10-29", first: "2025-06-10", last: "2025-10-30", synthetic: false });
    expect(tradingDays(d.backtest.day!.start, d.backtest.day!.end)).toHaveLength(BACKTEST_TRADING_DAYS.day);
    expect(d.backtest.hour).toMatchObject({ end: "2025-11-10", first: "2025-10-01", synthetic: false });
    expect(tradingDays(d.backtest.hour!.start, d.backtest.hour!.end)).toHaveLength(BACKTEST_TRADING_DAYS.hour);
    expect(d.dataSpan).toMatch(/^day bars 2025-06-10 to 2025-10-30, hour bars 2025-10-01 to 2025-11-11/);

    const plans = await planAll(d);
    for (const p of [plans.replay, plans.day, plans.hour]) expect(p.symbols.some((s) => s.startsWith("ZZ"))).toBe(false);
    expect(plans.day.symbols.length).toBeGreaterThanOrEqual(100);
    expect(plans.replay.schedule.length).toBeGreaterThanOrEqual(360);
    expect(plans.hour.symbols).toContain("QQQ");
  });
});
