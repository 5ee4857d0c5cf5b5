import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseMoney, toDecimalString } from "@/lib/engine";
import type { Bar } from "@/lib/market";
import { barStarts, tradingDays } from "@/lib/market";
import { decide } from "@/lib/trading/decide";
import { createUser, type TestUser } from "@/tests/support/database";
import { createModel, dayBars, freshSessionDatabase, runRecordOf, seedBars, testJobs } from "@/tests/support/session-fixtures";
import { scriptedModel, text, toolCall } from "@/tests/support/scripted-model";
import { controlSession } from "./control";
import { createSession } from "./create";
import { getViewerState } from "@/lib/services/session-view";
import { getSessionDetail } from "./read";
import type { DecideFn } from "@/lib/trading/run-bar";
import { runSessionJob, type RunnerDeps } from "./runner";

/**
 * Stock borrow on shorts, driven through the session runner (run-bar.ts borrowFeeFor → engine
 * computeBorrowFees → recordBar) with scripted decisions and every number computed by hand here.
 *
 * The rule (lib/engine/borrow-fee.ts, run-bar.ts): at each bar after the first, a short held since the
 * previous bar owes, per symbol, ceil(|quantity| × price × rateBps × days / (10,000 × 360)) micro-dollars,
 * where days = calendar days between the two bars' New York days (0 within a day) and price = the quote
 * at the bar's clock (the open of the bar starting then). Debited from cash (and added to
 * accounts.borrow_fees_paid) by the bar's one statement, after the bar's fills.
 *
 * The week of Presidents' Day 2025: Thu Feb 13, Fri Feb 14, (Mon Feb 17 closed), Tue Feb 18, Wed Feb 19,
 * Thu Feb 20. Friday → Tuesday is 4 calendar days.
 */
const RATE_BPS = 777; // 7.77 % a year: most fees land between micros, so the rounding up shows
const days = tradingDays("2025-02-13", "2025-02-20");
const history = tradingDays("2025-02-10", "2025-02-12");
//                  Feb 13           Feb 14           Feb 18          Feb 19           Feb 20
const OPEN = {
  AAA: [101.37, 102.49, 99.83, 100.21, 98.77],
  BBB: [48.13, 47.91, 49.07, 50.59, 51.33],
  CCC: [20.11, 20.57, 21.03, 20.89, 21.47],
} as const;
// Closes differ from every open, so a fee priced at a close would not match.
const withCloses = (opens: readonly number[], hist: number) => [
  ...history.map(() => [hist, hist] as const),
  ...opens.map((o, i) => [o, Math.round((o + 0.55 + i * 0.1) * 100) / 100] as const),
];

/** What the scripted model does, per session and bar time (ISO): [tool, symbol, quantity] calls. */
type Call = readonly ["buy" | "sell" | "short" | "cover", string, number];
const plans = new Map<string, Map<string, readonly Call[]>>();
const scriptedDecide: DecideFn = async (ctx, options) => {
  const at = ctx.clock.now().toISOString();
  const calls = plans.get(ctx.sessionId)?.get(at) ?? [];
  // Tool-call ids depend on the bar only: a re-run bar places the same orders under the same keys.
  const languageModel = scriptedModel([calls.map(([tool, symbol, quantity], i) => toolCall(tool, { symbol, quantity }, `${at}-${i}`)), [text(calls.length ? "Traded." : "Hold.")]]);
  return decide(ctx, { ...options, languageModel });
};

let env: Awaited<ReturnType<typeof freshSessionDatabase>>;
let jobs: Awaited<ReturnType<typeof testJobs>>;
let deps: RunnerDeps;

beforeAll(async () => {
  env = await freshSessionDatabase("sessions_borrow");
  await seedBars(env.db, dayBars([...history, ...days], { AAA: withCloses(OPEN.AAA, 100), BBB: withCloses(OPEN.BBB, 48), CCC: withCloses(OPEN.CCC, 20) }));
  await seedBars(env.db, hourBars());
  jobs = await testJobs(env.url);
  // No worker: the test runs each session's job itself (runSessionJob, as the worker does), so it can
  // stop, pause and crash a run exactly where it wants.
  deps = { db: env.db, jobs: jobs.jobs, decide: scriptedDecide, log: () => {} };
}, 60_000);

