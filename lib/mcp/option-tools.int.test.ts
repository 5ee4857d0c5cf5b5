import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes, randomUUID } from "node:crypto";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { ToolExecutionOptions } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toolOutputSchemas, type OptionChainOutput } from "@/lib/agent/tool-contract";
import { createModelToken } from "@/lib/services/model-tokens";
import { importBarsFile } from "@/lib/services/market-data/import-file";
import { createToolRuntime, createTradingTools } from "@/lib/trading/tools";
import { contextOf, createAgentFixture, DAILY_FILE, DAY_OPEN, UNIVERSE, type AgentFixture } from "@/tests/support/agent-fixtures";
import { adminSql, createUser, testDb } from "@/tests/support/database";

/**
 * The option tools for outside agents (docs/mcp.md, docs/api.md): get_option_chain and get_option_quote through the MCP
 * route with the OFFICIAL MCP SDK client, and GET /api/v1/sessions/:id/options/chain, on a real PostgreSQL with the real
 * NASDAQ-100 daily bars, at the session's clock (the open of 2025-10-01), compared with the same tools in process.
 */

const admin = adminSql();
const { db, client: pool } = testDb();
(globalThis as unknown as { bullpenDb?: unknown }).bullpenDb = { client: pool, db };

let origin = "";
let server: http.Server;
let alice: AgentFixture;
let bob: AgentFixture;
let aliceToken = "";
let bobToken = "";

