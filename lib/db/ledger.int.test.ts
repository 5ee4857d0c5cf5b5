import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { placeOrderAsUser } from "@/lib/services/place-order";
import { adminSql, createUser, dbError, testDb, type TestUser } from "@/tests/support/database";
import { contextFor, createTradingFixture, ledgerOf, nextKey, type TradingFixture } from "@/tests/support/trading-fixtures";
import { getAccountBySessionId } from "./queries/accounts";
import { listFillsBySession } from "./queries/fills";
import { listOrdersBySession } from "./queries/orders";
import { listPositionsBySession } from "./queries/positions";
import { getTradingSessionById } from "./queries/sessions";
import { ORDER_STATUSES } from "@/lib/engine";
import { runPrepared } from "./prepared";
import { oneTripAsCore, withCore, withCorePipeline, withUser, withUserPipeline } from "./rls";
import { accounts, fills, orders, positions, tradingSessions } from "./schema";

const admin = adminSql();
const { db, client } = testDb(2);
let a: TestUser;
let b: TestUser;
let fa: TradingFixture;
let fb: TradingFixture;
let fb2: TradingFixture; // a second model of B

beforeAll(async () => {
  a = await createUser(admin, "a");
  b = await createUser(admin, "b");
  fa = await createTradingFixture(db, admin, a);
  fb = await createTradingFixture(db, admin, b);
  fb2 = await createTradingFixture(db, admin, b);
  for (const f of [fa, fb]) {
    await placeOrderAsUser(contextFor(f), { symbol: "AAPL", side: "buy", quantity: 5, idempotencyKey: nextKey() }, db);
  }
});
afterAll(async () => {
  await admin.end();
  await client.end();
});

const asA = <T>(fn: Parameters<typeof withUser<T>>[1]) => withUser(a.claims, fn, db);
/** As the trading core acting for A (withCore): it writes the ledger, A's rows only. */
const asCoreA = <T>(fn: Parameters<typeof withCore<T>>[1]) => withCore(a.claims, fn, db);
const countFills = async (sessionId: string) => (await ledgerOf(admin, sessionId)).fills.length;

describe("isolation between models (RLS and the context)", () => {
  it("A's context cannot trade on B's session or account: not found, nothing written", async () => {
    const stolen = { ...contextFor(fa), modelId: fb.modelId, sessionId: fb.sessionId };
    await expect(placeOrderAsUser(stolen, { symbol: "AAPL", side: "sell", quantity: 5, idempotencyKey: nextKey() }, db)).rejects.toMatchObject({
      kind: "not_found",
    });
    const ledger = await ledgerOf(admin, fb.sessionId);
    expect([ledger.orders.length, ledger.fills.length, ledger.account.cash]).toEqual([1, 1, "9500.000000"]);
  });

  it("a context for one model cannot use another model's session of the same user", async () => {
    const crossed = { ...contextFor(fb), sessionId: fb2.sessionId };
    await expect(placeOrderAsUser(crossed, { symbol: "AAPL", side: "buy", quantity: 1, idempotencyKey: nextKey() }, db)).rejects.toMatchObject({
      kind: "not_found",
    });
    expect((await ledgerOf(admin, fb2.sessionId)).orders).toHaveLength(0);
  });

  it("A reads none of B's sessions, accounts, orders, fills or positions, even by id", async () => {
    const seen = await asA(async (tx) => ({
      sessions: (await tx.select().from(tradingSessions)).map((r) => r.userId),
      accounts: (await tx.select().from(accounts)).map((r) => r.userId),
      orders: (await tx.select().from(orders)).map((r) => r.userId),
      fills: (await tx.select().from(fills)).map((r) => r.userId),
      positions: (await tx.select().from(positions)).map((r) => r.userId),
      byId: [
        await getTradingSessionById(tx, { id: fb.sessionId, userId: b.id }),
        await getAccountBySessionId(tx, { sessionId: fb.sessionId, userId: b.id }),
        ...(await listOrdersBySession(tx, { sessionId: fb.sessionId, userId: b.id })),
        ...(await listFillsBySession(tx, { sessionId: fb.sessionId, userId: b.id })),
        ...(await listPositionsBySession(tx, { sessionId: fb.sessionId, userId: b.id })),
      ].filter(Boolean),
    }));
    expect(seen).toEqual({ sessions: [a.id], accounts: [a.id], orders: [a.id], fills: [a.id], positions: [a.id], byId: [] });
  });

  it("the core acting for A cannot change B's account, position or session, nor write rows into B's session", async () => {
    const touched = await asCoreA(async (tx) => [
      ...(await tx.update(accounts).set({ cash: "1000000" }).where(sql`session_id = ${fb.sessionId}`).returning()),
      ...(await tx.update(positions).set({ quantity: 1000 }).where(sql`session_id = ${fb.sessionId}`).returning()),
      ...(await tx.update(tradingSessions).set({ status: "cancelled" }).where(sql`id = ${fb.sessionId}`).returning()),
    ]);
    expect(touched).toEqual([]);
    // as B's user: RLS refuses; as A's own user id on B's session: the composite key refuses
    const orderInto = (userId: string) =>
      asCoreA((tx) =>
        tx.insert(orders).values({ userId, modelId: fb.modelId, sessionId: fb.sessionId, idempotencyKey: nextKey(), status: "rejected", rejectCode: "X", placedAt: new Date() }),
      );
    expect(await dbError(orderInto(b.id))).toMatch(/row-level security/);
    expect(await dbError(orderInto(a.id))).toMatch(/violates foreign key constraint "orders_session_owner_fk"/);
    expect(await dbError(asCoreA((tx) => tx.insert(tradingSessions).values({ userId: a.id, modelId: fb.modelId, kind: "paper", interval: "day", startingCash: "1", llm: "builtin:random", instructions: "" })))).toMatch(
      /row-level security/,
    );
    expect(await ledgerOf(admin, fb.sessionId)).toMatchObject({ account: { cash: "9500.000000" }, orders: [{}] });
  });
});

