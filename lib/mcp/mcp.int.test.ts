import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes, randomUUID } from "node:crypto";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { ToolExecutionOptions } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOOK_TOOL_NAMES, TOOL_DESCRIPTIONS, TOOL_NAMES, toolInputSchemas, type BarsOutput, type PortfolioOutput, type QuoteOutput } from "@/lib/agent/tool-contract";
import { createModelToken, revokeModelToken } from "@/lib/services/model-tokens";
import { importBarsFile } from "@/lib/services/market-data/import-file";
import { createToolRuntime, createTradingTools } from "@/lib/trading/tools";
import { toolSchemas } from "@/lib/trading/tools/schemas";
import { contextOf, createAgentFixture, DAILY_FILE, DAY_OPEN, decideAt, UNIVERSE, type AgentFixture } from "@/tests/support/agent-fixtures";
import { adminSql, createUser, testDb } from "@/tests/support/database";
import { createRateLimit } from "@/lib/rate-limit";
import { handleMcpRequest } from "./handler";

/**
 * The MCP server at /api/mcp (docs/mcp.md), through its Next route handler on a real HTTP port, on a real PostgreSQL
 * with the real NASDAQ-100 daily bars, driven by the OFFICIAL MCP SDK client (Client + StreamableHTTPClientTransport).
 * What a client sees is compared with what the same tools answer in process over the same session at the same clock.
 */

const admin = adminSql();
const { db, client: pool } = testDb();
// The route handler uses the process-wide pool (lib/db/client.ts getDb): this test's database.
(globalThis as unknown as { bullpenDb?: unknown }).bullpenDb = { client: pool, db };

let origin = "";
let server: http.Server;
let alice: AgentFixture; // buy-and-hold, has run its first bar (2025-10-01): it holds the universe
let bob: AgentFixture; // another user
let aliceToken = "";
let bobToken = "";
let unboundToken = "";

