import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { recordBar } from "@/lib/db/queries/sessions";
import { abortOf, oneTripAsCore, withUser } from "@/lib/db/rls";
import { parseMoney } from "@/lib/engine";
import { adminSql, createUser, dbError, testDb, type TestUser } from "@/tests/support/database";
import { rejection } from "@/tests/support/errors";
import { createTradingFixture, type TradingFixture } from "@/tests/support/trading-fixtures";
import { SessionBook } from "./book";
import { commitBar, type BarCommit } from "./commit-bar";

/**
 * A bar's commit goes out as BEGIN, its statements and COMMIT at once (oneTripAsCore): whatever must not
 * commit is refused by the statements themselves, and then NOTHING of the bar is written.
 */
const admin = adminSql();
const { db, client } = testDb(2);
let user: TestUser;
let f: TradingFixture;
const AT = new Date("2026-03-02T14:30:00Z");

beforeAll(async () => {
  user = await createUser(admin, "commit-bar");
});
beforeEach(async () => {
  f = await createTradingFixture(db, admin, user, { startingCash: "10000" });
  await admin`update trading_sessions set runner_id = 'runner-1', total_bars = 3 where id = ${f.sessionId}`;
});
afterAll(async () => {
  await admin.end();
  await client.end();
});

/** A bar that bought 10 AAPL at $100 and decided so, as the runner hands it to commitBar. */
function boughtBar(over: Partial<BarCommit> = {}): BarCommit {
  const book = new SessionBook({ cash: parseMoney("10000"), feesPaid: 0n, borrowFeesPaid: 0n, realizedPnl: 0n, positions: [], storedKeys: [] });
  const decisionId = randomUUID();
  const orderId = randomUUID();
  book.record(
    { id: orderId, idempotencyKey: "k1", decisionId, symbol: "AAPL", side: "buy", quantity: 10, status: "filled", referencePrice: parseMoney("100"), rejectCode: null, rejectMessage: null, request: null, placedAt: AT },
    {
      fill: { id: randomUUID(), orderId, symbol: "AAPL", side: "buy", quantity: 10, referencePrice: parseMoney("100"), price: parseMoney("100"), fee: 0n, cashDelta: parseMoney("-1000"), cashAfter: parseMoney("9000"), realizedPnl: null, quantityAfter: 10, filledAt: AT },
      position: { symbol: "AAPL", quantity: 10, costBasis: parseMoney("1000"), realizedPnl: 0n, feesPaid: 0n },
    },
  );
  return {
    db, claims: user.claims, sessionId: f.sessionId, userId: user.id, modelId: f.modelId, runnerId: "runner-1", barIndex: 0, totalBars: 3, at: AT, book,
    decision: { id: decisionId, userId: user.id, modelId: f.modelId, sessionId: f.sessionId, clock: AT, interval: "day", llm: "builtin:momentum", outcome: "traded", instructions: "", prompt: "p", text: "", toolCalls: [], steps: 1, finishReason: null, error: null, errorCode: null, filledOrders: 1, rejectedOrders: 0, toolErrors: 0, inputTokens: null, outputTokens: null, costUsd: null, latencyMs: 1 },
    decisionEvent: { id: decisionId },
    modelCalls: [],
    borrowFee: 0n,
    prices: new Map([["AAPL", parseMoney("101")]]),
    ...over,
  };
}

const written = async () => {
  const [row] = await admin<{ cursor: number; event_seq: string; decisions: string; orders: string; fills: string; positions: string; points: string; events: string; cash: string }[]>`
    select s.cursor, s.event_seq,
      (select count(*) from decisions where session_id = s.id) as decisions, (select count(*) from orders where session_id = s.id) as orders,
      (select count(*) from fills where session_id = s.id) as fills, (select count(*) from positions where session_id = s.id) as positions,
      (select count(*) from session_equity where session_id = s.id) as points, (select count(*) from session_events where session_id = s.id) as events,
      (select cash from accounts where session_id = s.id) as cash
    from trading_sessions s where s.id = ${f.sessionId}`;
  return row!;
};

describe("commitBar, one trip", () => {
  it("writes the whole bar: trades, decision, equity, events, cursor", async () => {
    const before = await written();
    const committed = await commitBar(boughtBar());
    const after = await written();
    expect(committed).toEqual({ ok: true, lastSeq: Number(before.event_seq) + 4, cancelRequests: [] }); // decision, order, fill, equity
    expect({ ...after, event_seq: undefined }).toEqual({ cursor: 1, event_seq: undefined, decisions: "1", orders: "1", fills: "1", positions: "1", points: "1", events: String(Number(before.events) + 4), cash: "9000.000000" });
  });

  it.each([
    ["another runner holds the session", "update trading_sessions set runner_id = 'runner-2'"],
    ["the session was paused", "update trading_sessions set status = 'paused'"],
    ["the cursor moved on", "update trading_sessions set cursor = 1"],
  ])("%s: { ok: false } and nothing of the bar is written, not even its decision", async (_, change) => {
    await admin.unsafe(`${change} where id = $1`, [f.sessionId]);
    const before = await written();
    expect(await commitBar(boughtBar())).toEqual({ ok: false });
    expect(await written()).toEqual(before);
  });

  it("a held position without a price halts the session and rolls the whole bar back", async () => {
    const before = await written();
    const err = await rejection(commitBar(boughtBar({ prices: new Map() })));
    expect(err).toMatchObject({ kind: "halt", code: "MISSING_PRICE" });
    expect(err.message).toContain("for AAPL, held by the account");
    expect(await written()).toEqual(before);
  });

  it("recordBar at a cursor the session is not at refuses with CURSOR_MOVED and writes nothing", async () => {
    const before = await written();
    const err = await oneTripAsCore(user.claims, (tx) => [
      recordBar(tx, { sessionId: f.sessionId, userId: user.id, decision: null, orderIds: [], fillIds: [], barIndex: 2, totalBars: 3, at: AT, borrowFee: "0", prices: {} }),
    ], { db }).catch((e: unknown) => e);
    expect(abortOf(err)).toEqual({ code: "CURSOR_MOVED", detail: "" });
    expect(await written()).toEqual(before);
  });

  it("bullpen_abort is the trading core's: the Data API's role may not call it", async () => {
    expect(await dbError(withUser(user.claims, (tx) => tx.execute(sql`select bullpen_abort('X')`), db))).toMatch(/permission denied for function bullpen_abort/);
  });
});