describe("append-only fills and least privilege", () => {
  it("fills refuse UPDATE, DELETE and TRUNCATE even for the table owner", async () => {
    expect(await dbError(admin`update fills set price = 1 where session_id = ${fa.sessionId}`)).toMatch(/fills are append-only: UPDATE refused/);
    expect(await dbError(admin`delete from fills where session_id = ${fa.sessionId}`)).toMatch(/fills are append-only: DELETE refused/);
    expect(await dbError(admin`truncate fills cascade`)).toMatch(/fills are append-only: TRUNCATE refused/);
    // and so the audit trail outlives its session: deleting a session with fills is refused as well
    expect(await dbError(admin`delete from trading_sessions where id = ${fa.sessionId}`)).toMatch(/append-only/);
    expect(await countFills(fa.sessionId)).toBe(1);
    // A's user may not move an order on at all; the core may (a working order's state), but an ended order refuses it by trigger.
    expect(await dbError(asA((tx) => tx.execute(sql`update orders set status = 'cancelled'`)))).toMatch(/permission denied/);
    expect(await dbError(asCoreA((tx) => tx.execute(sql`update orders set status = 'cancelled', status_reason = 'requested'`)))).toMatch(/is filled: an ended order does not change/);
  });

  it("neither signed-in users nor the core may update or delete fills and orders, nor delete ledger rows, nor change a session's rules", async () => {
    for (const statement of [
      sql`update fills set price = 1`,
      sql`delete from fills`,
      // An order's request and owner never change; only a working order's state does, and only the core's (drizzle/0026).
      sql`update orders set symbol = 'X', side = 'sell', limit_price = 1, placed_at = now()`,
      sql`update orders set user_id = user_id`,
      sql`delete from orders`,
      sql`delete from positions`,
      sql`delete from accounts`,
      sql`delete from trading_sessions`,
      sql`update accounts set session_id = session_id`,
      // A session's rules, model and prompt are fixed when it is created.
      sql`update trading_sessions set settings = '{}'::jsonb`,
      sql`update trading_sessions set llm = 'builtin:random', instructions = ''`,
      sql`update trading_sessions set symbols = '{}'`,
    ]) {
      expect(await dbError(asA((tx) => tx.execute(statement)))).toMatch(/permission denied/);
      expect(await dbError(asCoreA((tx) => tx.execute(statement)))).toMatch(/permission denied/);
    }
    expect(await countFills(fa.sessionId)).toBe(1);
  });

  it("cash can go below zero only by borrow fees already charged (check constraint)", async () => {
    expect(await dbError(admin`update accounts set cash = -0.000001 where session_id = ${fa.sessionId}`)).toMatch(/accounts_cash_not_overdrawn/);
    await admin`update accounts set cash = -2, borrow_fees_paid = 2 where session_id = ${fb2.sessionId}`;
    expect((await ledgerOf(admin, fb2.sessionId)).account.cash).toBe("-2.000000");
  });
});

