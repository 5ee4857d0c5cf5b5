import type { LanguageModelV4, LanguageModelV4CallOptions, LanguageModelV4Content, LanguageModelV4StreamPart } from "@ai-sdk/provider";
import type { UIMessageChunk } from "ai";
import { MockLanguageModelV4 } from "ai/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBuiltinModel } from "@/lib/agent/builtin";
import { withCore, withUser } from "@/lib/db/rls";
import { AppError } from "@/lib/errors";
import { createAgentFixture, DAILY_FILE, DAY_OPEN, decideAt, UNIVERSE, type AgentFixture } from "@/tests/support/agent-fixtures";
import { adminSql, createUser, dbError, testDb } from "@/tests/support/database";
import { importBarsFile } from "./market-data/import-file";
import { askSessionModel, CHAT_TOOL_NAMES, listSessionChat, type ChatAnswer } from "./session-chat";

/**
 * "Ask the model" against a real database and the real NASDAQ-100 daily bars: a built-in model that
 * bought at the first bar is asked about its session and answers from its real positions, with only the
 * read-only tools, one short transaction per tool call, and the conversation stored with the session.
 */
const admin = adminSql();
// ONE connection: if anything held a transaction open while the answer streams, the tool calls
// (each in its own transaction) could never get a connection and the test would time out.
const { db, client } = testDb(1);

beforeAll(async () => {
  await importBarsFile(db, DAILY_FILE);
});
afterAll(async () => {
  await admin.end();
  await client.end();
});

/** A buy-and-hold session that has run its first bar (bought the universe at the 2025-10-01 open). */
async function sessionWithPositions(label: string, llm = "builtin:buy-and-hold"): Promise<AgentFixture> {
  const f = await createAgentFixture(db, admin, await createUser(admin, label), { llm });
  await decideAt(db, f, { model: { ...f.model, llm: "builtin:buy-and-hold" } });
  await admin`update trading_sessions set symbols = ${UNIVERSE}, schedule = ${admin.json([DAY_OPEN.toISOString(), "2025-10-02T13:30:00.000Z"])},
              total_bars = 2, cursor = 1 where id = ${f.sessionId}`;
  return f;
}

/** Wraps a model and records what each call was offered and shown. */
function spy(model: LanguageModelV4) {
  const calls: LanguageModelV4CallOptions[] = [];
  const wrapped: LanguageModelV4 = { ...model, doGenerate: (o) => (calls.push(o), model.doGenerate(o)), doStream: (o) => (calls.push(o), model.doStream(o)) };
  return { model: wrapped, calls, toolsOffered: (i = 0) => (calls[i]?.tools ?? []).map((t) => t.name).sort() };
}

async function read(answer: ChatAnswer) {
  const chunks: UIMessageChunk[] = [];
  for await (const c of answer.stream as unknown as AsyncIterable<UIMessageChunk>) chunks.push(c);
  const deltas = chunks.flatMap((c) => (c.type === "text-delta" ? [c.delta] : []));
  return { chunks, deltas, text: deltas.join(""), stored: await answer.stored };
}

const positionsOf = async (f: AgentFixture) =>
  (await admin<{ symbol: string; quantity: string }[]>`select symbol, quantity from positions where session_id = ${f.sessionId} and quantity <> 0 order by symbol`).map(
    (p) => ({ symbol: p.symbol, quantity: Number(p.quantity) }),
  );

