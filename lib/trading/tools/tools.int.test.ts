import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importBarsFile } from "@/lib/services/market-data/import-file";
import { adminSql, createUser, dbError, testDb } from "@/tests/support/database";
import { contextOf, createAgentFixture, DAILY_FILE, DAY_OPEN, writeDecision, type AgentFixture } from "@/tests/support/agent-fixtures";
import { toolOutputSchemas, type ToolInputs, type ToolName, type ToolOutputs } from "@/lib/agent/tool-contract";
import { createTradingTools, type TradingContext } from "./index";

/** The tools against a real database and the real NASDAQ-100 daily bars, called as the SDK calls them. */
const admin = adminSql();
const { db, client } = testDb();
const UNIVERSE = ["AAPL", "MSFT", "NVDA"];

beforeAll(async () => {
  await importBarsFile(db, DAILY_FILE);
});
afterAll(async () => {
  await admin.end();
  await client.end();
});

type Tools = ReturnType<typeof createTradingTools>;
let calls = 0;
/** Runs a tool's execute as the AI SDK would: with a tool-call id. */
function run<K extends ToolName>(tools: Tools, name: K, input: ToolInputs[K], toolCallId = `call-${++calls}`): Promise<ToolOutputs[K]> {
  const execute = tools[name].execute as unknown as (input: unknown, options: { toolCallId: string; messages: []; context: undefined }) => Promise<ToolOutputs[K]>;
  return execute(input, { toolCallId, messages: [], context: undefined });
}

async function withTools<T>(f: AgentFixture, fn: (tools: Tools, ctx: TradingContext) => Promise<T>, at = DAY_OPEN): Promise<T> {
  const ctx = await contextOf(db, f, at, UNIVERSE);
  return fn(createTradingTools(ctx), ctx);
}

const fixture = async (label: string, options: Parameters<typeof createAgentFixture>[3] = {}) =>
  createAgentFixture(db, admin, await createUser(admin, label), { startingCash: "10000", ...options });