async function startRoute() {
  const route = await import("@/app/api/mcp/route");
  const reads = {
    quote: await import("@/app/api/v1/sessions/[id]/quote/route"),
    bars: await import("@/app/api/v1/sessions/[id]/bars/route"),
    portfolio: await import("@/app/api/v1/sessions/[id]/portfolio/route"),
    orders: await import("@/app/api/v1/sessions/[id]/orders/route"),
  };
  const srv = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const request = new Request(`${origin}${req.url}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: chunks.length ? Buffer.concat(chunks) : undefined,
    });
    const rest = /^\/api\/v1\/sessions\/([^/]+)\/(quote|bars|portfolio|orders)(\?|$)/.exec(req.url ?? "");
    const response = rest
      ? await reads[rest[2] as keyof typeof reads].GET(request, { params: Promise.resolve({ id: decodeURIComponent(rest[1]!) }) })
      : await (req.method === "POST" ? route.POST : req.method === "GET" ? route.GET : route.DELETE)(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
  return srv;
}

async function sessionWithPositions(label: string): Promise<AgentFixture> {
  const f = await createAgentFixture(db, admin, await createUser(admin, label), { llm: "builtin:buy-and-hold" });
  await decideAt(db, f, { model: { ...f.model, llm: "builtin:buy-and-hold" } });
  await admin`update trading_sessions set symbols = ${UNIVERSE}, schedule = ${admin.json([DAY_OPEN.toISOString(), "2025-10-02T13:30:00.000Z"])},
              total_bars = 2, cursor = 1 where id = ${f.sessionId}`;
  return f;
}

async function connect(token: string): Promise<Client> {
  const c = new Client({ name: "bullpen-test", version: "1.0.0" });
  await c.connect(new StreamableHTTPClientTransport(new URL(`${origin}/api/mcp`), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  return c;
}

const call = (c: Client, name: string, args: Record<string, unknown> = {}) => c.callTool({ name, arguments: args }) as Promise<CallToolResult>;
const textOf = (r: CallToolResult) => (r.content[0] as { type: "text"; text: string }).text;
const countRows = async (table: "orders" | "fills" | "decisions", sessionId: string) =>
  ((await admin.unsafe(`select count(*)::int as n from ${table} where session_id = $1`, [sessionId])) as unknown as [{ n: number }])[0].n;

/** The same tool called in process, over the same session at the same clock (as the runner builds a context). */
async function inProcess(f: AgentFixture, name: keyof ReturnType<typeof createTradingTools>, input: unknown) {
  const tools = createTradingTools(await contextOf(db, f, DAY_OPEN), createToolRuntime());
  const options = { toolCallId: `in-process-${randomBytes(4).toString("hex")}`, messages: [], context: undefined as never } as ToolExecutionOptions<never>;
  return (tools[name].execute as (i: unknown, o: unknown) => Promise<unknown>)(input, options);
}

beforeAll(async () => {
  await importBarsFile(db, DAILY_FILE);
  alice = await sessionWithPositions("mcp-a");
  bob = await sessionWithPositions("mcp-b");
  aliceToken = (await createModelToken(alice.user.ctx, alice.model.id, { name: "Claude Code", sessionId: alice.sessionId }, db)).token;
  bobToken = (await createModelToken(bob.user.ctx, bob.model.id, { name: "bob's agent", sessionId: bob.sessionId }, db)).token;
  unboundToken = (await createModelToken(alice.user.ctx, alice.model.id, { name: "unbound" }, db)).token;
  server = await startRoute();
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await admin.end();
  await pool.end();
});

describe("the tools are the in-process agent's contract", () => {
  it("listTools: the contract's names, descriptions and the very JSON Schemas the in-process models are shown", async () => {
    const c = await connect(aliceToken);
    const { tools: listed } = await c.listTools();
    // The contract's tools, then the two of sessions an outside agent drives (start_session, end_turn: external-sessions.int.test.ts).
    expect(listed.map((t) => t.name)).toEqual([...TOOL_NAMES, "start_session", "end_turn"]);
    const tools = listed.slice(0, TOOL_NAMES.length);
    for (const t of tools) {
      const name = t.name as (typeof TOOL_NAMES)[number];
      expect(t.description).toBe(TOOL_DESCRIPTIONS[name]);
      expect(t.inputSchema).toEqual(await toolSchemas[name].jsonSchema);
      // No input names an identity or a time (the contract's rule, as the client sees it; timeInForce is an order's kind, not a time).
      expect(Object.keys(t.inputSchema.properties ?? {}).filter((k) => k !== "timeInForce").join(",")).not.toMatch(/model|user|session|account|owner|date|time|clock/i);
      expect(Object.keys(t.inputSchema.properties ?? {}).sort()).toEqual(Object.keys(toolInputSchemas[name].shape).sort());
    }
    // Every tool that changes the book is not read-only (place_order was shown read-only before #22 item 5); the reads are.
    const readOnly = Object.fromEntries(tools.map((t) => [t.name, t.annotations?.readOnlyHint]));
    expect(Object.keys(readOnly).filter((n) => readOnly[n] === false).sort()).toEqual([...BOOK_TOOL_NAMES].sort());
    expect(readOnly.get_quote).toBe(true);
    expect(readOnly.get_orders).toBe(true);
    expect(tools.filter((t) => t.annotations?.destructiveHint).map((t) => t.name).sort()).toEqual(["cancel_order", "close_all_positions", "close_position", "reduce_position", "replace_order"]);
    await c.close();
  });
});

describe("a token bound to a session", () => {
  it("read tools answer at the session's clock, exactly as in process: the quote is the bar's open, bars end before the clock", async () => {
    const c = await connect(aliceToken);
    const quote = await call(c, "get_quote", { symbol: "nvda" });
    expect(quote.isError).toBeFalsy();
    const q = quote.structuredContent as QuoteOutput;
    expect(q).toMatchObject({ symbol: "NVDA", basis: "open", at: DAY_OPEN.toISOString() });
    expect(q).toEqual(await inProcess(alice, "get_quote", { symbol: "nvda" }));
    expect(JSON.parse(textOf(quote))).toEqual(q);

    const bars = (await call(c, "get_bars", { symbol: "NVDA", limit: 500 })).structuredContent as BarsOutput;
    expect(bars.bars.length).toBeGreaterThan(50);
    // No look-ahead: the latest bar is the one before the clock (2025-09-30), never the bar in progress or later.
    expect(bars.bars.at(-1)!.t < DAY_OPEN.toISOString()).toBe(true);
    expect(bars.bars.at(-1)!.t.slice(0, 10)).toBe("2025-09-30");
    expect(bars).toEqual(await inProcess(alice, "get_bars", { symbol: "NVDA", limit: 500 }));

    const indicators = await call(c, "get_indicators", { symbol: "NVDA", indicators: [{ name: "rsi" }, { name: "sma", period: 50 }] });
    expect(indicators.structuredContent).toEqual(await inProcess(alice, "get_indicators", { symbol: "NVDA", indicators: [{ name: "rsi" }, { name: "sma", period: 50 }] }));
    expect((await call(c, "calculate", { expression: "(182.5 - 170) / 170 * 100" })).structuredContent).toEqual({ result: expect.closeTo(7.3529, 3) });
    expect((await call(c, "search_news", { query: "NVDA" })).isError).toBeFalsy();
    await c.close();
  });

  it("get_portfolio and the session resource show the session's own positions at its clock", async () => {
    const c = await connect(aliceToken);
    const portfolio = (await call(c, "get_portfolio")).structuredContent as PortfolioOutput;
    expect(portfolio.positions.map((p) => p.symbol).sort()).toEqual([...UNIVERSE].sort());
    expect(portfolio).toEqual(await inProcess(alice, "get_portfolio", {}));

    const { resources } = await c.listResources();
    expect(resources.map((r) => r.uri).sort()).toEqual(["bullpen://session", "bullpen://sessions"]);
    const read = await c.readResource({ uri: "bullpen://session" });
    const state = JSON.parse((read.contents[0] as { text: string }).text);
    expect(state.session).toMatchObject({ id: alice.sessionId, status: "running", clock: DAY_OPEN.toISOString(), progress: { done: 1, total: 2 }, driver: "model", turn: null });
    expect(state.portfolio).toEqual(portfolio);
    await c.close();
  });

  it("a trade tool is refused in words (the session is traded by its model in process): isError, nothing written", async () => {
    const before = await Promise.all([countRows("orders", alice.sessionId), countRows("fills", alice.sessionId), countRows("decisions", alice.sessionId)]);
    const c = await connect(aliceToken);
    const calls: [string, Record<string, unknown>][] = [
      ...["buy", "sell", "short", "cover"].map((name): [string, Record<string, unknown>] => [name, { symbol: "NVDA", quantity: 1 }]),
      ["place_order", { symbol: "NVDA", side: "buy", quantity: 1, type: "limit", limitPrice: 100, timeInForce: "gtc" }],
      ["cancel_order", { orderId: "00000000-0000-4000-8000-000000000000" }],
      ["replace_order", { orderId: "00000000-0000-4000-8000-000000000000", limitPrice: 101 }],
      ["close_position", { symbol: "NVDA" }],
      ["reduce_position", { symbol: "NVDA", percent: 50 }],
      ["close_all_positions", {}],
      ["place_option_order", { symbol: "NVDA251017C00180000", side: "buy", positionIntent: "buy_to_open", quantity: 1 }],
      ["exercise_option", { symbol: "NVDA251017C00180000", quantity: 1 }],
      ["close_strategy", { orderId: "00000000-0000-4000-8000-000000000000" }],
    ];
    expect(calls.map(([name]) => name).sort()).toEqual([...BOOK_TOOL_NAMES].sort());
    for (const [name, args] of calls) {
      const r = await call(c, name, args);
      expect(r.isError, name).toBe(true);
      expect(textOf(r)).toMatch(new RegExp(`^SESSION_NOT_EXTERNAL: ${name} cannot act in this session: it is traded by its own model \\(builtin:buy-and-hold\\) in process`));
    }
    // Reading the session's orders is not trading: get_orders answers, from the book at the clock.
    const orders = await call(c, "get_orders", { status: "all" });
    expect(orders.isError).toBeFalsy();
    expect(JSON.parse(textOf(orders))).toHaveProperty("orders");
    await c.close();
    expect(await Promise.all([countRows("orders", alice.sessionId), countRows("fills", alice.sessionId), countRows("decisions", alice.sessionId)])).toEqual(before);
  });

  it("bad arguments are refused with the in-process words, before anything runs; unknown tools too", async () => {
    const before = await countRows("orders", alice.sessionId);
    const c = await connect(aliceToken);
    const cases: [string, Record<string, unknown>][] = [
      ["buy", { symbol: "NVDA", quantity: 1.5 }],
      ["buy", { symbol: "NVDA", quantity: "10" }],
      ["get_bars", { symbol: "NVDA", limit: 501 }],
      ["get_quote", { symbol: "NOT A TICKER;" }],
      ["get_indicators", { symbol: "NVDA", indicators: [{ name: "rsi", fast: 3 }] }],
      ["search_news", { query: "x".repeat(5000) }],
    ];
    for (const [name, args] of cases) {
      const r = await call(c, name, args);
      expect(r.isError, `${name} ${JSON.stringify(args).slice(0, 60)}`).toBe(true);
      expect(textOf(r)).toMatch(new RegExp(`^INVALID_ARGUMENTS: ${name} does not take these arguments \\(`));
      const inProcessError = await inProcess(alice, name as "buy", args).then(() => null, (e: Error) => e.message);
      expect(textOf(r)).toBe(inProcessError);
    }
    const unknown = await call(c, "close_everything", { symbol: "NVDA" });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toMatch(/^UNKNOWN_TOOL: there is no tool named "close_everything"; the tools are get_quote, /);
    // A symbol outside the universe: the market view's words, as a model reads them.
    const outside = await call(c, "get_quote", { symbol: "ZZZZ" });
    expect(outside.isError).toBe(true);
    expect(textOf(outside)).toBe(await inProcess(alice, "get_quote", { symbol: "ZZZZ" }).then(() => null, (e: Error) => e.message));
    await c.close();
    expect(await countRows("orders", alice.sessionId)).toBe(before);
  });
});

describe("identity comes from the token only", () => {
  it("another user's token sees its own session: an input naming alice's session or model is dropped, never followed", async () => {
    const c = await connect(bobToken);
    const mine = (await call(c, "get_portfolio", { sessionId: alice.sessionId, modelId: alice.model.id, userId: alice.user.id })).structuredContent as PortfolioOutput;
    expect(mine).toEqual(await inProcess(bob, "get_portfolio", {}));
    const sessions = JSON.parse(((await c.readResource({ uri: "bullpen://sessions" })).contents[0] as { text: string }).text);
    expect(sessions.sessions.map((s: { id: string }) => s.id)).toEqual([bob.sessionId]);
    const state = JSON.parse(((await c.readResource({ uri: "bullpen://session" })).contents[0] as { text: string }).text);
    expect(state.session.id).toBe(bob.sessionId);
    // A trade naming alice's session is refused for bob's own session, and nothing lands in alice's.
    const ordersOfAlice = await countRows("orders", alice.sessionId);
    const r = await call(c, "buy", { symbol: "NVDA", quantity: 1, sessionId: alice.sessionId });
    expect(r.isError).toBe(true);
    expect(await countRows("orders", alice.sessionId)).toBe(ordersOfAlice);
    await c.close();
  });

  it("an unbound token: calculate and the model's sessions only; session tools answer NO_SESSION", async () => {
    const c = await connect(unboundToken);
    for (const name of ["get_quote", "get_portfolio", "buy"]) {
      const r = await call(c, name, name === "get_portfolio" ? {} : { symbol: "NVDA", quantity: 1 });
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(new RegExp(`^NO_SESSION: ${name}: this API token is not bound to a session`));
    }
    expect((await call(c, "calculate", { expression: "2 * 21" })).structuredContent).toEqual({ result: 42 });
    const { resources } = await c.listResources();
    expect(resources.map((r) => r.uri).sort()).toEqual(["bullpen://session", "bullpen://sessions"]);
    // The session it drives, once it has started one (start_session): none yet.
    await expect(c.readResource({ uri: "bullpen://session" })).rejects.toThrow(/NO_SESSION: this API token is not bound to a session/);
    const sessions = JSON.parse(((await c.readResource({ uri: "bullpen://sessions" })).contents[0] as { text: string }).text);
    expect(sessions).toMatchObject({ boundTo: null, sessions: [{ id: alice.sessionId, clock: DAY_OPEN.toISOString() }] });
    await c.close();
  });
});

describe("refused tokens: 401 at once, nothing written", () => {
  const post = (token: string | null) =>
    fetch(`${origin}/api/mcp`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "buy", arguments: { symbol: "NVDA", quantity: 1 } } }),
    });

  it("missing, forged, revoked and expired tokens", async () => {
    const revoked = await createModelToken(alice.user.ctx, alice.model.id, { name: "to revoke", sessionId: alice.sessionId }, db);
    const expired = await createModelToken(alice.user.ctx, alice.model.id, { name: "expired", expiresInDays: 1, sessionId: alice.sessionId }, db, new Date(Date.now() - 2 * 86_400_000));
    // The revoked token worked a moment ago; refused on the very next request.
    const c = await connect(revoked.token);
    expect((await call(c, "get_quote", { symbol: "NVDA" })).isError).toBeFalsy();
    await revokeModelToken(alice.user.ctx, alice.model.id, revoked.id, db);
    const refused = await call(c, "get_quote", { symbol: "NVDA" }).then(() => null, (e: Error & { code?: number }) => e);
    expect(refused?.code).toBe(401);
    expect(refused?.message).toMatch(/TOKEN_REVOKED.*This API token was revoked; create a new one on the model's page/);

    const ordersBefore = await countRows("orders", alice.sessionId);
    const cases: [string | null, string][] = [
      [null, "UNAUTHENTICATED"],
      [`bp_${randomBytes(32).toString("base64url")}`, "INVALID_TOKEN"],
      ["not-a-token", "INVALID_TOKEN"],
      [revoked.token, "TOKEN_REVOKED"],
      [expired.token, "TOKEN_EXPIRED"],
      [`${aliceToken}x`, "INVALID_TOKEN"],
    ];
    for (const [token, code] of cases) {
      const res = await post(token);
      expect(res.status, code).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer /);
      expect((await res.json()).error.code).toBe(code);
    }
    // The official client: connecting with a refused token fails (no OAuth dance is offered).
    await expect(connect(expired.token)).rejects.toThrow();
    expect(await countRows("orders", alice.sessionId)).toBe(ordersBefore);
    const [stamp] = await admin<{ last_used_at: Date | null }[]>`select last_used_at from model_tokens where id = ${expired.id}`;
    expect(stamp!.last_used_at).toBeNull();
  });

  it("GET and DELETE are 405 (stateless server); a body that is not JSON is a 400 in words", async () => {
    for (const method of ["GET", "DELETE"]) {
      const res = await fetch(`${origin}/api/mcp`, { method, headers: { authorization: `Bearer ${aliceToken}` } });
      expect(res.status).toBe(405);
      expect(res.headers.get("allow")).toBe("POST");
    }
    const res = await fetch(`${origin}/api/mcp`, { method: "POST", headers: { authorization: `Bearer ${aliceToken}`, "content-type": "application/json" }, body: "{not json" });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toBeTruthy();
  });

  it("a body over 1 MB is a 413 in words, before any tool runs", async () => {
    const before = await countRows("orders", alice.sessionId);
    const huge = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "search_news", arguments: { query: "x".repeat(1_100_000) } } });
    const res = await fetch(`${origin}/api/mcp`, { method: "POST", headers: { authorization: `Bearer ${aliceToken}`, "content-type": "application/json", accept: "application/json, text/event-stream" }, body: huge });
    expect(res.status).toBe(413);
    expect((await res.json()).error.message).toMatch(/MB/);
    expect(await countRows("orders", alice.sessionId)).toBe(before);
  });
});

describe("the rate limit counts per token", () => {
  it("past the token's limit: 429 with Retry-After; another token of the same model is counted apart", async () => {
    const limit = createRateLimit({ name: `mcp-test-${randomUUID().slice(0, 8)}`, points: 2, seconds: 60, what: "Too many requests with this API token" }, db);
    const other = (await createModelToken(alice.user.ctx, alice.model.id, { name: "other", sessionId: alice.sessionId }, db)).token;
    const list = (token: string) =>
      handleMcpRequest(
        new Request(`${origin}/api/mcp`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json, text/event-stream" },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
        }),
        { db, limit },
      );
    expect((await list(aliceToken)).status).toBe(200);
    expect((await list(aliceToken)).status).toBe(200);
    const third = await list(aliceToken);
    expect(third.status).toBe(429);
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await third.json()).error.code).toBe("RATE_LIMITED");
    expect((await list(other)).status).toBe(200);
  });
});

describe("the same reads over REST (GET /api/v1/sessions/:id/quote, bars, portfolio, orders) with a model token", () => {
  const get = (path: string, token: string) => fetch(`${origin}/api/v1/sessions/${path}`, { headers: { authorization: `Bearer ${token}` } });

  it("answer what the MCP tools answer, at the session's clock", async () => {
    const c = await connect(aliceToken);
    const quote = await get(`${alice.sessionId}/quote?symbol=NVDA`, aliceToken);
    expect(quote.status).toBe(200);
    expect(await quote.json()).toEqual((await call(c, "get_quote", { symbol: "NVDA" })).structuredContent);
    const bars = await get(`${alice.sessionId}/bars?symbol=NVDA&limit=20`, aliceToken);
    expect(await bars.json()).toEqual((await call(c, "get_bars", { symbol: "NVDA", limit: 20 })).structuredContent);
    const portfolio = await get(`${alice.sessionId}/portfolio`, aliceToken);
    expect(await portfolio.json()).toEqual((await call(c, "get_portfolio")).structuredContent);
    await c.close();
    // A token bound to no session may read any session of its model, named in the path.
    expect((await get(`${alice.sessionId}/portfolio`, unboundToken)).status).toBe(200);
    // The session's orders (the buy-and-hold's first bar), as the owner reads them.
    const orders = await get(`${alice.sessionId}/orders`, aliceToken);
    expect(orders.status).toBe(200);
    const listed = (await orders.json()).orders as { symbol: string; status: string }[];
    expect(listed.map((o) => o.symbol).sort()).toEqual([...UNIVERSE].sort());
    expect((await get(`${bob.sessionId}/orders`, aliceToken)).status).toBe(404);
  });

  it("an unbound token reads only its own model's sessions: another model of the same user is 404", async () => {
    const otherModel = await createAgentFixture(db, admin, alice.user, { llm: "builtin:momentum" });
    for (const path of ["portfolio", "orders", "quote?symbol=NVDA"]) {
      const res = await get(`${otherModel.sessionId}/${path}`, unboundToken);
      expect(res.status, path).toBe(404);
      expect(await res.json()).toEqual({ error: { code: "NOT_FOUND", message: "Trading session not found" } });
    }
  });

  it("another user's session, another session than the token's, a bad id: 404 like a missing one; bad input 400 in words; bad tokens 401", async () => {
    for (const [path, token] of [
      [`${alice.sessionId}/portfolio`, bobToken],
      [`${bob.sessionId}/portfolio`, aliceToken],
      [`${bob.sessionId}/portfolio`, unboundToken],
      [`${randomUUID()}/quote?symbol=NVDA`, unboundToken],
      ["not-a-uuid/quote?symbol=NVDA", unboundToken],
    ] as const) {
      const res = await get(path, token);
      expect(res.status, path).toBe(404);
      expect(await res.json()).toEqual({ error: { code: "NOT_FOUND", message: "Trading session not found" } });
    }
    const tooMany = await get(`${alice.sessionId}/bars?symbol=NVDA&limit=501`, aliceToken);
    expect(tooMany.status).toBe(400);
    expect(await tooMany.json()).toEqual({ error: { code: "INVALID_ARGUMENTS", message: expect.stringMatching(/^get_bars does not take these arguments \(limit: /) } });
    const unknown = await get(`${alice.sessionId}/quote?symbol=NVDA&sessionId=${bob.sessionId}`, aliceToken);
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error.fields).toEqual({ query: "unknown parameter(s): sessionId" });
    const outside = await get(`${alice.sessionId}/quote?symbol=ZZZZ`, aliceToken);
    expect(outside.status).toBe(400);
    expect((await outside.json()).error.code).toBe("NOT_IN_UNIVERSE");
    const forged = await get(`${alice.sessionId}/portfolio`, `bp_${randomBytes(32).toString("base64url")}`);
    expect(forged.status).toBe(401);
    expect(forged.headers.get("www-authenticate")).toMatch(/^Bearer /);
    expect((await forged.json()).error.code).toBe("INVALID_TOKEN");
  });
});
