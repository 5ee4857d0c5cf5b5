import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ToolCallRecord } from "@/lib/agent/decision";
import { encryptSecret } from "@/lib/agent/secrets";
import { TOOL_NAMES } from "@/lib/agent/tool-contract";
import { adminSql, createUser, testDb } from "@/tests/support/database";
import { createAgentFixture, DAILY_FILE, decideAt, type AgentFixture } from "@/tests/support/agent-fixtures";
import { importBarsFile } from "./market-data/import-file";

/**
 * The real OpenAI provider (chat completions) over a recorded-style fake `fetch`: the model's stored
 * key is decrypted only here and sent only to the provider; HTTP errors become failed decisions.
 */
const admin = adminSql();
const { db, client } = testDb();
const KEY = randomBytes(32);
const UNIVERSE = ["AAPL", "MSFT"];

beforeAll(async () => {
  await importBarsFile(db, DAILY_FILE);
});
afterAll(async () => {
  await admin.end();
  await client.end();
});

type Reply = { status?: number; body: unknown; headers?: Record<string, string> };
/** A fake provider: answers each request with the next reply and records what was sent. */
function fakeOpenAI(replies: Reply[]) {
  const requests: { url: string; authorization: string | null; body: { messages: { role: string }[]; tools?: { function: { name: string } }[] } }[] = [];
  const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    requests.push({ url: String(url), authorization: headers.get("authorization"), body: JSON.parse(String(init?.body)) });
    const reply = replies[Math.min(requests.length - 1, replies.length - 1)]!;
    return new Response(JSON.stringify(reply.body), { status: reply.status ?? 200, headers: { "content-type": "application/json", ...reply.headers } });
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

const completion = (message: Record<string, unknown>, finish: string, usage = { prompt_tokens: 1200, completion_tokens: 30 }) => ({
  body: {
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 1_760_000_000,
    model: "gpt-4.1-mini",
    choices: [{ index: 0, message: { role: "assistant", content: null, ...message }, finish_reason: finish }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  },
});

async function keyedModel(label: string, secret: string): Promise<AgentFixture> {
  const f = await createAgentFixture(db, admin, await createUser(admin, label), { llm: "openai:gpt-4.1-mini", startingCash: "10000" });
  const ciphertext = encryptSecret(secret, KEY, f.model.id);
  await admin`update models set api_key_ciphertext = ${ciphertext}, api_key_hint = 'sk-…•••• test' where id = ${f.model.id}`;
  return { ...f, model: { ...f.model, apiKeyCiphertext: ciphertext } };
}

describe("an OpenAI model with its own stored key", () => {
  it("calls the tools through the real provider with the decrypted key; usage and cost recorded", async () => {
    const f = await keyedModel("openai", "sk-own-key-1234567890");
    const openai = fakeOpenAI([
      completion({ tool_calls: [{ id: "call_1", type: "function", function: { name: "buy", arguments: '{"symbol":"AAPL","quantity":3}' } }] }, "tool_calls"),
      completion({ content: "Bought 3 AAPL." }, "stop", { prompt_tokens: 1500, completion_tokens: 10 }),
    ]);
    const { decision, orders } = await decideAt(db, f, {
      universe: UNIVERSE,
      encryptionKey: KEY,
      fetch: openai.fetch,
      providerConfig: { openaiApiKey: "sk-server-wide-key" },
    });
    expect(openai.requests.map((r) => r.url)).toEqual(["https://api.openai.com/v1/chat/completions", "https://api.openai.com/v1/chat/completions"]);
    expect(openai.requests.map((r) => r.authorization)).toEqual(["Bearer sk-own-key-1234567890", "Bearer sk-own-key-1234567890"]);
    // Every tool of the contract, and nothing else.
    expect(openai.requests[0]!.body.tools!.map((t) => t.function.name).sort()).toEqual([...TOOL_NAMES].sort());
    expect(TOOL_NAMES).toContain("replace_order");
    // The latest additions are offered last (createTradingTools' order): exact replay of older records relies on it (TOOLS_ADDED_SINCE).
    expect(openai.requests[0]!.body.tools!.map((t) => t.function.name).slice(-6)).toEqual(["get_option_chain", "get_option_quote", "place_option_order", "exercise_option", "preview_strategy", "close_strategy"]);
    expect(openai.requests[0]!.body.messages.map((m) => m.role)).toEqual(["system", "user"]);
    expect(decision).toMatchObject({ outcome: "traded", filledOrders: 1, inputTokens: 2700, outputTokens: 40, costUsd: "0.001144", text: "Bought 3 AAPL." });
    expect(orders).toEqual([expect.objectContaining({ symbol: "AAPL", quantity: 3, idempotencyKey: `${f.sessionId}:call_1` })]);
    expect(JSON.stringify(decision)).not.toContain("sk-own-key");
  });

  it("HTTP 503 from the provider: retried with backoff, then failed with the reason", async () => {
    const f = await keyedModel("openai-down", "sk-own-key-down-000000");
    const openai = fakeOpenAI([{ status: 503, body: { error: { message: "The server is overloaded", type: "server_error" } }, headers: { "retry-after-ms": "5" } }]);
    const { decision } = await decideAt(db, f, { universe: UNIVERSE, encryptionKey: KEY, fetch: openai.fetch, maxRetries: 2 });
    expect(openai.requests).toHaveLength(3);
    expect(decision).toMatchObject({ outcome: "failed", errorCode: "PROVIDER_ERROR", error: "provider error: 503 The server is overloaded after 3 attempts", steps: 0 });
  });

  it("a key that does not decrypt (copied from another model) fails the decision, with no request made", async () => {
    const f = await keyedModel("copied", "sk-own-key-copied-0000");
    const other = await keyedModel("source", "sk-other-model-key-000");
    const openai = fakeOpenAI([completion({ content: "never" }, "stop")]);
    const { decision } = await decideAt(db, f, {
      universe: UNIVERSE,
      encryptionKey: KEY,
      fetch: openai.fetch,
      model: { ...f.model, apiKeyCiphertext: other.model.apiKeyCiphertext },
    });
    expect(openai.requests).toEqual([]);
    expect(decision).toMatchObject({ outcome: "failed", errorCode: "SECRET_UNREADABLE", steps: 0, toolCalls: [] });
    expect(decision.error).toMatch(/cannot be decrypted/);
    expect(decision.prompt).toMatch(/^Clock: /); // the prompt is still recorded
  });

  it("no key anywhere: failed with what to set, not a hold", async () => {
    const f = await createAgentFixture(db, admin, await createUser(admin, "nokey"), { llm: "openai:gpt-4.1-mini" });
    const { decision } = await decideAt(db, f, { universe: UNIVERSE, providerConfig: {} });
    expect(decision).toMatchObject({ outcome: "failed", errorCode: "MODEL_API_KEY_MISSING" });
    expect(decision.error).toBe("openai:gpt-4.1-mini needs an API key: set OPENAI_API_KEY or store a key on the model");
    expect(decision.toolCalls as ToolCallRecord[]).toEqual([]);
  });
});