describe("market data tools", () => {
  it("get_quote: the open of the day bar in progress, any case accepted", async () => {
    const f = await fixture("quote");
    const quote = await withTools(f, (tools) => run(tools, "get_quote", { symbol: "aapl" }));
    expect(toolOutputSchemas.get_quote.parse(quote)).toEqual({ symbol: "AAPL", price: 255.04, at: DAY_OPEN.toISOString(), basis: "open", derived: false, source: "alphavantage" });
  });

  it("get_quote / get_bars outside the universe throw NOT_IN_UNIVERSE with the universe listed", async () => {
    const f = await fixture("outside");
    await withTools(f, async (tools) => {
      await expect(run(tools, "get_quote", { symbol: "TSLA" })).rejects.toThrow(/^NOT_IN_UNIVERSE: TSLA is not in this session's universe: AAPL, MSFT, NVDA/);
      await expect(run(tools, "get_bars", { symbol: "TSLA" })).rejects.toThrow(/^NOT_IN_UNIVERSE: /);
    });
  });

  it("get_bars: closed bars only, oldest first, the session's interval and the contract's default limit", async () => {
    const f = await fixture("bars");
    await withTools(f, async (tools) => {
      const all = toolOutputSchemas.get_bars.parse(await run(tools, "get_bars", { symbol: "NVDA" }));
      expect(all).toMatchObject({ symbol: "NVDA", interval: "day" });
      expect(all.bars).toHaveLength(50);
      expect(all.bars.at(-1)!.t).toBe("2025-09-30T13:30:00.000Z"); // yesterday's bar: today's is in progress
      expect(all.bars.every((b, i) => i === 0 || b.t > all.bars[i - 1]!.t)).toBe(true);
      const three = await run(tools, "get_bars", { symbol: "NVDA", limit: 3 });
      expect(three.bars.map((b) => b.c)).toEqual(all.bars.slice(-3).map((b) => b.c));
      expect(await run(tools, "get_bars", { symbol: "NVDA", interval: "minute" })).toEqual({ symbol: "NVDA", interval: "minute", bars: [] });
    });
  });

  it("calculate and search_news need no account; news is empty by default", async () => {
    const f = await fixture("calc");
    await withTools(f, async (tools) => {
      expect(await run(tools, "calculate", { expression: "floor(10000 / 255.04)" })).toEqual({ result: 39 });
      await expect(run(tools, "calculate", { expression: "x = 1" })).rejects.toThrow(/^INVALID_EXPRESSION/);
      expect(await run(tools, "search_news", { query: "no article mentions this 4f1c" })).toEqual({ articles: [] });
    });
  });
});

describe("trading tools", () => {
  it("buy, get_portfolio, sell fill on the session book; the bar's write stores them with the decision id", async () => {
    const f = await fixture("trade");
    const ctx = await withTools(f, async (tools, ctx) => {
      expect(await run(tools, "get_portfolio", {})).toMatchObject({ cash: "10000.00", positions: [] });
      const bought = await run(tools, "buy", { symbol: "aapl", quantity: 10 }, "b1");
      expect(toolOutputSchemas.buy.parse(bought)).toMatchObject({ status: "filled", symbol: "AAPL", side: "buy", quantity: 10, price: "255.04", fee: "0.00", duplicate: false });
      expect(bought.message).toBe("Bought 10 AAPL at $255.04 (fee $0.00); cash after: $7,449.60.");
      const portfolio = toolOutputSchemas.get_portfolio.parse(await run(tools, "get_portfolio", {}));
      expect(portfolio).toEqual({
        cash: "7449.60",
        equity: "10000.00",
        positions: [{ symbol: "AAPL", quantity: 10, averageCost: "255.04", marketValue: "2550.40", unrealizedPnl: "0.00" }],
        universe: UNIVERSE,
      });
      const tooMany = await run(tools, "sell", { symbol: "AAPL", quantity: 11 }, "s1");
      expect(tooMany).toMatchObject({ status: "rejected", rejectCode: "INSUFFICIENT_SHARES" });
      expect(tooMany.orderId).toEqual(expect.any(String)); // written with the bar as a rejected order
      expect(await run(tools, "sell", { symbol: "AAPL", quantity: 4 }, "s2")).toMatchObject({ status: "filled", side: "sell", quantity: 4 });
      expect(await run(tools, "buy", { symbol: "AAPL", quantity: 10 }, "b1")).toMatchObject({ status: "filled", duplicate: true, quantity: 10 });
      return ctx;
    });
    // Nothing is in the database while the decision runs.
    expect(await admin`select id from orders where session_id = ${f.sessionId}`).toEqual([]);
    // Orders name a decision of their session (FK deferred to commit): without the decisions row, nothing commits.
    const orphan = writeDecision(db, ctx, null, DAY_OPEN);
    expect(await dbError(orphan)).toMatch(/orders_decision_fk/);
    expect(await admin`select id from orders where session_id = ${f.sessionId}`).toEqual([]);
  });

  it("short and cover follow the session's settings", async () => {
    const noShorts = await fixture("noshort");
    await withTools(noShorts, async (tools) => {
      expect(await run(tools, "short", { symbol: "MSFT", quantity: 1 })).toMatchObject({ status: "rejected", rejectCode: "SHORTING_DISABLED" });
    });
    const shorts = await fixture("short", { settings: { allowShort: true } });
    await withTools(shorts, async (tools) => {
      expect(await run(tools, "short", { symbol: "MSFT", quantity: 2 })).toMatchObject({ status: "filled", side: "short", quantity: 2 });
      const portfolio = await run(tools, "get_portfolio", {});
      expect(portfolio.positions).toEqual([expect.objectContaining({ symbol: "MSFT", quantity: -2 })]);
      expect(await run(tools, "cover", { symbol: "MSFT", quantity: 2 })).toMatchObject({ status: "filled", side: "cover" });
    });
  });

  it("one step's trades run one at a time on the book: 20 concurrent buys, cash for 3", async () => {
    const f = await fixture("burst");
    const results = await withTools(f, async (tools) => {
      const out = await Promise.all(Array.from({ length: 20 }, (_, i) => run(tools, "buy", { symbol: "AAPL", quantity: 10 }, `burst-${i}`)));
      return { out, portfolio: await run(tools, "get_portfolio", {}) };
    });
    expect(results.out.filter((r) => r.status === "filled")).toHaveLength(3);
    expect(results.out.filter((r) => r.status === "rejected" && r.rejectCode === "INSUFFICIENT_CASH")).toHaveLength(17);
    expect(results.portfolio.cash).toBe("2348.80");
  });

  it("a session that has ended takes no bar's write: nothing is stored", async () => {
    const f = await fixture("ended");
    const ctx = await withTools(f, async (tools, ctx) => {
      await run(tools, "buy", { symbol: "AAPL", quantity: 1 });
      return ctx;
    });
    await admin`update trading_sessions set status = 'completed' where id = ${f.sessionId}`;
    await expect(writeDecision(db, ctx, null, DAY_OPEN)).rejects.toThrow(/BAR_NOT_OURS/);
    expect(await admin`select id from orders where session_id = ${f.sessionId}`).toEqual([]);
  });

  it("another user's session is invisible: its book does not load, so no tool is ever built over it", async () => {
    const owner = await fixture("owner");
    const intruder = await createUser(admin, "intruder");
    // A context whose user is the intruder but whose session is the owner's (a bug the core must survive).
    const stolen: AgentFixture = { ...owner, user: intruder };
    await expect(contextOf(db, stolen, DAY_OPEN, UNIVERSE)).rejects.toThrow(/^Trading session not found/);
    expect(await admin`select id from orders where session_id = ${owner.sessionId}`).toEqual([]);
  });
});
