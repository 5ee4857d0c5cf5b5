import { afterAll, describe, expect, it } from "vitest";
import { withCore } from "@/lib/db/rls";
import { AppError } from "@/lib/errors";
import { adminSql, createUser, testDb } from "@/tests/support/database";
import { contextFor, createTradingFixture, ledgerOf, market, nextKey, OPEN_AT } from "@/tests/support/trading-fixtures";
import { placeOrder, placeOrderAsUser } from "./place-order";
import type { PriceSource } from "@/lib/trading/price-source";
import type { TradingSettingsInput } from "@/lib/trading/trading-settings";

const admin = adminSql();
const { db, client } = testDb();
afterAll(async () => {
  await admin.end();
  await client.end();
});

async function fixture(opts: { startingCash?: string; settings?: TradingSettingsInput } = {}) {
  return createTradingFixture(db, admin, await createUser(admin, "trader"), opts);
}

const buy = (symbol: string, quantity: unknown, idempotencyKey = nextKey()) => ({ symbol, side: "buy", quantity, idempotencyKey });
const sell = (symbol: string, quantity: unknown, idempotencyKey = nextKey()) => ({ symbol, side: "sell", quantity, idempotencyKey });

async function thrown(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe("placeOrder: fills and the ledger", () => {
  it("a buy then two sells update cash, position, realized P&L and fees exactly (fees and slippage on)", async () => {
    const f = await fixture({ settings: { fees: { perShare: "0.005", minimum: "1" }, slippageBps: 10 } });
    const prices = market({ AAPL: 100 });
    const ctx = contextFor(f, prices);

    const bought = await placeOrderAsUser(ctx, buy("AAPL", 10), db);
    expect(bought.order).toMatchObject({ status: "filled", filledQuantity: 10, referencePrice: "100.000000", rejectCode: null });
    // buy slippage rounds up: 100 × 1.001 = 100.1; fee max($1, 10 × $0.005)
    expect(bought.fill).toMatchObject({ price: "100.100000", fee: "1.000000", cashDelta: "-1002.000000", cashAfter: "8998.000000", realizedPnl: null, quantityAfter: 10 });
    expect(bought.fill!.filledAt).toEqual(OPEN_AT);

    prices.set("AAPL", 110);
    const partial = await placeOrderAsUser(ctx, sell("AAPL", 4), db);
    // sell slippage rounds down: 110 × 0.999 = 109.89; releases 4/10 of the 1,001.00 basis
    expect(partial.fill).toMatchObject({ price: "109.890000", cashDelta: "438.560000", cashAfter: "9436.560000", realizedPnl: "39.160000", quantityAfter: 6 });
    const closed = await placeOrderAsUser(ctx, sell("AAPL", 6), db);
    expect(closed.fill).toMatchObject({ cashAfter: "10094.900000", realizedPnl: "58.740000", quantityAfter: 0 });

    const ledger = await ledgerOf(admin, f.sessionId);
    expect(ledger.account).toEqual({ cash: "10094.900000", fees_paid: "3.000000", realized_pnl: "97.900000" });
    expect(ledger.positions).toEqual([{ symbol: "AAPL", quantity: "0", cost_basis: "0.000000", realized_pnl: "97.900000", fees_paid: "3.000000" }]);
    expect(ledger.fills).toHaveLength(3);
    // cash = starting cash + realized P&L − fees, to the micro-dollar
    expect(10_000 + 97.9 - 3).toBeCloseTo(10094.9, 6);
  });

  it("opens and covers a short within the margin rule; the boundary is exact to the micro-dollar", async () => {
    const settings = { allowShort: true, shortMarginRequirementBps: 15_000 };
    const enough = await fixture({ startingCash: "5000.000000", settings });
    const short = await placeOrderAsUser(contextFor(enough), { symbol: "TSLA", side: "sell_short", quantity: 50, idempotencyKey: nextKey() }, db);
    expect(short.fill).toMatchObject({ cashAfter: "15000.000000", quantityAfter: -50 });

    const notEnough = await fixture({ startingCash: "4999.999999", settings });
    const refused = await placeOrderAsUser(contextFor(notEnough), { symbol: "TSLA", side: "sell_short", quantity: 50, idempotencyKey: nextKey() }, db);
    expect(refused.order).toMatchObject({ status: "rejected", rejectCode: "INSUFFICIENT_MARGIN" });
    expect(refused.order.rejectMessage).toBe(
      "shorting 50 TSLA needs cash of at least $15,000.000000 afterwards as short collateral (150% of $10,000.00 total short value), " +
        "but cash would be $14,999.999999; at most 49 TSLA can be shorted",
    );
    expect((await ledgerOf(admin, notEnough.sessionId)).account.cash).toBe("4999.999999");

    const prices = market({ TSLA: 180 });
    const cover = await placeOrderAsUser(contextFor(enough, prices), { symbol: "TSLA", side: "buy_to_cover", quantity: 50, idempotencyKey: nextKey() }, db);
    expect(cover.fill).toMatchObject({ cashAfter: "6000.000000", realizedPnl: "1000.000000", quantityAfter: 0 });
    const conflict = await placeOrderAsUser(contextFor(enough), buy("TSLA", 1), db);
    expect(conflict.fill).not.toBeNull(); // flat again: buying is fine
  });

  it("runs inside the caller's transaction (withCore): a rollback there discards the order", async () => {
    const f = await fixture();
    const ctx = contextFor(f);
    const result = await withCore(f.user.claims, (tx) => placeOrder(tx, ctx, buy("MSFT", 2)), db);
    expect(result.fill).toMatchObject({ cashAfter: "9200.000000" });
    await expect(
      withCore(
        f.user.claims,
        async (tx) => {
          await placeOrder(tx, ctx, buy("MSFT", 2));
          throw new Error("caller failed later");
        },
        db,
      ),
    ).rejects.toThrow("caller failed later");
    const ledger = await ledgerOf(admin, f.sessionId);
    expect(ledger.orders).toHaveLength(1);
    expect(ledger.account.cash).toBe("9200.000000");
  });
});

describe("placeOrder: rejections are stored orders with a code and a message", () => {
  it("a sell of shares you don't have: INSUFFICIENT_SHARES, nothing else written", async () => {
    const f = await fixture();
    const result = await placeOrderAsUser(contextFor(f), sell("AAPL", 5), db);
    expect(result).toMatchObject({ fill: null, duplicate: false });
    expect(result.order).toMatchObject({ status: "rejected", rejectCode: "INSUFFICIENT_SHARES", rejectMessage: "have 0 AAPL, asked to sell 5", symbol: "AAPL", quantity: 5 });
    const ledger = await ledgerOf(admin, f.sessionId);
    expect(ledger.orders).toMatchObject([{ status: "rejected", reject_code: "INSUFFICIENT_SHARES" }]);
    expect([ledger.fills.length, ledger.positions.length, ledger.account.cash]).toEqual([0, 0, "10000.000000"]);
  });

  it("shorting disabled: SHORTING_DISABLED", async () => {
    const f = await fixture(); // allowShort defaults to false
    const result = await placeOrderAsUser(contextFor(f), { symbol: "AAPL", side: "sell_short", quantity: 1, idempotencyKey: nextKey() }, db);
    expect(result.order).toMatchObject({ rejectCode: "SHORTING_DISABLED", rejectMessage: "short selling is disabled for this model" });
  });

  it("not enough cash: a message with both amounts and what would fit", async () => {
    const f = await fixture({ startingCash: "3900.12" });
    const result = await placeOrderAsUser(contextFor(f, market({ AAPL: 52 })), buy("AAPL", 100), db);
    expect(result.order.rejectCode).toBe("INSUFFICIENT_CASH");
    expect(result.order.rejectMessage).toBe("need $5,200.00 (100 AAPL × $52.00 + $0.00 fee), have $3,900.12; you can afford at most 75 AAPL");
    expect(result.order.referencePrice).toBe("52.000000");
  });

  it("a symbol outside the session's universe, or without a price now", async () => {
    const f = await fixture();
    const prices = market({ AAPL: 100, MSFT: null });
    const unknown = await placeOrderAsUser(contextFor(f, prices), buy("ZZZZ", 1), db);
    expect(unknown.order).toMatchObject({ rejectCode: "UNKNOWN_SYMBOL", rejectMessage: "ZZZZ is not tradable in this session; tradable symbols: AAPL, MSFT" });
    const closed = await placeOrderAsUser(contextFor(f, prices), buy("MSFT", 1), db);
    expect(closed.order).toMatchObject({ rejectCode: "MARKET_CLOSED", referencePrice: null });
    expect(closed.order.rejectMessage).toMatch(/MSFT has no price now.*next open/);
  });

  it("maps the market view's errors and close-only quotes", async () => {
    const f = await fixture();
    const failing = (code: string): PriceSource => ({
      universe: ["AAPL"],
      quote: async () => {
        throw Object.assign(new Error(`AAPL: ${code} from the market view`), { code });
      },
    });
    const notInUniverse = await placeOrderAsUser(contextFor(f, failing("NOT_IN_UNIVERSE")), buy("AAPL", 1), db);
    expect(notInUniverse.order).toMatchObject({ rejectCode: "UNKNOWN_SYMBOL", rejectMessage: "AAPL: NOT_IN_UNIVERSE from the market view" });
    const noData = await placeOrderAsUser(contextFor(f, failing("NO_DATA")), buy("AAPL", 1), db);
    expect(noData.order.rejectCode).toBe("MARKET_CLOSED");
    const closeOnly: PriceSource = { universe: ["AAPL"], quote: async () => ({ price: 99, at: OPEN_AT, basis: "close" }) };
    expect((await placeOrderAsUser(contextFor(f, closeOnly), buy("AAPL", 1), db)).order.rejectCode).toBe("MARKET_CLOSED");
    await expect(placeOrderAsUser(contextFor(f, failing("ECONNRESET")), buy("AAPL", 1), db)).rejects.toThrow(/ECONNRESET/);
    const future: PriceSource = { universe: ["AAPL"], quote: async () => ({ price: 99, at: new Date(OPEN_AT.getTime() + 60_000), basis: "open" }) };
    expect((await thrown(placeOrderAsUser(contextFor(f, future), buy("AAPL", 1), db))).code).toBe("LOOKAHEAD");
    const ledger = await ledgerOf(admin, f.sessionId);
    expect(ledger.orders.map((o) => o.reject_code)).toEqual(["UNKNOWN_SYMBOL", "MARKET_CLOSED", "MARKET_CLOSED"]);
  });
});

describe("placeOrder: bad input", () => {
  const quantities: [string, unknown, RegExp][] = [
    ["zero", 0, /positive whole number of shares.*got 0/],
    ["negative", -5, /got -5 \(to reduce a position use side "sell"/],
    ["fractional", 2.5, /fractional shares are not supported \(try 2\)/],
    ["NaN", Number.NaN, /got NaN/],
    ["1e308", 1e308, /got 1e\+308/],
    ["a string", "10", /send the number 10, not a string/],
  ];
  const symbols: [string, unknown, RegExp][] = [
    ["empty", "", /symbol is empty/],
    ["lower-case", "aapl", /must be upper-case: send "AAPL"/],
    ["500 characters", "A".repeat(500), /500 characters long; tickers have at most 12/],
    ["SQL-looking", "X' OR 1=1--", /may contain only A–Z, 0–9, "\." and "-"/],
    ["long SQL-looking", "AAPL'; DROP TABLE orders;--", /27 characters long/],
  ];

  it.each(quantities)("quantity %s → INVALID_QUANTITY, stored as a rejected order, nothing else written", async (_what, quantity, message) => {
    const f = await fixture();
    const result = await placeOrderAsUser(contextFor(f), buy("AAPL", quantity), db);
    expect(result.order).toMatchObject({ status: "rejected", rejectCode: "INVALID_QUANTITY", symbol: null, side: null, quantity: null });
    expect(result.order.rejectMessage).toMatch(message);
    const ledger = await ledgerOf(admin, f.sessionId);
    expect(ledger.orders).toHaveLength(1);
    expect(ledger.orders[0]).toMatchObject({ reject_code: "INVALID_QUANTITY", request: { symbol: "AAPL", side: "buy" } });
    expect([ledger.fills.length, ledger.positions.length, ledger.account.cash]).toEqual([0, 0, "10000.000000"]);
  });

  it.each(symbols)("symbol %s → INVALID_SYMBOL, stored with a size-capped copy of the request", async (_what, symbol, message) => {
    const f = await fixture();
    const result = await placeOrderAsUser(contextFor(f), buy(symbol as string, 10), db);
    expect(result.order).toMatchObject({ status: "rejected", rejectCode: "INVALID_SYMBOL" });
    expect(result.order.rejectMessage).toMatch(message);
    const ledger = await ledgerOf(admin, f.sessionId);
    const stored = (ledger.orders[0] as unknown as { request: { symbol: string; quantity: number } }).request;
    expect(stored.quantity).toBe(10);
    expect(stored.symbol.length).toBeLessThanOrEqual(90);
    expect([ledger.fills.length, ledger.positions.length, ledger.account.cash]).toEqual([0, 0, "10000.000000"]);
  });

  it("an unknown side or a non-number quantity of another type", async () => {
    const f = await fixture();
    const side = await placeOrderAsUser(contextFor(f), { symbol: "AAPL", side: "short", quantity: 1, idempotencyKey: nextKey() }, db);
    expect(side.order).toMatchObject({ rejectCode: "INVALID_SIDE", rejectMessage: 'side must be one of "buy", "sell", "sell_short", "buy_to_cover"; got the string "short"' });
    const object = await placeOrderAsUser(contextFor(f), buy("AAPL", { n: 1 }), db);
    expect(object.order.rejectCode).toBe("INVALID_QUANTITY");
    expect((await ledgerOf(admin, f.sessionId)).orders[1]).toMatchObject({ request: { quantity: "a object" } });
  });

  it.each([
    ["missing", undefined],
    ["empty", ""],
    ["too long", "k".repeat(201)],
    ["with spaces", "my key"],
    ["a number", 42],
  ])("an idempotency key that is %s: INVALID_IDEMPOTENCY_KEY thrown, nothing stored", async (_what, idempotencyKey) => {
    const f = await fixture();
    const err = await thrown(placeOrderAsUser(contextFor(f), { symbol: "AAPL", side: "buy", quantity: 1, idempotencyKey }, db));
    expect(err).toMatchObject({ kind: "reject", code: "INVALID_IDEMPOTENCY_KEY" });
    expect(err.message).toMatch(/Nothing was stored/);
    expect((await ledgerOf(admin, f.sessionId)).orders).toHaveLength(0);
  });

  it("an ended session takes no new orders, but a retry still gets its first result", async () => {
    const f = await fixture();
    const key = nextKey();
    const first = await placeOrderAsUser(contextFor(f), buy("AAPL", 1, key), db);
    await admin`update trading_sessions set status = 'completed' where id = ${f.sessionId}`;
    const err = await thrown(placeOrderAsUser(contextFor(f), buy("AAPL", 1), db));
    expect(err).toMatchObject({ kind: "reject", code: "SESSION_ENDED" });
    expect(await placeOrderAsUser(contextFor(f), buy("AAPL", 1, key), db)).toEqual({ ...first, duplicate: true });
    expect((await ledgerOf(admin, f.sessionId)).orders).toHaveLength(1);
  });
});

describe("placeOrder: idempotency", () => {
  it("a retry with the same key returns the first result and trades nothing, even after prices and cash moved", async () => {
    const f = await fixture();
    const prices = market({ AAPL: 100 });
    const key = nextKey("retry");
    const first = await placeOrderAsUser(contextFor(f, prices), buy("AAPL", 10, key), db);
    prices.set("AAPL", 500);
    const again = await placeOrderAsUser(contextFor(f, prices), buy("AAPL", 10, key), db);
    expect(again).toEqual({ ...first, duplicate: true });
    const viaWithCore = await withCore(f.user.claims, (tx) => placeOrder(tx, contextFor(f, prices), sell("AAPL", 1, key)), db);
    expect(viaWithCore).toEqual({ ...first, duplicate: true });
    const ledger = await ledgerOf(admin, f.sessionId);
    expect([ledger.orders.length, ledger.fills.length, ledger.account.cash]).toEqual([1, 1, "9000.000000"]);
  });

  it("a rejected order is the first result too, and so is a request that did not parse", async () => {
    const f = await fixture({ startingCash: "50" });
    const key = nextKey();
    const first = await placeOrderAsUser(contextFor(f), buy("AAPL", 1, key), db);
    expect(first.order.rejectCode).toBe("INSUFFICIENT_CASH");
    await admin`update accounts set cash = 1000000 where session_id = ${f.sessionId}`;
    expect(await placeOrderAsUser(contextFor(f), buy("AAPL", 1, key), db)).toEqual({ ...first, duplicate: true });

    const badKey = nextKey();
    const bad = await placeOrderAsUser(contextFor(f), buy("AAPL", -1, badKey), db);
    expect(await placeOrderAsUser(contextFor(f), buy("AAPL", 1, badKey), db)).toEqual({ ...bad, duplicate: true });
    expect((await ledgerOf(admin, f.sessionId)).fills).toHaveLength(0);
  });
});