describe("withUserPipeline", () => {
  it("acts as the user (and withCorePipeline as the core) with the exact claims, also when they hold quotes and backslashes", async () => {
    const claims = { ...a.claims, email: `o'brien\\"x@example.com`, note: "E'\\\\'; select 1; --" };
    const who = (tx: Parameters<Parameters<typeof withUserPipeline>[1]>[0]) =>
      tx.execute<{ role: string; uid: string; jwt: unknown }>(sql`select current_user as role, auth.uid()::text as uid, auth.jwt() as jwt`).then((r) => r[0]);
    expect(await withUserPipeline(claims, who, db)).toEqual({ role: "authenticated", uid: a.id, jwt: claims });
    expect(await withCorePipeline(claims, who, db)).toEqual({ role: "bullpen_core", uid: a.id, jwt: claims });
  });

  it("commits what fn wrote as the user, rolls back on failure, and leaves the connection clean", async () => {
    const name = `pipe-${nextKey()}`;
    const insert = (signature: string) => sql`insert into models (name, signature, llm, starting_cash) values ('x', ${signature}, 'builtin:random', 1)`;
    await withUserPipeline(a.claims, (tx) => tx.execute(insert(name)), db);
    await expect(
      withUserPipeline(
        a.claims,
        async (tx) => {
          await tx.execute(insert(`${name}-2`));
          return tx.execute(sql`select 1/0`);
        },
        db,
      ),
    ).rejects.toThrow();
    const rows = await admin`select signature, user_id from models where signature like ${`${name}%`}`;
    expect(rows.map((r) => [r.signature, r.user_id])).toEqual([[name, a.id]]); // user_id defaults to auth.uid()
    for (let i = 0; i < 4; i++) {
      const [after] = await db.execute<{ role: string; claims: string | null; tx: boolean }>(
        sql`select current_user as role, nullif(current_setting('request.jwt.claims', true), '') as claims, now() <> statement_timestamp() as tx`,
      );
      expect(after).toEqual({ role: "postgres", claims: null, tx: false });
    }
  });
});

