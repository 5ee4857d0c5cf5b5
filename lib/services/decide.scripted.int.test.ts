import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ToolCallRecord } from "@/lib/agent/decision";
import { adminSql, createUser, testDb } from "@/tests/support/database";
import { createAgentFixture, DAILY_FILE, decideAt, decisionRecord, type AgentFixture } from "@/tests/support/agent-fixtures";
import { generated, hangForever, hangUntilAborted, providerError, scriptedModel, shownResults, text, toolCall } from "@/tests/support/scripted-model";
import { importBarsFile } from "./market-data/import-file";

/**
 * Scripted models (MockLanguageModelV4) against the real tools and a real database: every way a decision
 * can go wrong is recorded as it happened, nothing trades twice, and nothing becomes a silent hold.
 */
const admin = adminSql();
const { db, client } = testDb();
const UNIVERSE = ["AAPL", "MSFT", "NVDA"];
const AAPL_OPEN = "255.04"; // 2025-10-01 open in the daily file

beforeAll(async () => {
  await importBarsFile(db, DAILY_FILE);
});
afterAll(async () => {
  await admin.end();
  await client.end();
});

async function fixture(label: string, options: Parameters<typeof createAgentFixture>[3] = {}): Promise<AgentFixture> {
  return createAgentFixture(db, admin, await createUser(admin, label), { llm: "openai:gpt-4.1-mini", startingCash: "10000", ...options });
}

const callsOf = (row: Record<string, unknown>) => row.tool_calls as ToolCallRecord[];
const cashOf = async (f: AgentFixture) => (await admin`select cash from accounts where session_id = ${f.sessionId}`)[0]!.cash as string;

describe("a tool call the SDK refuses", () => {
  it("invalid arguments: the model sees the error, corrects itself, and both calls are recorded", async () => {
    const f = await fixture("invalid");
    const model = scriptedModel([
      [toolCall("buy", { symbol: "AAPL", quantity: 1.5 }, "c1")],
      [toolCall("buy", { symbol: "aapl", quantity: 2 }, "c2")],
      [text("Bought 2 AAPL after fixing the quantity.")],
    ]);
    const { decision } = await decideAt(db, f, { languageModel: model, universe: UNIVERSE });
    const { decision: row, orders } = await decisionRecord(admin, decision.id);

    const [bad, good] = callsOf(row);
    expect(bad).toMatchObject({ id: "c1", step: 1, name: "buy", input: { symbol: "AAPL", quantity: 1.5 }, ok: false, invalid: true });
    expect(bad!.error).toMatch(/quantity must be a whole number/);
    expect(good).toMatchObject({ id: "c2", step: 2, ok: true, orderStatus: "filled", output: { status: "filled", symbol: "AAPL", quantity: 2, price: AAPL_OPEN } });
    // The model was shown the error before its second call.
    expect(JSON.stringify(shownResults(model.doGenerateCalls[1]!)["c1"])).toMatch(/error-text.*whole number/);

    expect(orders).toHaveLength(1); // the invalid call never reached placeOrder
    expect(row).toMatchObject({ outcome: "traded", filled_orders: 1, rejected_orders: 0, tool_errors: 1, steps: 3, finish_reason: "stop", error: null });
    expect(row).toMatchObject({ input_tokens: 300, output_tokens: 60, cost_usd: "0.000216" }); // 3 × (100 × $0.40 + 20 × $1.60) / 1M
    expect(row.text).toBe("Bought 2 AAPL after fixing the quantity.");
  });

  it("an unknown tool (one that would name another model) is an error the model sees; no order anywhere", async () => {
    const f = await fixture("unknown");
    const other = await fixture("unknown-other");
    const model = scriptedModel([
      [toolCall("transfer_funds", { toModelId: other.model.id, amount: 1000 }, "t1")],
      [text("That tool does not exist; I hold.")],
    ]);
    const { decision } = await decideAt(db, f, { languageModel: model, universe: UNIVERSE });
    const { decision: row } = await decisionRecord(admin, decision.id);
    expect(callsOf(row)).toEqual([
      expect.objectContaining({ id: "t1", name: "transfer_funds", input: { toModelId: other.model.id, amount: 1000 }, ok: false, invalid: true }),
    ]);
    expect(callsOf(row)[0]!.error).toMatch(/transfer_funds/);
    expect(row).toMatchObject({ outcome: "held", tool_errors: 1, filled_orders: 0, error: null });
    expect(await admin`select id from orders where session_id in (${f.sessionId}, ${other.sessionId})`).toEqual([]);
    expect([await cashOf(f), await cashOf(other)]).toEqual(["10000.000000", "10000.000000"]);
  });
});