describe("asking a session's built-in model", () => {
  it("streams an answer that cites the real position, offering only the read-only tools, and stores both messages", async () => {
    const f = await sessionWithPositions("ask");
    const nvda = (await positionsOf(f)).find((p) => p.symbol === "NVDA")!;
    expect(nvda.quantity).toBeGreaterThan(0);
    const s = spy(createBuiltinModel("buy-and-hold"));

    const answer = await askSessionModel(f.user.ctx, f.sessionId, "Why did you buy NVDA at 09:30?", { db, languageModel: s.model });
    expect(answer.toolNames.sort()).toEqual(["calculate", "get_bars", "get_indicators", "get_option_chain", "get_option_quote", "get_portfolio", "get_quote"]);
    expect(answer.clock.toISOString()).toBe(DAY_OPEN.toISOString());
    const { chunks, deltas, text, stored } = await read(answer);

    // Token by token, citing the position the ledger holds.
    expect(deltas.length).toBeGreaterThan(10);
    expect(text).toContain(`NVDA: last price`);
    expect(text).toContain(`I hold ${nvda.quantity} shares`);
    expect(chunks.filter((c) => c.type === "tool-output-available").length).toBe(2); // get_portfolio, get_quote NVDA
    expect(chunks.some((c) => c.type === "error" || c.type === "tool-output-error")).toBe(false);

    // Offered exactly the read-only tools, on every step; told its own decisions and the clock.
    expect(s.calls.length).toBe(2);
    for (let i = 0; i < s.calls.length; i++) expect(s.toolsOffered(i)).toEqual([...CHAT_TOOL_NAMES].sort());
    const system = s.calls[0]!.prompt.flatMap((m) => (m.role === "system" ? [m.content] : [])).join("\n");
    expect(system).toContain(`The session clock (the only "now" here): ${DAY_OPEN.toISOString()} (2025-10-01 09:30 New York)`);
    expect(system).toMatch(new RegExp(`- 2025-10-01 09:30: traded\\. Orders: .*buy ${nvda.quantity} NVDA filled at \\$\\d+\\.\\d\\d`));
    expect(system).not.toMatch(/^\s*Clock:/m); // a built-in would take it for a decision prompt

    // Stored with the session: the question, then the answer as it streamed (tool parts included).
    expect(stored?.id).toBe(answer.answerId);
    const messages = await listSessionChat(f.user.ctx, f.sessionId, db);
    expect(messages.map((m) => [m.id, m.role])).toEqual([
      [answer.questionId, "user"],
      [answer.answerId, "assistant"],
    ]);
    expect(messages[0]!.parts).toEqual([{ type: "text", text: "Why did you buy NVDA at 09:30?" }]);
    expect(messages[1]!.parts.map((p) => p.type)).toEqual(expect.arrayContaining(["tool-get_portfolio", "tool-get_quote", "text"]));
    expect(messages[1]!.parts.find((p) => p.type === "text")).toMatchObject({ text });
    expect(messages[1]!.metadata?.clock).toBe(DAY_OPEN.toISOString());
  });

  it("sends the stored conversation back: the second answer knows what it said before", async () => {
    const f = await sessionWithPositions("history");
    await read(await askSessionModel(f.user.ctx, f.sessionId, "What about NVDA?", { db }));
    const s = spy(createBuiltinModel("buy-and-hold"));
    const { text } = await read(await askSessionModel(f.user.ctx, f.sessionId, "And NVDA now?", { db, languageModel: s.model }));
    expect(text).toMatch(/Earlier I wrote: ".*NVDA/);
    expect(s.calls[0]!.prompt.filter((m) => m.role === "user")).toHaveLength(2);
    expect(await listSessionChat(f.user.ctx, f.sessionId, db)).toHaveLength(4);
  });
});

describe("nothing here can trade", () => {
  it("a model that calls buy anyway gets an unknown-tool error; no order is placed", async () => {
    const f = await sessionWithPositions("no-trade");
    const ordersBefore = (await admin`select count(*)::int as n from orders where session_id = ${f.sessionId}`)[0]!.n as number;
    const model = streamingScript([
      [{ type: "tool-call", toolCallId: "b1", toolName: "buy", input: JSON.stringify({ symbol: "NVDA", quantity: 1 }) }],
      [{ type: "text", text: "I cannot trade from here." }],
    ]);
    const { chunks, text } = await read(await askSessionModel(f.user.ctx, f.sessionId, "Buy 1 NVDA now", { db, languageModel: model }));
    expect(model.doStreamCalls[0]!.tools!.map((t) => t.name).sort()).toEqual([...CHAT_TOOL_NAMES].sort());
    expect(JSON.stringify(chunks.filter((c) => c.type === "tool-input-error" || c.type === "tool-output-error"))).toMatch(/buy/);
    expect(text).toBe("I cannot trade from here.");
    expect((await admin`select count(*)::int as n from orders where session_id = ${f.sessionId}`)[0]!.n).toBe(ordersBefore);
  });
});

describe("another user's session", () => {
  it("is NOT_FOUND for asking and for reading, and nothing is stored", async () => {
    const f = await sessionWithPositions("owner");
    const mallory = await createUser(admin, "mallory");
    for (const attempt of [
      () => askSessionModel(mallory.ctx, f.sessionId, "What do you hold?", { db }),
      () => listSessionChat(mallory.ctx, f.sessionId, db),
      () => askSessionModel(mallory.ctx, "not-a-uuid", "What do you hold?", { db }),
    ]) {
      const err = await attempt().then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ kind: "not_found", code: "NOT_FOUND" });
    }
    expect((await admin`select count(*)::int as n from session_chat_messages where session_id = ${f.sessionId}`)[0]!.n).toBe(0);
  });

  it("row-level security: the owner's messages are invisible to others, nobody edits or deletes them, and only the server writes them", async () => {
    const f = await sessionWithPositions("rls");
    await read(await askSessionModel(f.user.ctx, f.sessionId, "What do you hold?", { db }));
    const other = await createUser(admin, "other");
    const seen = await withUser(other.claims, (tx) => tx.execute("select count(*)::int as n from session_chat_messages"), db);
    expect(seen[0]).toMatchObject({ n: 0 });
    expect(await dbError(withUser(f.user.claims, (tx) => tx.execute("update session_chat_messages set parts = '[]'"), db))).toMatch(/permission denied/);
    expect(await dbError(withUser(f.user.claims, (tx) => tx.execute("delete from session_chat_messages"), db))).toMatch(/permission denied/);
    const forge = (userId: string) => `insert into session_chat_messages (session_id, user_id, role, parts) values ('${f.sessionId}', '${userId}', 'assistant', '[]')`;
    // A signed-in user (the Data API's role) writes no answer, not even in their own session; the trading core
    // writes only into its user's own sessions.
    expect(await dbError(withUser(f.user.claims, (tx) => tx.execute(forge(f.user.id)), db))).toMatch(/permission denied/);
    expect(await dbError(withUser(other.claims, (tx) => tx.execute(forge(f.user.id)), db))).toMatch(/permission denied/);
    expect(await dbError(withCore(other.claims, (tx) => tx.execute(forge(f.user.id)), db))).toMatch(/row-level security/);
  });
});

