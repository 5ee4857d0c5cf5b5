import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorker, type Worker } from "@/lib/jobs/worker";
import { tradingDays } from "@/lib/market";
import { DAILY_FILE, HOURLY_FILE, QQQ_FILE, SHARED_DATA_DIR } from "@/tests/support/shared-data";
import { importBarsFile } from "@/lib/services/market-data/import-file";
import { createUser, type TestUser } from "@/tests/support/database";
import { createModel, freshSessionDatabase, testJobs, waitForStatus } from "@/tests/support/session-fixtures";
import { createSession } from "./create";
import { getSessionDetail, getSessionEquity, listSessionOrders } from "./read";

/** The imported NASDAQ-100 data (Alpha Vantage files): a daily and an hourly backtest and a minute replay. */
let env: Awaited<ReturnType<typeof freshSessionDatabase>>;
let jobs: Awaited<ReturnType<typeof testJobs>>;
let worker: Worker;
let user: TestUser;

beforeAll(async () => {
  env = await freshSessionDatabase("sessions_real");
  for (const file of [DAILY_FILE, HOURLY_FILE, QQQ_FILE]) await importBarsFile(env.db, path.join(SHARED_DATA_DIR, file));
  jobs = await testJobs(env.url);
  worker = await startWorker({ url: env.url, concurrency: 3, sliceSeconds: 60, log: () => {} });
  user = await createUser(env.sql, "real");
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await jobs?.stop();
  await env?.drop();
});

async function run(llm: string, spec: Record<string, unknown>) {
  const modelId = await createModel(env.sql, user, { llm, startingCash: "100000" });
  const s = await createSession(user.ctx, { modelId, ...spec }, { db: env.db, jobs: jobs.jobs, concurrencyPerUser: 10 });
  const done = await waitForStatus(env.sql, s.id, ["completed", "failed"], 120_000);
  expect(done.error).toBeNull();
  expect(done.status).toBe("completed");
  const detail = await getSessionDetail(user.ctx, s.id, env.db);
  const curve = await getSessionEquity(user.ctx, s.id, env.db);
  const orders = await listSessionOrders(user.ctx, s.id, { offset: 0, limit: 5000 }, env.db);
  return { s, detail, curve, orders };
}

describe("sessions on the imported NASDAQ-100 data", () => {
  it("daily backtest over every imported symbol, Jun 10 – Oct 30 2025 (momentum)", { timeout: 120_000 }, async () => {
    const { s, detail, curve, orders } = await run("builtin:momentum", { kind: "backtest", interval: "day", start: "2025-06-10", end: "2025-10-30" });
    expect(s.symbols.length).toBeGreaterThanOrEqual(100);
    expect(s.symbols).not.toContain("QQQ"); // QQQ has hour bars only
    const days = tradingDays("2025-06-10", "2025-10-30").length;
    expect(s.totalBars).toBe(days);
    expect(curve.points).toHaveLength(days);
    expect(orders.filter((o) => o.status === "filled").length).toBeGreaterThan(0);
    expect(detail.metrics?.tradeCount).toBe(orders.reduce((n, o) => n + o.fills.length, 0));
    expect(detail.metrics?.totalReturn).toBeCloseTo(Number(curve.points.at(-1)!.equity) / Number(curve.points[0]!.equity) - 1, 10);
    // QQQ's hourly data does not reach back to June: the benchmark is the equal-weight universe.
    expect(detail.benchmark?.kind).toBe("equal-weight");
    expect(curve.benchmark?.values).toHaveLength(days);
  });

  it("hourly backtest Oct 1 – Nov 10 2025 against QQQ (mean-reversion)", { timeout: 120_000 }, async () => {
    const { s, detail, curve } = await run("builtin:mean-reversion", {
      kind: "backtest",
      interval: "hour",
      start: "2025-10-01",
      end: "2025-11-10",
      symbols: ["AAPL", "MSFT", "NVDA", "AMZN", "META", "GOOGL", "TSLA", "AVGO"],
      settings: { slippageBps: 2, fees: { perShare: "0.005", minimum: "1" } },
    });
    expect(s.totalBars).toBeGreaterThan(150);
    expect(curve.points).toHaveLength(s.totalBars);
    expect(detail.benchmark?.kind).toBe("QQQ");
    expect(detail.benchmark?.metrics.totalReturn).toBeCloseTo(curve.benchmark!.values.at(-1)! / 100_000 - 1, 4);
    expect(Number(detail.metrics?.feesPaid)).toBeGreaterThanOrEqual(0);
  });

  it("intraday minute replay of Oct 15 2025, deciding every 5 minutes (random)", { timeout: 120_000 }, async () => {
    const { s, detail, curve } = await run("builtin:random", { kind: "replay", day: "2025-10-15", decideEvery: 5, symbols: ["AAPL", "MSFT", "NVDA", "QQQ"] });
    // Minute bars derived from the hour bars (10:00–15:59: the files have no 09:30 hour).
    expect(s.interval).toBe("minute");
    expect(s.totalBars).toBe(360);
    expect(curve.points).toHaveLength(360);
    const [decisions] = await env.sql<{ n: number }[]>`select count(*)::int as n from decisions where session_id = ${s.id}`;
    expect(decisions!.n).toBe(72);
    expect(detail.benchmark?.kind).toBe("QQQ");
  });
});