describe("a tool that throws", () => {
  it("a symbol outside the universe is a tool error with the market view's message; the model corrects itself", async () => {
    const f = await fixture("outside");
    const model = scriptedModel([
      [toolCall("get_quote", { symbol: "TSLA" }, "q1")],
      (options) => {
        const shown = JSON.stringify(shownResults(options)["q1"]);
        return shown.includes("NOT_IN_UNIVERSE") ? [toolCall("buy", { symbol: "NVDA", quantity: 1 }, "b1")] : [text("I did not see the error.")];
      },
      [text("TSLA is not tradable here; bought 1 NVDA instead.")],
    ]);
    const { decision } = await decideAt(db, f, { languageModel: model, universe: UNIVERSE });
    const [quote, buy] = decision.toolCalls as ToolCallRecord[];
    expect(quote).toMatchObject({ name: "get_quote", ok: false, error: "NOT_IN_UNIVERSE: TSLA is not in this session's universe: AAPL, MSFT, NVDA. Use one of these symbols." });
    expect(quote!.invalid).toBeUndefined();
    expect(buy).toMatchObject({ name: "buy", ok: true, orderStatus: "filled" });
    expect(decision).toMatchObject({ outcome: "traded", toolErrors: 1, filledOrders: 1 });
  });
});

describe("a buy beyond cash", () => {
  it("is a rejected order (stored, with the engine's message), not an error; the decision is held with rejected_orders = 1", async () => {
    const f = await fixture("broke");
    const model = scriptedModel([[toolCall("buy", { symbol: "AAPL", quantity: 1000 }, "big")], [text("Could not afford it.")]]);
    const { decision } = await decideAt(db, f, { languageModel: model, universe: UNIVERSE });
    const { decision: row, orders, fills } = await decisionRecord(admin, decision.id);
    const [buy] = callsOf(row);
    expect(buy).toMatchObject({ ok: true, orderStatus: "rejected", output: { status: "rejected", rejectCode: "INSUFFICIENT_CASH", duplicate: false } });
    expect((buy!.output as { message: string }).message).toMatch(/need \$255,040\.00.*have \$10,000\.00/);
    expect(orders).toEqual([expect.objectContaining({ status: "rejected", reject_code: "INSUFFICIENT_CASH", decision_id: decision.id })]);
    expect(fills).toEqual([]);
    expect(row).toMatchObject({ outcome: "held", filled_orders: 0, rejected_orders: 1, tool_errors: 0, error: null });
    expect(await cashOf(f)).toBe("10000.000000");
  });
});