afterAll(async () => {
  await jobs?.stop();
  await env?.drop();
});

/** The day schedule: bar i starts at days[i]'s open. */
const T = days.map((d) => barStarts(d, "day")[0]!.toISOString());

/**
 * AAA: short 100 at bar 0 (Thu), covered at bar 3's open (Wed). BBB: short 40 at bar 2 (Tue, after the
 * long weekend), held to the end. CCC: 30 long throughout (never charged).
 */
const DAY_PLAN: [string, readonly Call[]][] = [
  [T[0]!, [["short", "AAA", 100], ["buy", "CCC", 30]]],
  [T[2]!, [["short", "BBB", 40]]],
  [T[3]!, [["cover", "AAA", 100]]],
];

async function createDaySession(user: TestUser, settings: Record<string, unknown>, plan = DAY_PLAN) {
  const modelId = await createModel(env.sql, user, { startingCash: "100000" });
  const s = await createSession(user.ctx, { modelId, kind: "backtest", interval: "day", start: "2025-02-13", end: "2025-02-20", symbols: ["AAA", "BBB", "CCC"], settings }, { db: env.db, jobs: jobs.jobs });
  plans.set(s.id, new Map(plan));
  return s;
}

const accountOf = async (id: string) =>
  (await env.sql<{ cash: string; equity: string; borrow_fees_paid: string; fees_paid: string }[]>`
    select cash::text, equity::text, borrow_fees_paid::text, fees_paid::text from accounts where session_id = ${id}`)[0]!;
const equityRows = async (id: string) =>
  env.sql<{ bar_index: number; cash: string; equity: string }[]>`select bar_index, cash::text, equity::text from session_equity where session_id = ${id} order by bar_index`;
const positionsOf = async (id: string) =>
  (await env.sql<{ symbol: string; q: number }[]>`select symbol, quantity::int as q from positions where session_id = ${id} order by symbol`).map((p) => [p.symbol, p.q]);
const cursorOf = async (id: string) => (await env.sql<{ cursor: number }[]>`select cursor from trading_sessions where id = ${id}`)[0]!.cursor;

/** Exact micro-dollars ⇄ the numeric(20,6) text the database returns. */
const usd = toDecimalString;
const M = parseMoney;

/*
 * The fees, by hand (µ = micro-dollars; 360-day year; ceil per symbol):
 *   bar 1 Fri, 1 day:  AAA 100 × 102.49 × 777 × 1 / 3,600,000 = 2,212,075.83 µ → 2,212,076 µ
 *   bar 2 Tue, 4 days: AAA 100 × 99.83 × 777 × 4 / 3,600,000  = 8,618,656.67 µ → 8,618,657 µ
 *                      (BBB was shorted at this bar's open: it did not exist over the weekend → 0)
 *   bar 3 Wed, 1 day:  AAA 100 × 100.21 × 777 / 3,600,000      = 2,162,865.83 µ → 2,162,866 µ
 *                      (held Tue → Wed; covered at Wed's open, it still owes that night)
 *                      BBB 40 × 50.59 × 777 / 3,600,000        =   436,760.33 µ →   436,761 µ
 *   bar 4 Thu, 1 day:  BBB 40 × 51.33 × 777 / 3,600,000        =   443,149 µ exactly
 */
const FEES = [0n, 2_212_076n, 8_618_657n, 2_162_866n + 436_761n, 443_149n];
const TOTAL_FEES = 13_873_509n; // $13.873509

/*
 * Cash, by hand (no trading fees, no slippage; fills at the opens, the bar's fee after its fills):
 *   bar 0: 100,000 + 100 × 101.37 (short AAA) − 30 × 20.11 (buy CCC)      = 109,533.700000
 *   bar 1: − 2.212076                                                      = 109,531.487924
 *   bar 2: + 40 × 49.07 (short BBB) = 111,494.287924 (the fill's cash_after); − 8.618657 = 111,485.669267
 *   bar 3: − 100 × 100.21 (cover AAA) = 101,464.669267 (cash_after); − 2.599627          = 101,462.069640
 *   bar 4: − 0.443149                                                      = 101,461.626491
 */
