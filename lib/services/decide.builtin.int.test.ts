import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDecisionLines } from "@/lib/agent/builtin";
import { BUILTIN_STRATEGY_NAMES } from "@/lib/agent/builtin";
import { toolOutputSchemas, isTradingToolName } from "@/lib/agent/tool-contract";
import { adminSql, createUser, testDb } from "@/tests/support/database";
import { createAgentFixture, DAILY_FILE, DAY_OPEN, decideAt, decisionRecord, UNIVERSE } from "@/tests/support/agent-fixtures";
import { importBarsFile } from "./market-data/import-file";

/**
 * Offline decisions with every built-in strategy on the real NASDAQ-100 daily bars: the same loop,
 * tools and records as an LLM. Checked against the decisions row, the orders and the fills.
 */
const admin = adminSql();
const { db, client } = testDb();

beforeAll(async () => {
  await importBarsFile(db, DAILY_FILE);
});
afterAll(async () => {
  await admin.end();
  await client.end();
});

interface StoredCall {
  id: string;
  step: number;
  name: string;
  input: Record<string, unknown>;
  ok: boolean;
  output?: Record<string, unknown>;
  error?: string;
  orderId?: string | null;
  orderStatus?: string;
}

/** The built-ins that trade at the open with buy, sell, short and cover (breakout leaves working orders: below; covered-call trades options: sessions-covered-call.int.test.ts). */
const MARKET_BUILTINS = BUILTIN_STRATEGY_NAMES.filter((n) => n !== "breakout" && n !== "covered-call");

describe.each(MARKET_BUILTINS)("builtin:%s decides on real daily bars", (strategy) => {
  it("reads portfolio and bars, places its orders in its own account and records everything", async () => {
    const user = await createUser(admin, strategy);
    const f = await createAgentFixture(db, admin, user, { llm: `builtin:${strategy}` });
    const { decision, orders, ctx } = await decideAt(db, f);

    // The prompt carries the lines the built-ins parse, plus cash and recent closes.
    expect(parseDecisionLines(decision.prompt)).toEqual({ clock: DAY_OPEN.toISOString(), universe: UNIVERSE, interval: "day" });
    expect(decision.prompt).toContain("Cash: $100,000.00");
    expect(decision.prompt).toMatch(/AAPL: \d+\.\d+, /);

    const stored = await decisionRecord(admin, decision.id);
    const row = stored.decision;
    expect(row).toMatchObject({ id: ctx.decisionId, user_id: user.id, model_id: f.model.id, session_id: f.sessionId, llm: `builtin:${strategy}` });
    expect(new Date(row.clock as string).toISOString()).toBe(DAY_OPEN.toISOString());
    expect(row.error).toBeNull();
    expect(row.finish_reason).toBe("stop");
    expect(row.text).toMatch(/\w/);
    expect(row.input_tokens).toBe(0);
    expect(row.cost_usd).toBe("0.000000");
    expect(row.latency_ms).toBeGreaterThanOrEqual(0);

    const calls = row.tool_calls as StoredCall[];
    // Step 1: get_portfolio and get_bars for the universe, all answered.
    expect(calls.filter((c) => c.step === 1).map((c) => c.name).sort()).toEqual(["get_bars", ...Array(UNIVERSE.length - 1).fill("get_bars"), "get_portfolio"].sort());
    for (const c of calls.filter((c) => !isTradingToolName(c.name))) expect(c.ok, `${c.name}: ${c.error}`).toBe(true);
    const portfolio = calls.find((c) => c.name === "get_portfolio")!;
    expect(toolOutputSchemas.get_portfolio.parse(portfolio.output)).toMatchObject({ cash: "100000.00", equity: "100000.00", positions: [], universe: UNIVERSE });
    const aapl = calls.find((c) => c.name === "get_bars" && c.input.symbol === "AAPL")!;
    expect(aapl.output).toMatchObject({ symbol: "AAPL", interval: "day" });
    expect(new Date(String(aapl.output!.last)).getTime()).toBeLessThan(DAY_OPEN.getTime()); // only closed bars

    // Every trade call is an order of THIS decision, in THIS session, and the row counts them.
    const trades = calls.filter((c) => isTradingToolName(c.name));
    expect(stored.orders).toHaveLength(trades.length);
    expect(orders.map((o) => o.id).sort()).toEqual(stored.orders.map((o) => o.id as string).sort());
    for (const t of trades) {
      const order = stored.orders.find((o) => o.id === t.orderId)!;
      expect(order, `order of ${t.id}`).toBeDefined();
      expect(order).toMatchObject({ session_id: f.sessionId, model_id: f.model.id, idempotency_key: `${f.sessionId}:${t.id}`, status: t.orderStatus });
      expect(toolOutputSchemas.buy.parse(t.output)).toMatchObject({ symbol: String(t.input.symbol).toUpperCase(), quantity: t.input.quantity, duplicate: false });
    }
    const filled = stored.orders.filter((o) => o.status === "filled").length;
    expect(row.filled_orders).toBe(filled);
    expect(row.rejected_orders).toBe(stored.orders.length - filled);
    expect(row.outcome).toBe(filled > 0 ? "traded" : "held");
    expect(stored.fills).toHaveLength(filled);

    // Cash moved by exactly the fills.
    const [account] = await admin`select cash from accounts where session_id = ${f.sessionId}`;
    const spent = stored.fills.reduce((sum, fill) => sum + Number(fill.cash_delta), 0);
    expect(Number(account!.cash)).toBeCloseTo(100000 + spent, 6);

    if (strategy === "buy-and-hold") {
      // First bar, no positions: an equal-weight basket of the whole universe.
      expect(row.outcome).toBe("traded");
      expect(stored.fills.map((x) => x.symbol).sort()).toEqual([...UNIVERSE].sort());
    }
  });
});

