import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { adminSql, createUser, testDb, type TestUser } from "@/tests/support/database";
import { createTradingFixture, OPEN_AT, type TradingFixture } from "@/tests/support/trading-fixtures";
import { getComparison, getLeaderboard } from "./leaderboard";
import { getDecisionDetail } from "./decision-detail";
import { getDecisionSummaries, getSessionPrices, getViewerState, listSessionCards } from "./session-view";

/** The read side of the session pages: as the user, paged, and blind to another user's sessions. */
const admin = adminSql();
const { db, client } = testDb();
let alice: TestUser;
let bob: TestUser;
let f: TradingFixture;
let g: TradingFixture;
let h: TradingFixture;
/** h: 5,000 bars rising by $1, but for a one-bar crash to $9,000 at bar 3,217 (its max drawdown). */
const LONG = Array.from({ length: 5_000 }, (_, i) => (i === 3_217 ? 9_000 : 10_000 + i));
const decisionIds: string[] = [];

async function seedSession(fx: TradingFixture, n: number, equity: number[]) {
  for (let i = 0; i < n; i++) {
    const id = randomUUID();
    if (fx === f) decisionIds.push(id);
    await admin`insert into decisions ${admin({
      id, user_id: fx.user.id, model_id: fx.modelId, session_id: fx.sessionId, clock: new Date(OPEN_AT.getTime() + i * 60_000), interval: "minute",
      llm: "builtin:momentum", outcome: i === 1 ? "failed" : "held", instructions: "", prompt: "p", text: `decision ${i} `.repeat(40),
      tool_calls: admin.json([{ id: `c${i}`, step: 1, name: "get_quote", input: { symbol: "AAPL" }, ok: i !== 1, ...(i === 1 ? { error: "no quote" } : { output: { price: 100 } }) }]),
      steps: 1, error: i === 1 ? "provider error: timeout" : null, error_code: i === 1 ? "TIMEOUT" : null, tool_errors: i === 1 ? 1 : 0, latency_ms: 5,
    })}`;
  }
  const rows = equity.map((e, i) => ({ session_id: fx.sessionId, user_id: fx.user.id, bar_index: i, at: new Date(OPEN_AT.getTime() + i * 60_000), equity: String(e), cash: String(e) }));
  for (let i = 0; i < rows.length; i += 1000) await admin`insert into session_equity ${admin(rows.slice(i, i + 1000))}`;
  const metrics = { totalReturn: equity.at(-1)! / 10_000 - 1, annualizedReturn: null, volatility: null, sharpe: 1.2, sortino: null, maxDrawdown: 0.01, calmar: null, winRate: null, tradeCount: 0, feesPaid: "0" };
  await admin`update trading_sessions set status = 'completed', symbols = '{AAPL}', total_bars = ${equity.length}, cursor = ${equity.length}, metrics = ${admin.json(metrics)},
    benchmark = ${admin.json({ kind: "equal-weight", symbols: ["AAPL"], curve: equity.map(() => 10_000), metrics: { ...metrics, totalReturn: 0 } })}
    where id = ${fx.sessionId}`;
}

beforeAll(async () => {
  alice = await createUser(admin, "viewer-alice");
  bob = await createUser(admin, "viewer-bob");
  f = await createTradingFixture(db, admin, alice);
  g = await createTradingFixture(db, admin, alice);
  await seedSession(f, 5, [10_000, 10_100, 10_200]);
  await seedSession(g, 1, [9_995, 9_900]); // its first mark after $5 of fees
  h = await createTradingFixture(db, admin, alice);
  await seedSession(h, 0, LONG);
});

afterAll(async () => {
  await admin.end();
  await client.end();
});

const notFound = (p: Promise<unknown>) => expect(p).rejects.toSatisfy((e) => e instanceof AppError && e.kind === "not_found");

