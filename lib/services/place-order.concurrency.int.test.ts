import { afterAll, describe, expect, it } from "vitest";
import { insertAccount } from "@/lib/db/queries/accounts";
import { insertTradingSession } from "@/lib/db/queries/sessions";
import { withCore } from "@/lib/db/rls";
import { adminSql, createUser, testDb } from "@/tests/support/database";
import { contextFor, createTradingFixture, ledgerOf, market, nextKey } from "@/tests/support/trading-fixtures";
import { placeOrderAsUser } from "./place-order";

/** Real concurrency: 40 pooled connections against one PostgreSQL, every order in its own transaction. */
const admin = adminSql();
const { db, client } = testDb(40);
afterAll(async () => {
  await admin.end();
  await client.end();
});

describe("placeOrder under concurrency", () => {
  it("500 parallel buys on one model whose cash covers exactly 137: 137 fills, cash exactly 0, 363 INSUFFICIENT_CASH", async () => {
    // each buy: 1 share at $100 + $1 minimum fee = $101
    const f = await createTradingFixture(db, admin, await createUser(admin, "crowd"), {
      startingCash: String(137 * 101),
      settings: { fees: { minimum: "1" } },
    });
    const ctx = contextFor(f, market({ AAPL: 100 }));
    const results = await Promise.all(
      Array.from({ length: 500 }, () => placeOrderAsUser(ctx, { symbol: "AAPL", side: "buy", quantity: 1, idempotencyKey: nextKey("p") }, db)),
    );
    const filled = results.filter((r) => r.fill);
    const rejected = results.filter((r) => !r.fill);
    expect(filled).toHaveLength(137);
    expect(new Set(rejected.map((r) => r.order.rejectCode))).toEqual(new Set(["INSUFFICIENT_CASH"]));
    expect(rejected).toHaveLength(363);
    expect(rejected[0]!.order.rejectMessage).toBe("need $101.00 (1 AAPL × $100.00 + $1.00 fee), have $0.00; you cannot afford a single share");
    // every fill saw the cash its predecessor left: the cash-after values are exactly the 137 steps
    expect(filled.map((r) => r.fill!.cashAfter).sort((a, b) => Number(a) - Number(b))).toEqual(
      Array.from({ length: 137 }, (_, i) => `${i * 101}.000000`),
    );
    const ledger = await ledgerOf(admin, f.sessionId);
    expect(ledger.account).toMatchObject({ cash: "0.000000", fees_paid: "137.000000" });
    expect(ledger.positions).toMatchObject([{ symbol: "AAPL", quantity: "137", cost_basis: "13700.000000" }]);
    expect([ledger.orders.length, ledger.fills.length]).toEqual([500, 137]);
  });

  it("the same order key sent 50 times at once: one order, one fill, 49 duplicates of it", async () => {
    const f = await createTradingFixture(db, admin, await createUser(admin, "retry"));
    const ctx = contextFor(f);
    const key = nextKey("same");
    const results = await Promise.all(
      Array.from({ length: 50 }, () => placeOrderAsUser(ctx, { symbol: "MSFT", side: "buy", quantity: 3, idempotencyKey: key }, db)),
    );
    expect(new Set(results.map((r) => r.order.id)).size).toBe(1);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    const first = results.find((r) => !r.duplicate)!;
    for (const r of results) expect(r).toEqual({ ...first, duplicate: r.duplicate });
    const ledger = await ledgerOf(admin, f.sessionId);
    expect([ledger.orders.length, ledger.fills.length, ledger.account.cash]).toEqual([1, 1, "8800.000000"]);
  });

  it("one key raced from two sessions of the same model: one order in all (the key is unique per model)", async () => {
    const f = await createTradingFixture(db, admin, await createUser(admin, "twin"));
    const secondSession = await withCore(
      f.user.claims,
      async (tx) => {
        const s = await insertTradingSession(tx, {
          userId: f.user.id,
          values: { modelId: f.modelId, kind: "replay", interval: "minute", status: "running", startingCash: "10000", llm: "builtin:random", instructions: "" },
        });
        await insertAccount(tx, { userId: f.user.id, modelId: f.modelId, sessionId: s.id, startingCash: "10000" });
        return s.id;
      },
      db,
    );
    for (let round = 0; round < 5; round++) {
      const key = nextKey("twin");
      const order = { symbol: "AAPL", side: "buy", quantity: 1, idempotencyKey: key };
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => placeOrderAsUser(contextFor(i % 2 ? f : { ...f, sessionId: secondSession }), order, db)),
      );
      expect(new Set(results.map((r) => r.order.id)).size).toBe(1);
      expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    }
    const [{ n }] = (await admin`select count(*)::int as n from fills where model_id = ${f.modelId}`) as unknown as [{ n: number }];
    expect(n).toBe(5);
  });

  it("40 concurrent sells of 1 share with 10 held: exactly 10 fill, the position ends flat, never short", async () => {
    const f = await createTradingFixture(db, admin, await createUser(admin, "seller"));
    const ctx = contextFor(f);
    await placeOrderAsUser(ctx, { symbol: "TSLA", side: "buy", quantity: 10, idempotencyKey: nextKey() }, db);
    const results = await Promise.all(
      Array.from({ length: 40 }, () => placeOrderAsUser(ctx, { symbol: "TSLA", side: "sell", quantity: 1, idempotencyKey: nextKey() }, db)),
    );
    expect(results.filter((r) => r.fill)).toHaveLength(10);
    expect(new Set(results.filter((r) => !r.fill).map((r) => r.order.rejectCode))).toEqual(new Set(["INSUFFICIENT_SHARES"]));
    const ledger = await ledgerOf(admin, f.sessionId);
    expect(ledger.positions).toMatchObject([{ symbol: "TSLA", quantity: "0", cost_basis: "0.000000" }]);
    expect(ledger.account.cash).toBe("10000.000000");
  });
});