describe("a second bar", () => {
  it("buy-and-hold holds what it bought: outcome held, no orders, positions valued at the new bar", async () => {
    const user = await createUser(admin, "hold");
    const f = await createAgentFixture(db, admin, user, { llm: "builtin:buy-and-hold" });
    const first = await decideAt(db, f);
    expect(first.decision.outcome).toBe("traded");
    const next = await decideAt(db, f, { at: new Date("2025-10-02T13:30:00Z") });
    expect(next.decision).toMatchObject({ outcome: "held", filledOrders: 0, rejectedOrders: 0, error: null });
    expect(next.orders).toEqual([]);
    expect(next.decision.prompt).toMatch(/Positions:\n {2}AAPL: \d+ shares/);
  });
});

describe("builtin:breakout on real daily bars", () => {
  it("reads its working orders, places bracketed buy stops above the range, holds back cash, fills nothing at the open", async () => {
    const user = await createUser(admin, "breakout");
    const f = await createAgentFixture(db, admin, user, { llm: "builtin:breakout" });
    const { decision, ctx } = await decideAt(db, f);
    const stored = await decisionRecord(admin, decision.id);
    const calls = stored.decision.tool_calls as StoredCall[];
    expect(stored.decision.error).toBeNull();
    expect(calls.filter((c) => c.step === 1).map((c) => c.name).sort()).toEqual(["get_bars", ...Array(UNIVERSE.length - 1).fill("get_bars"), "get_orders", "get_portfolio"].sort());
    for (const c of calls) expect(c.ok, `${c.name}: ${c.error}`).toBe(true);
    expect(calls.find((c) => c.name === "get_orders")!.output).toEqual({ orders: [] });

    // Step 2 asks the price now of the symbols it means to enter; step 3 places a bracket for each that opened below its entry.
    const quotes = calls.filter((c) => c.name === "get_quote");
    const places = calls.filter((c) => c.name === "place_order");
    expect(quotes.length).toBeGreaterThan(0);
    expect(places.length).toBeGreaterThan(0);
    expect(new Set(places.map((c) => c.step))).toEqual(new Set([quotes[0]!.step + 1]));
    for (const p of places) {
      const out = toolOutputSchemas.place_order.parse(p.output);
      const input = p.input as { symbol: string; stopPrice: number; takeProfit: { limitPrice: number }; stopLoss: { stopPrice: number } };
      const open = (quotes.find((q) => q.input.symbol === input.symbol)!.output as { price: number }).price;
      expect(input.stopPrice).toBeGreaterThan(open); // a buy stop above the price now
      expect(input.takeProfit.limitPrice).toBeGreaterThan(input.stopPrice);
      expect(input.stopLoss.stopPrice).toBeLessThan(input.stopPrice);
      expect(out).toMatchObject({ status: "accepted", type: "stop", orderClass: "bracket", leg: "entry", timeInForce: "gtc" });
      expect(out.legs.map((l) => [l.leg, l.status, l.parentId])).toEqual([["take_profit", "held", out.orderId], ["stop_loss", "held", out.orderId]]);
    }

    // Stored as working orders of this session: an entry and two held legs each; nothing filled, no cash spent, cash held back.
    expect(stored.orders).toHaveLength(places.length * 3);
    for (const o of stored.orders) expect(o).toMatchObject({ session_id: f.sessionId, model_id: f.model.id, order_class: "bracket" });
    expect(stored.orders.filter((o) => o.leg === "entry").map((o) => o.status)).toEqual(places.map(() => "accepted"));
    expect(stored.fills).toEqual([]);
    expect(stored.decision).toMatchObject({ outcome: "held", filled_orders: 0 });
    const [account] = await admin`select cash from accounts where session_id = ${f.sessionId}`;
    expect(Number(account!.cash)).toBe(100000);
    expect(ctx.book.working().length).toBe(places.length * 3);
    expect(stored.decision.text).toMatch(/Placed buy stop \d+ [A-Z]+ at \$[\d,.]+ \(bracket: take-profit/);
  });
});