describe("getViewerState", () => {
  it("loads the session, its decisions oldest first with previews, the curve with its benchmark", async () => {
    const s = await getViewerState(alice.ctx, f.sessionId, db);
    expect(s.session).toMatchObject({ id: f.sessionId, status: "completed", modelName: "Test model", benchmarkName: "Equal-weight basket (buy-and-hold)" });
    expect(s.session.metrics?.sharpe).toBe(1.2);
    expect(s.decisions.map((d) => d.id)).toEqual(decisionIds);
    expect(s.olderDecisions).toBe(0);
    expect(s.decisions[1]).toMatchObject({ outcome: "failed", error: "provider error: timeout", toolErrors: 1, toolCalls: 1 });
    expect(s.decisions[0]!.text.length).toBeLessThanOrEqual(160);
    expect(s.equity.map((p) => [p.equity, p.benchmark])).toEqual([[10_000, 10_000], [10_100, 10_000], [10_200, 10_000]]);
  });

  it("answers another user's session (and a malformed id) exactly like a missing one", async () => {
    await notFound(getViewerState(bob.ctx, f.sessionId, db));
    await notFound(getViewerState(alice.ctx, "not-a-uuid", db));
    await notFound(getDecisionDetail(bob.ctx, f.sessionId, decisionIds[0]!, db));
    expect(await getDecisionSummaries(bob.ctx, f.sessionId, { offset: 0, limit: 10 }, db)).toEqual([]);
    expect(await listSessionCards(bob.ctx, {}, db)).toEqual({ cards: [], total: 0 });
    expect(await getSessionPrices(alice.ctx, f.sessionId, "AAPL", db)).toMatchObject({ symbol: "AAPL", points: [] });
    await notFound(getSessionPrices(bob.ctx, f.sessionId, "AAPL", db));
    await notFound(getSessionPrices(alice.ctx, f.sessionId, "MSFT", db)); // not in the session's universe
  });
});

describe("long curves", () => {
  it("are shipped downsampled with every high and low: the one-bar crash is on the viewer's and the comparison's chart", async () => {
    const s = await getViewerState(alice.ctx, h.sessionId, db);
    expect(s.equity.length).toBeLessThanOrEqual(2_000);
    expect(s.equity.find((p) => p.equity === 9_000)?.barIndex).toBe(3_217);
    expect(s.equity.at(-1)).toMatchObject({ barIndex: 4_999, equity: 14_999 });
    const compared = await getComparison(alice.ctx, [h.sessionId, f.sessionId], db);
    expect(compared).toMatchObject({ axis: "bars", span: 5_000 }); // f's three minutes are h's first three
    expect(compared.rows.length).toBeLessThanOrEqual(400);
    const long = compared.rows.flatMap((r) => r.values[0] ?? []);
    expect(Math.min(...long)).toBeCloseTo(90);
    expect(Math.max(...long)).toBeCloseTo(149.99);
  });
});

describe("decisions", () => {
  it("pages by position, oldest first", async () => {
    const page = await getDecisionSummaries(alice.ctx, f.sessionId, { offset: 2, limit: 2 }, db);
    expect(page.map((d) => d.id)).toEqual(decisionIds.slice(2, 4));
  });

  it("loads one in full: its text and every tool call with its result or error", async () => {
    const d = await getDecisionDetail(alice.ctx, f.sessionId, decisionIds[1]!, db);
    expect(d).toMatchObject({ outcome: "failed", errorCode: "TIMEOUT", orders: [], fills: [] });
    expect(d.fullText.length).toBeGreaterThan(160);
    expect(d.tools).toEqual([expect.objectContaining({ name: "get_quote", ok: false, error: "no quote", input: { symbol: "AAPL" } })]);
    await notFound(getDecisionDetail(alice.ctx, g.sessionId, decisionIds[1]!, db)); // right user, wrong session
  });
});