describe("questions", () => {
  it("refuses an empty or too long question before storing anything", async () => {
    const f = await sessionWithPositions("long");
    for (const q of ["   ", "x".repeat(2_001)]) {
      await expect(askSessionModel(f.user.ctx, f.sessionId, q, { db })).rejects.toMatchObject({ kind: "reject", code: "VALIDATION_FAILED" });
    }
    expect(await listSessionChat(f.user.ctx, f.sessionId, db)).toEqual([]);
  });

  it("a session without bars has no clock: a conflict, nothing stored", async () => {
    const f = await createAgentFixture(db, admin, await createUser(admin, "nobars"));
    await expect(askSessionModel(f.user.ctx, f.sessionId, "Hello?", { db })).rejects.toMatchObject({ kind: "conflict", code: "SESSION_HAS_NO_BARS" });
    expect(await listSessionChat(f.user.ctx, f.sessionId, db)).toEqual([]);
  });
});

/** A MockLanguageModelV4 that streams turn i on its i-th call. */
function streamingScript(turns: LanguageModelV4Content[][]) {
  let call = 0;
  return new MockLanguageModelV4({
    doStream: async () => {
      const content = turns[Math.min(call++, turns.length - 1)]!;
      const calls = content.some((c) => c.type === "tool-call");
      const parts: LanguageModelV4StreamPart[] = [{ type: "stream-start", warnings: [] }];
      for (const c of content) {
        if (c.type === "text") parts.push({ type: "text-start", id: "t" }, { type: "text-delta", id: "t", delta: c.text }, { type: "text-end", id: "t" });
        else parts.push(c as LanguageModelV4StreamPart);
      }
      parts.push({
        type: "finish",
        finishReason: calls ? { unified: "tool-calls", raw: "tool_calls" } : { unified: "stop", raw: "stop" },
        usage: { inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 1, text: 1, reasoning: 0 } },
      });
      return { stream: new ReadableStream({ start: (c) => (parts.forEach((p) => c.enqueue(p)), c.close()) }) };
    },
  });
}