async function startRoutes() {
  const mcp = await import("@/app/api/mcp/route");
  const chain = await import("@/app/api/v1/sessions/[id]/options/chain/route");
  const srv = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const request = new Request(`${origin}${req.url}`, { method: req.method, headers: req.headers as Record<string, string>, body: chunks.length ? Buffer.concat(chunks) : undefined });
    const rest = /^\/api\/v1\/sessions\/([^/]+)\/options\/chain(\?|$)/.exec(req.url ?? "");
    const response = rest
      ? await (req.method === "GET" ? chain.GET : chain.POST)(request, { params: Promise.resolve({ id: decodeURIComponent(rest[1]!) }) })
      : await (req.method === "POST" ? mcp.POST : req.method === "GET" ? mcp.GET : mcp.DELETE)(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
  return srv;
}

/** A session of the buy-and-hold built-in over the universe, its clock at the open of 2025-10-01 (not yet run). */
async function session(label: string): Promise<AgentFixture> {
  const f = await createAgentFixture(db, admin, await createUser(admin, label), { llm: "builtin:buy-and-hold" });
  await admin`update trading_sessions set symbols = ${UNIVERSE}, schedule = ${admin.json([DAY_OPEN.toISOString(), "2025-10-02T13:30:00.000Z"])},
              total_bars = 2, cursor = 0 where id = ${f.sessionId}`;
  return f;
}

async function connect(token: string): Promise<Client> {
  const c = new Client({ name: "bullpen-test", version: "1.0.0" });
  await c.connect(new StreamableHTTPClientTransport(new URL(`${origin}/api/mcp`), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  return c;
}
const call = (c: Client, name: string, args: Record<string, unknown> = {}) => c.callTool({ name, arguments: args }) as Promise<CallToolResult>;
const textOf = (r: CallToolResult) => (r.content[0] as { type: "text"; text: string }).text;
const get = (path: string, token: string) => fetch(`${origin}/api/v1/sessions/${path}`, { headers: { authorization: `Bearer ${token}` } });

async function inProcess(f: AgentFixture, name: "get_option_chain" | "get_option_quote", input: unknown) {
  const tools = createTradingTools(await contextOf(db, f, DAY_OPEN), createToolRuntime());
  const options = { toolCallId: `in-process-${randomBytes(4).toString("hex")}`, messages: [], context: undefined as never } as ToolExecutionOptions<never>;
  return (tools[name].execute as (i: unknown, o: unknown) => Promise<unknown>)(input, options);
}

beforeAll(async () => {
  await importBarsFile(db, DAILY_FILE);
  alice = await session("options-a");
  bob = await session("options-b");
  aliceToken = (await createModelToken(alice.user.ctx, alice.model.id, { name: "agent", sessionId: alice.sessionId }, db)).token;
  bobToken = (await createModelToken(bob.user.ctx, bob.model.id, { name: "bob's agent", sessionId: bob.sessionId }, db)).token;
  server = await startRoutes();
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await admin.end();
  await pool.end();
});

describe("get_option_chain and get_option_quote over MCP", () => {
  it("are listed read-only and answer at the session's clock exactly as in process, every contract modelled", async () => {
    const c = await connect(aliceToken);
    const { tools } = await c.listTools();
    for (const name of ["get_option_chain", "get_option_quote"]) expect(tools.find((t) => t.name === name)?.annotations?.readOnlyHint, name).toBe(true);
    const args = { underlying: "NVDA", expiry: "2025-10-17", minDelta: 0.2, maxDelta: 0.8 };
    const chain = await call(c, "get_option_chain", args);
    expect(chain.isError).toBeFalsy();
    const out = toolOutputSchemas.get_option_chain.parse(chain.structuredContent);
    expect(out).toEqual(await inProcess(alice, "get_option_chain", args));
    expect(out.at).toBe(DAY_OPEN.toISOString());
    expect(out.contracts.length).toBeGreaterThan(4);
    expect(out.contracts.every((r) => r.source === "modelled" && r.symbol.startsWith("NVDA251017"))).toBe(true);
    const first = out.contracts[0]!;
    const one = await call(c, "get_option_quote", { symbol: first.symbol });
    expect(one.structuredContent).toMatchObject(first);
    expect(one.structuredContent).toEqual(await inProcess(alice, "get_option_quote", { symbol: first.symbol }));
    await c.close();
  });

  it("a contract that is not listed, or arguments outside the contract: an error result in words", async () => {
    const c = await connect(aliceToken);
    const expired = await call(c, "get_option_quote", { symbol: "NVDA250919C00180000" });
    expect(expired.isError).toBe(true);
    expect(textOf(expired)).toMatch(/^INVALID_REQUEST: NVDA250919C00180000: the expiry 2025-09-19 has expired/);
    const both = await call(c, "get_option_chain", { underlying: "NVDA", expiry: "2025-10-17", expiryFrom: "2025-10-01" });
    expect(textOf(both)).toMatch(/^INVALID_ARGUMENTS: get_option_chain does not take these arguments \(expiry: give either expiry or expiryFrom\/expiryTo, not both\)/);
    await c.close();
  });
});

describe("GET /api/v1/sessions/:id/options/chain", () => {
  it("answers what the MCP tool answers", async () => {
    const c = await connect(aliceToken);
    const res = await get(`${alice.sessionId}/options/chain?underlying=AAPL&expiry=2025-10-17&right=call&minStrike=240&maxStrike=260`, aliceToken);
    expect(res.status).toBe(200);
    const body = (await res.json()) as OptionChainOutput;
    expect(body).toEqual((await call(c, "get_option_chain", { underlying: "AAPL", expiry: "2025-10-17", right: "call", minStrike: 240, maxStrike: 260 })).structuredContent);
    expect(body.contracts.map((r) => r.symbol)).toEqual(["AAPL251017C00240000", "AAPL251017C00245000", "AAPL251017C00250000", "AAPL251017C00255000", "AAPL251017C00260000"]);
    await c.close();
  });

  it("bad parameters: 400 in words, nothing else read", async () => {
    for (const [query, code, words] of [
      ["expiry=2025-10-17", "VALIDATION_FAILED", /query string/],
      ["underlying=AAPL&minDelta=abc", "VALIDATION_FAILED", /query string/],
      ["underlying=AAPL&expiry=someday", "INVALID_ARGUMENTS", /expiry: an expiry is a day "YYYY-MM-DD"/],
      ["underlying=AAPL&minStrike=300&maxStrike=200", "INVALID_ARGUMENTS", /minStrike 300 is above maxStrike 200/],
      ["underlying=ZZZZ", "NOT_IN_UNIVERSE", /ZZZZ is not in this session's universe/],
      ["underlying=AAPL&sessionId=x", "VALIDATION_FAILED", /query string/],
    ] as const) {
      const res = await get(`${alice.sessionId}/options/chain?${query}`, aliceToken);
      expect(res.status, query).toBe(400);
      const { error } = await res.json();
      expect(error.code, query).toBe(code);
      expect(error.message, query).toMatch(words);
    }
  });

  it("another user's session, a missing one, a bad id: 404 like the other reads; another method: 405", async () => {
    for (const [path, token] of [
      [`${alice.sessionId}/options/chain?underlying=AAPL`, bobToken],
      [`${bob.sessionId}/options/chain?underlying=AAPL`, aliceToken],
      [`${randomUUID()}/options/chain?underlying=AAPL`, aliceToken],
      ["not-a-uuid/options/chain?underlying=AAPL", aliceToken],
    ] as const) {
      const res = await get(path, token);
      expect(res.status, path).toBe(404);
      expect(await res.json()).toEqual({ error: { code: "NOT_FOUND", message: "Trading session not found" } });
    }
    const post = await fetch(`${origin}/api/v1/sessions/${alice.sessionId}/options/chain`, { method: "POST", headers: { authorization: `Bearer ${aliceToken}` } });
    expect(post.status).toBe(405);
  });
});