const CASH = ["109533.700000", "109531.487924", "111485.669267", "101462.069640", "101461.626491"];
/** Positions held after each bar's fills (AAA, BBB, CCC), to value equity = cash + Σ quantity × open. */
const HELD = [
  [-100, 0, 30],
  [-100, 0, 30],
  [-100, -40, 30],
  [0, -40, 30],
  [0, -40, 30],
];
const SYMS = ["AAA", "BBB", "CCC"] as const;
const equityAt = (i: number) => M(CASH[i]!) + HELD[i]!.reduce((sum, q, k) => sum + BigInt(q) * M(OPEN[SYMS[k]!][i]!.toFixed(6)), 0n);

describe("borrow fees through the session runner (day bars, a long weekend)", () => {
  it("charges shorts held overnight at the bar's open for the calendar days since the previous bar, rounded up, once", async () => {
    const user = await createUser(env.sql, "borrow");
    const s = await createDaySession(user, { allowShort: true, borrowRateBps: RATE_BPS });
    expect(s.schedule.map((d) => new Date(d).toISOString())).toEqual(T);
    expect(await runSessionJob(s.id, "job-1:0", deps)).toBe("completed");

    // The cash steps between bars are exactly the fills and the hand-computed fees.
    expect(CASH.map((c, i) => (i === 0 ? 0n : M(CASH[i - 1]!) - M(c)))).toEqual([0n, FEES[1], FEES[2]! - 1_962_800_000n, FEES[3]! + 10_021_000_000n, FEES[4]]);
    expect(FEES.reduce((a, b) => a + b)).toBe(TOTAL_FEES);

    // Where it shows: the equity curve's cash (and equity = cash + Σ quantity × open) …
    const curve = await equityRows(s.id);
    expect(curve.map((e) => e.cash)).toEqual(CASH);
    expect(curve.map((e) => e.equity)).toEqual(CASH.map((_, i) => usd(equityAt(i))));
    expect(usd(equityAt(0))).toBe("100000.000000"); // nothing is charged on the first bar
    // … the `equity` events …
    const events = await env.sql<{ payload: { barIndex: number; cash: string; equity: string; borrowFeesPaid: string } }[]>`
      select payload from session_events where session_id = ${s.id} and type = 'equity' order by seq`;
    expect(events.map((e) => [e.payload.barIndex, e.payload.cash, e.payload.equity])).toEqual(curve.map((e) => [e.bar_index, e.cash, e.equity]));
    // … with the borrow charged so far, for the viewer …
    expect(events.map((e) => e.payload.borrowFeesPaid)).toEqual(FEES.map((_, i) => usd(FEES.slice(0, i + 1).reduce((a, b) => a + b, 0n))));
    // … the account (borrow fees apart from trading fees) …
    expect(await accountOf(s.id)).toEqual({ cash: CASH[4], equity: curve[4]!.equity, borrow_fees_paid: usd(TOTAL_FEES), fees_paid: "0.000000" });
    // The API's session shows them too (GET /api/v1/sessions/:id → account.borrowFeesPaid), and so does the viewer.
    expect((await getSessionDetail(user.ctx, s.id, env.db)).account).toMatchObject({ borrowFeesPaid: usd(TOTAL_FEES), feesPaid: "0.000000" });
    expect((await getViewerState(user.ctx, s.id, env.db)).session.borrowFeesPaid).toBe(Number(usd(TOTAL_FEES)));
    // … and the fills' running cash, which includes the fees charged at earlier bars. Fills carry no borrow fee.
    const fills = await env.sql<{ symbol: string; side: string; q: number; price: string; fee: string; cash_after: string }[]>`
      select symbol, side, quantity::int as q, price::text, fee::text, cash_after::text from fills where session_id = ${s.id} order by filled_at, symbol`;
    expect(fills.map((f) => [f.symbol, f.side, f.q, f.price, f.fee, f.cash_after])).toEqual([
      ["AAA", "sell_short", 100, "101.370000", "0.000000", "110137.000000"],
      ["CCC", "buy", 30, "20.110000", "0.000000", "109533.700000"],
      ["BBB", "sell_short", 40, "49.070000", "0.000000", "111494.287924"],
      ["AAA", "buy_to_cover", 100, "100.210000", "0.000000", "101464.669267"],
    ]);
    expect(await positionsOf(s.id)).toEqual([["AAA", 0], ["BBB", -40], ["CCC", 30]]);
  });

  it("charges nothing at a zero rate, nor on a long-only run at a nonzero rate", async () => {
    const user = await createUser(env.sql, "noborrow");
    const free = await createDaySession(user, { allowShort: true, borrowRateBps: 0 });
    const longOnly = await createDaySession(user, { allowShort: true, borrowRateBps: RATE_BPS }, [[T[0]!, [["buy", "CCC", 30], ["buy", "AAA", 10]]], [T[3]!, [["sell", "AAA", 10]]]]);
    expect(await runSessionJob(free.id, "job-2:0", deps)).toBe("completed");
    expect(await runSessionJob(longOnly.id, "job-3:0", deps)).toBe("completed");

    // Same trades as the test above, no fee: the final cash is higher by exactly the fees charged there.
    const freeCash = 100_000_000_000n + 10_137_000_000n - 603_300_000n + 1_962_800_000n - 10_021_000_000n;
    expect(await accountOf(free.id)).toMatchObject({ cash: usd(freeCash), borrow_fees_paid: "0.000000" });
    expect(freeCash - M(CASH[4]!)).toBe(TOTAL_FEES);
    const freeCurve = await equityRows(free.id);
    expect(freeCurve.map((e) => e.cash)).toEqual(["109533.700000", "109533.700000", "111496.500000", "101475.500000", "101475.500000"]);

    // Long only: cash moves only by its fills.
    const longCash = 100_000_000_000n - 603_300_000n - 1_013_700_000n;
    const longCurve = await equityRows(longOnly.id);
    expect(longCurve.map((e) => e.cash)).toEqual([usd(longCash), usd(longCash), usd(longCash), usd(longCash + 1_002_100_000n), usd(longCash + 1_002_100_000n)]);
    expect(await accountOf(longOnly.id)).toMatchObject({ borrow_fees_paid: "0.000000" });
  });

  it("charges each day once when the run is paused and resumed, and when a bar's commit fails and the bar runs again", async () => {
    const user = await createUser(env.sql, "interrupted");
    const straight = await createDaySession(user, { allowShort: true, borrowRateBps: RATE_BPS });
    expect(await runSessionJob(straight.id, "job-4:0", deps)).toBe("completed");
    const s = await createDaySession(user, { allowShort: true, borrowRateBps: RATE_BPS });
    const ctl = { db: env.db, jobs: jobs.jobs };

    // Run bars 0 and 1, then stop at the bar boundary (as on SIGTERM) and pause before the long weekend's bar.
    let stop = false;
    const first = await runSessionJob(s.id, "job-5:0", { ...deps, stopping: () => stop, onBarCommitted: ({ index }) => (stop = index === 1) });
    expect(first).toBe("yielded");
    expect(await cursorOf(s.id)).toBe(2);
    await controlSession(user.ctx, s.id, "pause", ctl);
    expect(await runSessionJob(s.id, "job-6:0", deps)).toBe("stopped"); // the queued continuation finds it paused
    expect(await cursorOf(s.id)).toBe(2);
    expect((await accountOf(s.id)).borrow_fees_paid).toBe(usd(FEES[1]!));
    await controlSession(user.ctx, s.id, "resume", ctl);

    // Bar 3 (a cover and two symbols' fees) fails at COMMIT, after its one statement has run: a deferred
    // trigger raises a serialization failure (transient: the runner rethrows it for pg-boss to retry).
    await env.sql.unsafe(`
      create function test_fail_commit() returns trigger language plpgsql as $$
      begin raise exception 'injected commit failure' using errcode = 'serialization_failure'; end $$`);
    await env.sql.unsafe(`
      create constraint trigger fail_bar_3 after insert on session_equity deferrable initially deferred
      for each row when (new.bar_index = 3 and new.session_id = '${s.id}') execute function test_fail_commit()`);
    try {
      await expect(runSessionJob(s.id, "job-7:0", deps)).rejects.toMatchObject({ message: expect.stringMatching(/injected commit failure/) });
    } finally {
      await env.sql.unsafe("drop trigger fail_bar_3 on session_equity; drop function test_fail_commit()");
    }
    // Nothing of bar 3 stayed: not its fee, not its fill, not its equity point.
    expect(await cursorOf(s.id)).toBe(3);
    expect(await accountOf(s.id)).toMatchObject({ cash: CASH[2], borrow_fees_paid: usd(FEES[1]! + FEES[2]!) });
    expect((await equityRows(s.id)).map((e) => e.cash)).toEqual(CASH.slice(0, 3));
    expect(await positionsOf(s.id)).toEqual([["AAA", -100], ["BBB", -40], ["CCC", 30]]);

    // The retry (a new attempt of the job) runs bar 3 again and finishes like the uninterrupted run.
    expect(await runSessionJob(s.id, "job-7:1", deps)).toBe("completed");
    expect((await equityRows(s.id)).map((e) => e.cash)).toEqual(CASH);
    expect(await accountOf(s.id)).toEqual(await accountOf(straight.id));
    expect((await accountOf(s.id)).borrow_fees_paid).toBe(usd(TOTAL_FEES));
    const [a, b] = await Promise.all([runRecordOf(env.sql, straight.id), runRecordOf(env.sql, s.id)]);
    expect({ ...b, events: undefined }).toEqual({ ...a, events: undefined });
    const statuses = await env.sql<{ payload: { status: string } }[]>`select payload from session_events where session_id = ${s.id} and type = 'status' order by seq`;
    expect(statuses.map((e) => e.payload.status)).toEqual(["pending", "running", "paused", "pending", "running", "completed"]);
  });
});