describe("leaderboard", () => {
  it("ranks the user's completed sessions against their benchmark, and nobody else's", async () => {
    const { entries } = await getLeaderboard(alice.ctx, {}, db);
    const mine = entries.filter((e) => e.id === f.sessionId || e.id === g.sessionId);
    expect(mine).toHaveLength(2);
    const e = mine.find((x) => x.id === f.sessionId)!;
    expect(e).toMatchObject({ benchmarkReturn: 0, sharpe: 1.2, benchmarkName: "Equal-weight basket (buy-and-hold)" });
    expect(e.totalReturn).toBeCloseTo(0.02);
    expect(e.excessReturn).toBeCloseTo(0.02);
    expect((await getLeaderboard(bob.ctx, {}, db)).entries).toEqual([]);
  });

  it("ranks one model's sessions or those on the same bars, and counts the matches beyond its limit", async () => {
    const ids = async (q: Parameters<typeof getLeaderboard>[1]) => {
      const { entries, total } = await getLeaderboard(alice.ctx, q, db);
      return { ids: entries.map((e) => e.id).sort(), total };
    };
    const all = [f.sessionId, g.sessionId, h.sessionId].sort();
    expect(await ids({})).toEqual({ ids: all, total: 3 });
    expect(await ids({ modelId: g.modelId })).toEqual({ ids: [g.sessionId], total: 1 });
    expect((await ids({ limit: 2 })).ids).toHaveLength(2);
    expect((await ids({ limit: 2 })).total).toBe(3);
    await admin`update trading_sessions set interval = 'minute', kind = 'replay' where id = ${h.sessionId}`;
    try {
      expect(await ids({ interval: "minute" })).toEqual({ ids: [h.sessionId], total: 1 });
      expect(await ids({ interval: "day" })).toEqual({ ids: [f.sessionId, g.sessionId].sort(), total: 2 });
      expect(await ids({ interval: "hour" })).toEqual({ ids: [], total: 0 });
      expect(await ids({ modelId: g.modelId, interval: "minute" })).toEqual({ ids: [], total: 0 });
    } finally {
      await admin`update trading_sessions set interval = 'day', kind = 'backtest' where id = ${h.sessionId}`;
    }
    // Another user filtering by alice's model sees nothing of hers.
    expect(await getLeaderboard(bob.ctx, { modelId: f.modelId }, db)).toEqual({ entries: [], total: 0, unranked: 0 });
  });

  it("compares curves normalised to 100 over the bars they share, with their common benchmark; another user's ids are not found; fewer than two is refused", async () => {
    const compared = await getComparison(alice.ctx, [f.sessionId, g.sessionId], db);
    expect(compared).toMatchObject({ axis: "bars", sessionIds: [f.sessionId, g.sessionId], benchmark: "equal-weight", span: 3 });
    // As a percentage of the starting cash ($10,000), as returns are: g ends at 99, not 9,900 / 9,995; it ran over f's first two bars.
    expect(compared.rows.map((r) => r.values)).toEqual([[100, 100, 100], [101, 99, 100], [102, null, 100]]);
    expect(compared.rows.map((r) => new Date(r.t!).getTime() - OPEN_AT.getTime())).toEqual([0, 60_000, 120_000]);
    expect(compared.rows[0]!.t).toBe(OPEN_AT.toISOString()); // ISO 8601, as the API answers every time
    await expect(getComparison(bob.ctx, [f.sessionId, g.sessionId], db)).rejects.toMatchObject({ code: "NOT_FOUND", message: `No session ${f.sessionId} with equity to compare among yours` });
    await expect(getComparison(alice.ctx, [f.sessionId, randomUUID()], db)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getComparison(alice.ctx, [f.sessionId], db)).rejects.toThrow(/at least two/);
    await expect(getComparison(alice.ctx, [f.sessionId, f.sessionId], db)).rejects.toThrow("Pick at least two different sessions to compare");
    await expect(getComparison(alice.ctx, [f.sessionId, "nope"], db)).rejects.toThrow("Each session id must be a UUID");
  });
});