describe("provider errors", () => {
  it("a transient 503 is retried by the SDK's backoff within the step: one order, traded", async () => {
    const f = await fixture("flaky");
    const model = scriptedModel([
      () => Promise.reject(providerError(503, "Service Unavailable")),
      [toolCall("buy", { symbol: "MSFT", quantity: 3 }, "m1")],
      [text("Bought 3 MSFT.")],
    ]);
    const { decision } = await decideAt(db, f, { languageModel: model, universe: UNIVERSE, maxRetries: 2 });
    expect(model.doGenerateCalls).toHaveLength(3); // 503, then step 1 again, then step 2
    expect(decision).toMatchObject({ outcome: "traded", filledOrders: 1, steps: 2, error: null });
  });

  it("after the retries run out the decision FAILS with the reason; the order placed before stays listed", async () => {
    const f = await fixture("down");
    const model = scriptedModel([[toolCall("buy", { symbol: "AAPL", quantity: 4 }, "a1")], () => Promise.reject(providerError(503, "Service Unavailable"))]);
    const { decision, orders } = await decideAt(db, f, { languageModel: model, universe: UNIVERSE, maxRetries: 2 });
    expect(decision).toMatchObject({
      outcome: "failed",
      errorCode: "PROVIDER_ERROR",
      error: "provider error: 503 Service Unavailable after 3 attempts",
      filledOrders: 1,
      steps: 1,
    });
    expect(orders).toEqual([expect.objectContaining({ symbol: "AAPL", quantity: 4, status: "filled" })]);
    expect(callsOf({ tool_calls: decision.toolCalls })).toEqual([expect.objectContaining({ id: "a1", ok: true, orderStatus: "filled" })]);
    expect(model.doGenerateCalls).toHaveLength(4);
  });

  it("a non-retryable error (401) fails at once", async () => {
    const f = await fixture("unauthorized");
    const model = scriptedModel([() => Promise.reject(providerError(401, "Incorrect API key provided"))]);
    const { decision } = await decideAt(db, f, { languageModel: model, universe: UNIVERSE });
    expect(decision).toMatchObject({ outcome: "failed", error: "provider error: 401 Incorrect API key provided (not retryable)", steps: 0 });
    expect(model.doGenerateCalls).toHaveLength(1);
  });
});

describe("a loop that never answers", () => {
  it("still calling tools at the step limit, nothing filled: failed (STEP_LIMIT), never a hold", async () => {
    const f = await fixture("loop");
    const model = scriptedModel([(_, call) => [toolCall("get_quote", { symbol: "AAPL" }, `q${call}`)]]);
    const { decision } = await decideAt(db, f, { languageModel: model, universe: UNIVERSE, maxSteps: 6 });
    expect(decision).toMatchObject({ outcome: "failed", errorCode: "STEP_LIMIT", steps: 6, finishReason: "tool-calls", toolErrors: 0 });
    expect(decision.error).toBe("the model was still calling tools after 6 steps (the limit) and nothing filled");
    expect(decision.toolCalls).toHaveLength(6);
  });

  it("cut off by the token limit without trading: failed (UNFINISHED)", async () => {
    const f = await fixture("cutoff");
    const model = scriptedModel([async () => ({ ...generated([text("I think I should")]), finishReason: { unified: "length" as const, raw: "length" } })]);
    const { decision } = await decideAt(db, f, { languageModel: model, universe: UNIVERSE });
    expect(decision).toMatchObject({ outcome: "failed", errorCode: "UNFINISHED", text: "I think I should", finishReason: "length" });
  });
});

describe("timeouts", () => {
  it.each([
    ["a provider that honours the abort signal", hangUntilAborted],
    ["a provider that ignores it", hangForever],
  ])("%s: failed as 'timeout after 300 ms', the earlier fill listed", async (_label, hang) => {
    const f = await fixture("slow");
    const model = scriptedModel([[toolCall("buy", { symbol: "NVDA", quantity: 5 }, "n1")], hang]);
    const started = performance.now();
    const { decision, orders } = await decideAt(db, f, { languageModel: model, universe: UNIVERSE, timeoutMs: 300 });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(decision).toMatchObject({ outcome: "failed", errorCode: "TIMEOUT", error: "timeout after 300 ms", filledOrders: 1 });
    expect(decision.latencyMs).toBeGreaterThanOrEqual(290);
    expect(orders).toEqual([expect.objectContaining({ symbol: "NVDA", quantity: 5, status: "filled" })]);
  });

  it("an order still running at the timeout finishes, is listed with a note, and nothing runs after", async () => {
    const f = await fixture("slow-tool");
    const model = scriptedModel([[toolCall("buy", { symbol: "AAPL", quantity: 1 }, "slow-buy")], [toolCall("buy", { symbol: "AAPL", quantity: 1 }, "late-buy")]]);
    const { decision } = await decideAt(db, f, {
      languageModel: model,
      universe: UNIVERSE,
      timeoutMs: 150,
      // A slow market: the buy's price lookup takes longer than the whole decision may.
      wrapMarket: (market) => ({ ...market, quote: async (s) => (await new Promise((r) => setTimeout(r, 400)), market.quote(s)) }),
    });
    expect(decision).toMatchObject({ outcome: "failed", error: "timeout after 150 ms", filledOrders: 1, steps: 0 });
    expect(decision.toolCalls).toEqual([
      expect.objectContaining({ id: "slow-buy", step: 1, ok: true, orderStatus: "filled", note: expect.stringMatching(/did not complete/) }),
    ]);
    expect(await admin`select idempotency_key from orders where session_id = ${f.sessionId}`).toEqual([{ idempotency_key: `${f.sessionId}:slow-buy` }]);
  });
});