/*
 * Hour bars: Fri Feb 14 and Tue Feb 18, six bars a day (10:00 … 15:00 New York). AAA's hour opens:
 * Friday 102.00, 102.10, …; Tuesday 99.83, 99.93, …
 */
const HOUR_DAYS = ["2025-02-14", "2025-02-18"];
const hourOpen = (d: number, h: number) => Math.round(((d === 0 ? 102 : 99.83) + h * 0.1) * 100) / 100;
function hourBars(): Bar[] {
  return HOUR_DAYS.flatMap((day, d) =>
    barStarts(day, "hour").flatMap((start, h) =>
      ["AAA", "CCC"].map((symbol) => {
        const open = symbol === "AAA" ? hourOpen(d, h) : 20 + h;
        return { symbol, interval: "hour" as const, start, open, high: open + 1, low: open - 1, close: open + 0.05, volume: 100, source: "test", derived: false };
      }),
    ),
  );
}

describe("borrow fees through the session runner (hour bars)", () => {
  it("charges a short once per calendar day, at the first bar of the next day, whatever the number of bars between", async () => {
    const user = await createUser(env.sql, "hourly");
    const modelId = await createModel(env.sql, user, { startingCash: "100000" });
    const s = await createSession(
      user.ctx,
      { modelId, kind: "backtest", interval: "hour", start: "2025-02-14", end: "2025-02-18", symbols: ["AAA", "CCC"], settings: { allowShort: true, borrowRateBps: RATE_BPS } },
      { db: env.db, jobs: jobs.jobs },
    );
    const schedule = s.schedule.map((d) => new Date(d).toISOString());
    expect(schedule).toEqual(HOUR_DAYS.flatMap((day) => barStarts(day, "hour").map((t) => t.toISOString())));
    expect(schedule).toHaveLength(12);
    // Short 10 AAA at Friday 10:00, cover at Tuesday 10:00: the first bar after the weekend, which still owes it.
    plans.set(s.id, new Map([[schedule[0]!, [["short", "AAA", 10]] as const], [schedule[6]!, [["cover", "AAA", 10]] as const]]));
    expect(await runSessionJob(s.id, "job-8:0", deps)).toBe("completed");

    // Tuesday 10:00 (bar 6), 4 days: 10 × 99.83 × 777 × 4 / 3,600,000 = 861,865.67 µ → 861,866 µ; no other bar charges.
    const shortCash = 100_000_000_000n + 10n * 102_000_000n;
    const coverCost = 10n * 99_830_000n;
    const curve = await equityRows(s.id);
    const cash = curve.map((e) => M(e.cash));
    expect(cash).toEqual(schedule.map((_, i) => shortCash - (i >= 6 ? 861_866n + coverCost : 0n)));
    // Equity = cash − 10 × AAA's hour open while short; = cash once covered.
    expect(curve.map((e) => M(e.equity))).toEqual(cash.map((c, i) => (i < 6 ? c - 10n * M(hourOpen(0, i).toFixed(6)) : c)));
    expect(await accountOf(s.id)).toMatchObject({ borrow_fees_paid: "0.861866" });
  });
});