describe("oneTripAsCore", () => {
  const who = `select current_user as role, auth.uid()::text as uid, now() = statement_timestamp() as first`;

  it("runs its statements in one transaction as the core for the claims' user, in order, and returns their rows", async () => {
    const [first, second] = await oneTripAsCore<[Row[], Row[]]>(a.claims, (tx) => [runPrepared<Row>(tx, who, []), runPrepared<Row>(tx, who, [])], { db });
    expect(first).toEqual([{ role: "bullpen_core", uid: a.id, first: false }]); // BEGIN came first: now() is the transaction's start
    expect(second).toEqual(first);
  });

  it("a failing statement rolls back the ones before it; the first failure is thrown, the connection is clean", async () => {
    const name = `trip-${nextKey()}`;
    const insert = `insert into models (user_id, name, signature, llm, starting_cash) values ($1, 'x', $2, 'builtin:random', 1)`;
    const err = await oneTripAsCore(a.claims, (tx) => [runPrepared(tx, insert, [a.id, name]), runPrepared(tx, "select 1/0", []), runPrepared(tx, insert, [a.id, `${name}-2`])], { db }).catch((e: unknown) => e);
    expect(String(err)).toMatch(/division by zero/);
    expect(await admin`select 1 from models where signature like ${`${name}%`}`).toHaveLength(0);
    const [after] = await db.execute<{ role: string; tx: boolean }>(sql`select current_user as role, now() <> statement_timestamp() as tx`);
    expect(after).toEqual({ role: "postgres", tx: false });
  });

  it("a statement new to the connection holds nothing back: the whole trip is on the wire before this process is busy", async () => {
    // postgres.js describes a new statement with parameters first and used to send the rest of the trip (the
    // COMMIT too) only once this process read the answer: a busy worker then held the transaction open
    // (scripts/patch-postgres.mjs sends it at once when its values need no server type to be written).
    const text = `select clock_timestamp()::text as t, $1::text as key, $2::int as n /* ${nextKey()} */`;
    const stamp = "select clock_timestamp()::text as t";
    const first = "select clock_timestamp()::text as t from pg_sleep(0.1)"; // the new statement's answer comes while we are busy
    const trip = oneTripAsCore<[Stamp[], Stamp[], Stamp[]]>(a.claims, (tx) => [runPrepared<Stamp>(tx, first, []), runPrepared<Stamp>(tx, text, ["new", 1]), runPrepared<Stamp>(tx, stamp, [])], { db });
    await new Promise((r) => setTimeout(r, 20)); // the trip's bytes leave (postgres.js writes from an immediate)
    const busyUntil = Date.now() + 400;
    while (Date.now() < busyUntil); // a worker busy with other sessions
    const [[began], [fresh], [last]] = await trip;
    expect(fresh!.key).toBe("new");
    expect(Date.parse(last!.t) - Date.parse(began!.t)).toBeLessThan(200); // unmended: ≥ 300 ms (the rest waited for us)
  });

  it("a trip longer than a write buffer leaves whole: its COMMIT does not wait for this process to be idle", async () => {
    // postgres.js flushes what it holds when a write crosses 1 KB and leaves the rest for a setImmediate: the
    // COMMIT then waited for a busy worker's next check phase, the server idle in transaction meanwhile.
    const statement = "select pg_backend_pid() as pid, clock_timestamp()::text as t, length($1::text) as n";
    const big = "x".repeat(1_200); // a bar's JSON: its bytes cross 1 KB before the COMMIT is written
    await oneTripAsCore(a.claims, (tx) => [runPrepared(tx, statement, [big])], { db }); // connections open, the statement known
    const trip = oneTripAsCore<[{ pid: number; t: string }[]]>(a.claims, (tx) => [runPrepared(tx, statement, [big])], { db });
    for (let i = 0; i < 50; i++) await null; // the statements are handed to the connection in microtasks
    const busyUntil = Date.now() + 400;
    while (Date.now() < busyUntil); // a worker busy with other sessions
    const [[row]] = await trip;
    expect(Date.parse(row!.t)).toBeLessThan(busyUntil - 300); // the trip ran while this process was busy
    const [activity] = await admin<{ state: string; ended: string }[]>`select state, state_change::text as ended from pg_stat_activity where pid = ${row!.pid}`;
    expect(activity!.state).toBe("idle");
    expect(Date.parse(activity!.ended) - Date.parse(row!.t)).toBeLessThan(100); // committed at once, not after the busy 400 ms
  });

  it("refuses a statement sent after `issue` returned (it would run after COMMIT, as the server's own role)", async () => {
    const err = await oneTripAsCore(a.claims, (tx) => [tx.execute(sql`select 1`)], { db }).catch((e: unknown) => e);
    expect(String((err as Error).cause)).toMatch(/must be sent while `issue` runs/); // drizzle wraps it: "Failed query: select 1"
  });
});

type Row = { role: string; uid: string; first: boolean };
type Stamp = { t: string; key?: string };

describe("the order_status enum", () => {
  it("is the engine's ORDER_STATUSES, in order (the migrations keep up with the state machine)", async () => {
    const [row] = await admin<{ values: string[] }[]>`select enum_range(null::order_status)::text[] as values`;
    expect(row!.values).toEqual([...ORDER_STATUSES]);
  });
});