describe("a repeated tool-call id", () => {
  it("within a decision: the second call returns the first order (duplicate: true); one fill, cash debited once", async () => {
    const f = await fixture("repeat");
    const again = toolCall("buy", { symbol: "AAPL", quantity: 5 }, "same-id");
    const model = scriptedModel([[again], [again], [text("Bought 5 AAPL.")]]);
    const { decision } = await decideAt(db, f, { languageModel: model, universe: UNIVERSE });
    const { decision: row, orders, fills } = await decisionRecord(admin, decision.id);
    const [first, second] = callsOf(row);
    expect(first).toMatchObject({ id: "same-id", step: 1, duplicate: false, orderStatus: "filled" });
    expect(second).toMatchObject({ id: "same-id", step: 2, duplicate: true, orderStatus: "filled", orderId: first!.orderId });
    expect((second!.output as { message: string }).message).toMatch(/already placed order .*nothing new was traded/);
    expect(orders).toHaveLength(1);
    expect(fills).toHaveLength(1);
    expect(row).toMatchObject({ outcome: "traded", filled_orders: 1 });
    expect(await cashOf(f)).toBe(String((10000 - 5 * Number(AAPL_OPEN)).toFixed(6)));
  });

  it("replaying the bar in the same session trades nothing; the same ids in ANOTHER session of the model do trade", async () => {
    const f = await fixture("replay");
    const script = () => scriptedModel([[toolCall("buy", { symbol: "AAPL", quantity: 2 }, "bar-1-buy")], [text("Bought 2 AAPL.")]]);
    const first = await decideAt(db, f, { languageModel: script(), universe: UNIVERSE });
    const replay = await decideAt(db, f, { languageModel: script(), universe: UNIVERSE });
    expect(first.decision).toMatchObject({ outcome: "traded", filledOrders: 1 });
    expect(replay.decision).toMatchObject({ outcome: "held", filledOrders: 0 });
    expect(replay.decision.toolCalls).toEqual([expect.objectContaining({ duplicate: true, orderId: first.orders[0]!.id })]);
    expect(await admin`select count(*)::int as n from orders where session_id = ${f.sessionId}`).toEqual([{ n: 1 }]);

    const elsewhere = await createSecondSession(f);
    const third = await decideAt(db, elsewhere, { languageModel: script(), universe: UNIVERSE });
    expect(third.decision).toMatchObject({ outcome: "traded", filledOrders: 1 });
    expect(third.orders[0]!.idempotencyKey).toBe(`${elsewhere.sessionId}:bar-1-buy`);
  });
});

/** A second session (and account) of the same model. */
async function createSecondSession(f: AgentFixture): Promise<AgentFixture> {
  const [session] = await admin<{ id: string }[]>`
    insert into trading_sessions (user_id, model_id, kind, interval, status, starting_cash, llm, instructions)
    values (${f.user.id}, ${f.model.id}, 'backtest', 'day', 'running', 10000, ${f.model.llm}, ${f.model.instructions}) returning id`;
  await admin`insert into accounts (user_id, model_id, session_id, starting_cash, cash, equity)
    values (${f.user.id}, ${f.model.id}, ${session!.id}, 10000, 10000, 10000)`;
  return { ...f, sessionId: session!.id };
}
