import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBoss } from "@/lib/jobs/boss";
import { createSessionJobs, type SessionJobs } from "@/lib/jobs/session-jobs";
import { startWorker, type Worker } from "@/lib/jobs/worker";
import { importBarsFile } from "@/lib/services/market-data/import-file";
import { createModelToken, revokeModelToken } from "@/lib/services/model-tokens";
import { startAgentSession } from "@/lib/services/outside-agent";
import { createSession } from "@/lib/services/sessions/create";
import { controlSession } from "@/lib/services/sessions/control";
import { DAILY_FILE } from "@/tests/support/agent-fixtures";
import { createUser, type TestUser } from "@/tests/support/database";
import { createModel, freshSessionDatabase, waitForStatus } from "@/tests/support/session-fixtures";
import { handleMcpRequest } from "./handler";

/**
 * Sessions an outside agent drives (issue #25 item 3; docs/sessions.md): the OFFICIAL MCP SDK client and plain HTTP
 * against the route handlers on a real HTTP port, a real PostgreSQL of its own, real pg-boss and a real worker (the
 * turn's idle timeout), on the real NASDAQ-100 daily bars (../shared/data).
 *
 * The hand computation (NVDA, 2025-10-01 → 2025-10-03; opens 185.24, 189.60, 189.19; Oct 1 low 183.90; no fees, no slippage):
 *   bar 0: buy 10 at the open 185.24 → cash 100000 − 1852.40 = 98147.60; a gtc limit buy 5 at 184.00 (holds 920.00).
 *          mark: 98147.60 + 10 × 185.24 = 100000.00
 *   bar 1: the limit meets bar 0 (low 183.90 ≤ 184.00 < open 185.24): filled 5 at 184.00 → cash 97227.60, 15 shares.
 *          mark: 97227.60 + 15 × 189.60 = 100071.60
 *   bar 2: sell 15 at the open 189.19 → cash 97227.60 + 2837.85 = 100065.45; mark 100065.45 (the session completes)
 *   total return 100065.45 / 100000 − 1 = 0.0006545
 */

let env: Awaited<ReturnType<typeof freshSessionDatabase>>;
let boss: PgBoss;
let jobs: SessionJobs;
let shortJobs: SessionJobs;
let worker: Worker;
let server: http.Server;
let origin = "";
let alice: TestUser;
let bob: TestUser;
let modelA = "";
let modelB = "";
let bobModel = "";

const TURN_TIMEOUT_SECONDS = 2;

async function startServer() {
  const orders = await import("@/app/api/v1/sessions/[id]/orders/route");
  const order = await import("@/app/api/v1/sessions/[id]/orders/[orderId]/route");
  const advance = await import("@/app/api/v1/sessions/[id]/advance/route");
  const portfolio = await import("@/app/api/v1/sessions/[id]/portfolio/route");
  const sessions = await import("@/app/api/v1/sessions/route");
  const srv = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const request = new Request(`${origin}${req.url}`, { method: req.method, headers: req.headers as Record<string, string>, body: chunks.length ? Buffer.concat(chunks) : undefined });
    const url = req.url ?? "";
    let response: Response;
    const one = /^\/api\/v1\/sessions\/([^/]+)\/orders\/([^/?]+)$/.exec(url);
    const rest = /^\/api\/v1\/sessions\/([^/]+)\/(orders|advance|portfolio)(\?|$)/.exec(url);
    if (url === "/api/v1/sessions" && req.method === "POST") response = await sessions.POST(request);
    else if (one) response = await order.DELETE(request, { params: Promise.resolve({ id: one[1]!, orderId: one[2]! }) });
    else if (rest) {
      const params = { params: Promise.resolve({ id: rest[1]! }) };
      const route = { orders, advance, portfolio }[rest[2] as "orders"] as unknown as Record<string, (r: Request, p: typeof params) => Promise<Response>>;
      response = await route[req.method!]!(request, params);
    } else response = await handleMcpRequest(request, { db: env.db, jobs, limit: null });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
  return srv;
}

beforeAll(async () => {
  env = await freshSessionDatabase("external_sessions");
  await importBarsFile(env.db, DAILY_FILE);
  // The route handlers use the process-wide pool and job sender: this test's database and pg-boss.
  (globalThis as unknown as { bullpenDb?: unknown }).bullpenDb = { db: env.db, client: env.sql };
  boss = await startBoss(env.url, { supervise: false, max: 2 });
  jobs = createSessionJobs(boss); // the app's timeout (300 s): never fires during this test
  shortJobs = createSessionJobs(boss, { turnTimeoutSeconds: TURN_TIMEOUT_SECONDS });
  (globalThis as unknown as { bullpenJobs?: Promise<SessionJobs> }).bullpenJobs = Promise.resolve(jobs);
  worker = await startWorker({ url: env.url, concurrency: 1, sliceSeconds: 60, turnTimeoutSeconds: TURN_TIMEOUT_SECONDS, log: () => {} });
  alice = await createUser(env.sql, "ext-a");
  bob = await createUser(env.sql, "ext-b");
  modelA = await createModel(env.sql, alice, { startingCash: "100000" });
  modelB = await createModel(env.sql, alice, { startingCash: "100000" });
  bobModel = await createModel(env.sql, bob, { startingCash: "100000" });
  server = await startServer();
}, 120_000);

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await worker?.stop();
  await boss?.stop({ graceful: false, timeout: 1000 });
  await env?.drop();
});

async function connect(token: string): Promise<Client> {
  const c = new Client({ name: "bullpen-external-test", version: "1.0.0" });
  await c.connect(new StreamableHTTPClientTransport(new URL(`${origin}/api/mcp`), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  return c;
}
const call = (c: Client, name: string, args: Record<string, unknown> = {}, key?: string) =>
  c.callTool({ name, arguments: args, ...(key ? { _meta: { "bullpen/idempotencyKey": key } } : {}) }) as Promise<CallToolResult>;
const textOf = (r: CallToolResult) => (r.content[0] as { type: "text"; text: string }).text;
const ok = (r: CallToolResult) => {
  expect(r.isError, r.isError ? textOf(r) : "").toBeFalsy();
  return r.structuredContent as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
};
const token = async (user: TestUser, modelId: string, name: string, sessionId?: string) =>
  (await createModelToken(user.ctx, modelId, { name, ...(sessionId ? { sessionId } : {}) }, env.db)).token;
const counts = async (sessionId: string) => {
  const [row] = await env.sql<{ orders: number; fills: number; decisions: number; cursor: number; events: number }[]>`
    select (select count(*)::int from orders where session_id = ${sessionId}) as orders, (select count(*)::int from fills where session_id = ${sessionId}) as fills,
           (select count(*)::int from decisions where session_id = ${sessionId}) as decisions, (select cursor from trading_sessions where id = ${sessionId}) as cursor,
           (select count(*)::int from session_events where session_id = ${sessionId}) as events`;
  return row!;
};
const RANGE = { interval: "day", start: "2025-10-01", end: "2025-10-03", symbols: ["NVDA"] };

describe("an outside-driven daily backtest over MCP (the official SDK client) on the real NASDAQ-100 bars", () => {
  it("start_session, orders, end_turn to the end: fills, equity and metrics equal the hand computation", { timeout: 60_000 }, async () => {
    const agentToken = await token(alice, modelA, "Claude Code");
    const c = await connect(agentToken);
    const names = (await c.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(["start_session", "end_turn", "buy", "place_order", "get_portfolio"]));

    const started = ok(await call(c, "start_session", RANGE));
    const sessionId = started.session.id as string;
    expect(started.session).toMatchObject({ driver: "external", status: "running", clock: "2025-10-01T13:30:00.000Z", progress: { done: 0, total: 3 }, turn: { bar: 0 }, symbols: ["NVDA"] });
    expect(started.portfolio).toMatchObject({ cash: "100000.00" });
    const [row] = await env.sql`select driver, driver_token_id, runner_id from trading_sessions where id = ${sessionId}`;
    const [tok] = await env.sql`select id from model_tokens where name = 'Claude Code' and model_id = ${modelA}`;
    expect(row).toMatchObject({ driver: "external", driver_token_id: tok!.id });

    // Bar 0 (Oct 1, at its open): the quote is the open, nothing after it is seen.
    expect(ok(await call(c, "get_quote", { symbol: "NVDA" }))).toMatchObject({ symbol: "NVDA", price: 185.24, at: "2025-10-01T13:30:00.000Z" });
    const bought = ok(await call(c, "buy", { symbol: "NVDA", quantity: 10 }, "buy-bar0"));
    expect(bought).toMatchObject({ status: "filled", price: "185.24", quantity: 10, duplicate: false });
    // The same idempotency id again: the same order, nothing traded twice.
    const again = ok(await call(c, "buy", { symbol: "NVDA", quantity: 10 }, "buy-bar0"));
    expect(again).toMatchObject({ orderId: bought.orderId, duplicate: true });
    const limit = ok(await call(c, "place_order", { symbol: "NVDA", side: "buy", quantity: 5, type: "limit", limitPrice: 184, timeInForce: "gtc" }, "limit-bar0"));
    expect(limit.status).toBe("accepted");
    expect(ok(await call(c, "get_portfolio"))).toMatchObject({ cash: "98147.60", positions: [{ symbol: "NVDA", quantity: 10 }] });
    // Nothing of the turn is in the ledger before it ends.
    expect(await counts(sessionId)).toMatchObject({ orders: 0, fills: 0, decisions: 0, cursor: 0 });

    const end0 = ok(await call(c, "end_turn"));
    expect(end0).toMatchObject({ bar: 0, status: "running", next: { bar: 1, clock: "2025-10-02T13:30:00.000Z" }, progress: { done: 1, total: 3 }, decision: { outcome: "traded", calls: 5, filledOrders: 1 } });
    expect(Number(end0.equity)).toBe(100000);

    // Bar 1: the limit met bar 0 (low 183.90) and filled at 184.00 before the agent's turn.
    expect(ok(await call(c, "get_portfolio"))).toMatchObject({ cash: "97227.60", positions: [{ symbol: "NVDA", quantity: 15 }] });
    const end1 = ok(await call(c, "end_turn"));
    expect(end1).toMatchObject({ bar: 1, decision: { outcome: "held", calls: 1 } });
    expect(Number(end1.equity)).toBeCloseTo(100071.6, 6);

    // Bar 2, the last: sell everything at the open; ending the turn completes the session.
    expect(ok(await call(c, "sell", { symbol: "NVDA", quantity: 15 }))).toMatchObject({ status: "filled", price: "189.19" });
    const end2 = ok(await call(c, "end_turn"));
    expect(end2).toMatchObject({ bar: 2, status: "completed", next: null, progress: { done: 3, total: 3 } });

    const fills = await env.sql<{ side: string; quantity: string; price: string; filled_at: Date }[]>`
      select side, quantity::text, price::text, filled_at from fills where session_id = ${sessionId} order by created_at`;
    expect(fills.map((f) => [f.side, Number(f.quantity), Number(f.price), f.filled_at.toISOString().slice(0, 10)])).toEqual([
      ["buy", 10, 185.24, "2025-10-01"],
      ["buy", 5, 184, "2025-10-01"],
      ["sell", 15, 189.19, "2025-10-03"],
    ]);
    const equity = await env.sql<{ equity: string }[]>`select equity::text from session_equity where session_id = ${sessionId} order by bar_index`;
    expect(equity.map((e) => Number(e.equity))).toEqual([100000, 100071.6, 100065.45]);
    const [done] = await env.sql<{ status: string; metrics: { totalReturn: number; tradeCount: number } }[]>`select status, metrics from trading_sessions where id = ${sessionId}`;
    expect(done!.status).toBe("completed");
    expect(done!.metrics.totalReturn).toBeCloseTo(0.0006545, 9);
    expect(done!.metrics.tradeCount).toBe(3);
    const [account] = await env.sql<{ cash: string }[]>`select cash::text from accounts where session_id = ${sessionId}`;
    expect(Number(account!.cash)).toBe(100065.45);

    // Each bar's decision records the agent's calls, in order.
    const decisions = await env.sql<{ llm: string; finish_reason: string; tool_calls: { name: string; id: string; duplicate?: boolean }[] }[]>`
      select llm, finish_reason, tool_calls from decisions where session_id = ${sessionId} order by clock`;
    expect(decisions.map((d) => d.tool_calls.map((t) => t.name))).toEqual([["get_quote", "buy", "buy", "place_order", "get_portfolio"], ["get_portfolio"], ["sell"]]);
    expect(decisions[0]!.tool_calls.filter((t) => t.name === "buy").map((t) => [t.id, t.duplicate])).toEqual([["buy-bar0", false], ["buy-bar0", true]]);
    expect(decisions.every((d) => d.llm === "external" && d.finish_reason === "end_turn")).toBe(true);
    const texts = await env.sql<{ text: string }[]>`select text from decisions where session_id = ${sessionId}`;
    expect(texts.map((d) => d.text)).toEqual(["Driven by: Claude Code.", "Driven by: Claude Code.", "Driven by: Claude Code."]);
    // "driven by" on the viewer's, the leaderboard's and the audit's rows.
    const { getSessionCardById } = await import("@/lib/db/queries/session-view");
    const { listCompletedSessionsByUser } = await import("@/lib/db/queries/leaderboard");
    const { withUser } = await import("@/lib/db/rls");
    const card = await withUser(alice.claims, (tx) => getSessionCardById(tx, { id: sessionId, userId: alice.id }), env.db);
    expect(card!.drivenBy).toBe("Claude Code");
    const board = await withUser(alice.claims, (tx) => listCompletedSessionsByUser(tx, { userId: alice.id, limit: 50 }), env.db);
    expect(board.rows.find((r) => r.id === sessionId)!.drivenBy).toBe("Claude Code");
    const { listAuditOrders } = await import("@/lib/db/queries/audit");
    const { parseAuditFilter } = await import("@/lib/schemas/audit");
    const filter = parseAuditFilter(new URLSearchParams());
    if (!filter.success) throw filter.error;
    const audit = await withUser(alice.claims, (tx) => listAuditOrders(tx, filter.data), env.db);
    const ofSession = audit.rows.filter((r) => r.sessionId === sessionId);
    expect(ofSession.length).toBeGreaterThan(0);
    expect(new Set(ofSession.map((r) => r.drivenBy))).toEqual(new Set(["Claude Code"])); // the audit says who drove each order
    // Streamed as a model's bars are: per bar a decision, the orders and fills, an equity point; and the end.
    const events = await env.sql<{ type: string }[]>`select type from session_events where session_id = ${sessionId} order by seq`;
    expect(events.filter((e) => e.type === "equity")).toHaveLength(3);
    expect(events.filter((e) => e.type === "decision")).toHaveLength(3);
    expect(events.filter((e) => e.type === "fill")).toHaveLength(3);
    expect(events.at(-1)!.type).toBe("status");

    // The session is over: a trade is refused in words, nothing written.
    const late = await call(c, "buy", { symbol: "NVDA", quantity: 1 });
    expect(late.isError).toBe(true);
    expect(textOf(late)).toMatch(/^SESSION_ENDED: buy: this session has ended \(completed\)/);
    // Its portfolio still reads, at its last bar.
    expect(ok(await call(c, "get_portfolio")).cash).toBe("100065.45");
    await c.close();
  });

  it("bad input is refused in words (isError), and nothing is written", async () => {
    const agentToken = await token(alice, modelB, "bad input");
    const c = await connect(agentToken);
    const sessionsBefore = (await env.sql`select count(*)::int as n from trading_sessions`)[0]!.n;
    const bad: [string, Record<string, unknown>, RegExp][] = [
      ["start_session", { ...RANGE, interval: "week" }, /^INVALID_ARGUMENTS: start_session does not take these arguments \(interval: interval must be "day" or "hour"/],
      ["start_session", { ...RANGE, sessionId: randomUUID() }, /^INVALID_ARGUMENTS: start_session does not take these arguments \(the arguments: unknown field\(s\) sessionId/],
      ["start_session", { ...RANGE, start: "2025-02-30" }, /^INVALID_ARGUMENTS: start_session does not take these arguments \(start: start must be a date as YYYY-MM-DD/],
      ["start_session", { ...RANGE, symbols: "NVDA" }, /^INVALID_ARGUMENTS: .*symbols must be a list of tickers/],
      ["end_turn", {}, /^NO_SESSION: end_turn: this API token is not bound to a session/],
      ["buy", { symbol: "NVDA", quantity: 1 }, /^NO_SESSION: buy/],
    ];
    for (const [name, args, words] of bad) {
      const r = await call(c, name, args);
      expect(r.isError, `${name} ${JSON.stringify(args)}`).toBe(true);
      expect(textOf(r)).toMatch(words);
    }
    expect((await env.sql`select count(*)::int as n from trading_sessions`)[0]!.n).toBe(sessionsBefore);

    const { session } = ok(await call(c, "start_session", RANGE));
    const before = await counts(session.id);
    for (const [name, args, words] of [
      ["buy", { symbol: "NVDA", quantity: "10" }, /^INVALID_ARGUMENTS: buy does not take these arguments \(quantity: /],
      ["get_quote", { symbol: "ZZZZ" }, /^NOT_IN_UNIVERSE: /],
      ["end_turn", { bar: 0 }, /^INVALID_ARGUMENTS: end_turn does not take these arguments \(unknown field\(s\) bar/],
      ["start_session", RANGE, /^SESSION_IN_PROGRESS: start_session: this token already drives session /],
      ["cancel_order", { orderId: randomUUID() }, /^UNKNOWN_ORDER: no working order /],
    ] as const) {
      const r = await call(c, name, args as Record<string, unknown>);
      expect(r.isError, name).toBe(true);
      expect(textOf(r)).toMatch(words);
    }
    expect(await counts(session.id)).toEqual(before);
    const [turn] = await env.sql<{ turn_calls: unknown[] }[]>`select turn_calls from trading_sessions where id = ${session.id}`;
    expect(turn!.turn_calls).toEqual([]); // a call that failed is not in the turn either
    await c.close();
  });
});

describe("who may drive a session", () => {
  it("a session a model runs keeps refusing trades from outside; another model's or user's token cannot touch an external session", async () => {
    const modelSession = await createSession(alice.ctx, { modelId: modelA, kind: "backtest", ...RANGE }, { db: env.db, jobs: { enqueueRun: async () => {} }, sessionLimit: null, concurrencyPerUser: 100 });
    const c = await connect(await token(alice, modelA, "bound to a model session", modelSession.id));
    for (const name of ["buy", "end_turn"]) {
      const r = await call(c, name, name === "buy" ? { symbol: "NVDA", quantity: 1 } : {});
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(new RegExp(`^SESSION_NOT_EXTERNAL: ${name} cannot act in this session: it is traded by its own model \\(builtin:buy-and-hold\\) in process`));
    }
    await c.close();

    const external = await createSession(alice.ctx, { modelId: modelA, kind: "backtest", ...RANGE, driver: "external" }, { db: env.db, jobs, sessionLimit: null, concurrencyPerUser: 100 });
    expect(external).toMatchObject({ driver: "external", status: "running", driverTokenId: null });
    const before = await counts(external.id);
    // Model B's token (same user) and bob's, over REST with alice's session in the path: 404 like a missing one.
    for (const t of [await token(alice, modelB, "model B"), await token(bob, bobModel, "bob")]) {
      for (const [method, path, body] of [
        ["POST", `${external.id}/orders`, { symbol: "NVDA", side: "buy", quantity: 1, type: "market" }],
        ["POST", `${external.id}/advance`, {}],
        ["DELETE", `${external.id}/orders/${randomUUID()}`, undefined],
      ] as const) {
        const res = await fetch(`${origin}/api/v1/sessions/${path}`, { method, headers: { authorization: `Bearer ${t}`, "content-type": "application/json" }, body: body && JSON.stringify(body) });
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(await res.json()).toEqual({ error: { code: "NOT_FOUND", message: "Trading session not found" } });
      }
      // Over MCP the token acts only in its own sessions: it drives none, so there is no turn to end.
      const other = await connect(t);
      expect(textOf(await call(other, "end_turn"))).toMatch(/^NO_SESSION: /);
      await other.close();
    }
    // A revoked token is refused at once (401), nothing written.
    const revoked = await createModelToken(alice.ctx, modelA, { name: "revoked", sessionId: external.id }, env.db);
    await revokeModelToken(alice.ctx, modelA, revoked.id, env.db);
    const res = await fetch(`${origin}/api/v1/sessions/${external.id}/advance`, { method: "POST", headers: { authorization: `Bearer ${revoked.token}` } });
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe("TOKEN_REVOKED");
    expect(await counts(external.id)).toEqual(before);
  });
});

describe("the same over REST (POST …/orders, DELETE …/orders/:orderId, POST …/advance)", () => {
  const rest = (t: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${origin}/api/v1/sessions${path ? `/${path}` : ""}`, { method, headers: { authorization: `Bearer ${t}`, "content-type": "application/json", ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });

  it("orders keyed by Idempotency-Key, a cancel, advance with the bar it ends; bad input 400 in words", { timeout: 30_000 }, async () => {
    const s = await createSession(alice.ctx, { modelId: modelA, kind: "backtest", ...RANGE, driver: "external", label: "REST agent" }, { db: env.db, jobs, sessionLimit: null, concurrencyPerUser: 100 });
    const t = await token(alice, modelA, "my script", s.id);

    const buy = await rest(t, "POST", `${s.id}/orders`, { symbol: "NVDA", side: "buy", quantity: 3, type: "market" }, { "idempotency-key": "order-1" });
    expect(buy.status).toBe(201);
    const placed = await buy.json();
    expect(placed).toMatchObject({ status: "filled", filledQuantity: 3, fills: [{ price: "185.24", filledAt: "2025-10-01T13:30:00.000Z" }], duplicate: false });
    const retry = await rest(t, "POST", `${s.id}/orders`, { symbol: "NVDA", side: "buy", quantity: 3, type: "market" }, { "idempotency-key": "order-1" });
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({ orderId: placed.orderId, duplicate: true });

    const working = await (await rest(t, "POST", `${s.id}/orders`, { symbol: "NVDA", side: "buy", quantity: 2, type: "limit", limitPrice: 150, timeInForce: "gtc" }, { "idempotency-key": "order-2" })).json();
    expect(working.status).toBe("accepted");
    const cancelled = await rest(t, "DELETE", `${s.id}/orders/${working.orderId}`);
    expect(cancelled.status).toBe(200);
    expect(await cancelled.json()).toMatchObject({ order: { orderId: working.orderId, status: "cancelled", reason: "requested" } });
    // An option order over the same route: a positionIntent makes it place_option_order (Alpaca's shape), at the ask.
    const option = await rest(t, "POST", `${s.id}/orders`, { symbol: "NVDA251017C00185000", side: "buy", positionIntent: "buy_to_open", quantity: 1 }, { "idempotency-key": "option-1" });
    expect(option.status).toBe(201);
    expect(await option.json()).toMatchObject({ symbol: "NVDA251017C00185000", side: "buy", status: "filled", filledQuantity: 1, duplicate: false });

    const before = await counts(s.id);
    for (const [body, headers, words] of [
      [{ symbol: "NVDA", side: "buy", quantity: 1, type: "market", sessionId: randomUUID() }, {}, /unknown field\(s\): sessionId/],
      [{ symbol: "NVDA", side: "buy", quantity: "1", type: "market" }, {}, /^place_order does not take these arguments \(quantity: /],
      [{ symbol: "NVDA", side: "buy", quantity: 1, type: "market" }, { "idempotency-key": "has spaces in it" }, /Idempotency-Key must be 1 to 160 printable ASCII characters/],
      [[1, 2], {}, /takes a JSON object/],
      [{ symbol: "NVDA251017C00185000", side: "buy", positionIntent: "buy_to_open", quantity: 1, type: "limit", limitPrice: -5 }, {}, /^place_option_order does not take these arguments \(limitPrice: a premium is a price above 0\)/],
      [{ symbol: "NVDA251017C00185000", side: "buy", positionIntent: "buy_to_open", quantity: 1, stopPrice: 5 }, {}, /^place_option_order does not take these arguments \(unknown field\(s\): stopPrice\)/],
      [{ symbol: "NVDA", side: "buy", positionIntent: "buy_to_open", quantity: 1 }, {}, /^"NVDA" is not an OCC option symbol/],
    ] as const) {
      const res = await rest(t, "POST", `${s.id}/orders`, body, headers);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const { error } = await res.json();
      expect(error.code).toBe("INVALID_ARGUMENTS");
      expect(error.message).toMatch(words);
    }
    const badAdvance = await rest(t, "POST", `${s.id}/advance`, { bar: "zero" });
    expect(badAdvance.status).toBe(400);
    expect((await badAdvance.json()).error.message).toMatch(/bar must be the index of the bar/);
    const foreign = await rest(t, "POST", `${randomUUID()}/advance`, {});
    expect(foreign.status).toBe(404);
    expect(await counts(s.id)).toEqual(before);

    const advanced = await rest(t, "POST", `${s.id}/advance`, { bar: 0 });
    expect(advanced.status).toBe(200);
    expect(await advanced.json()).toMatchObject({ bar: 0, next: { bar: 1 }, decision: { outcome: "traded", calls: 5, filledOrders: 2 } }); // the option order too
    // A retry of the same advance (bar 0) does not end bar 1's turn.
    const stale = await rest(t, "POST", `${s.id}/advance`, { bar: 0 });
    expect(stale.status).toBe(409);
    expect((await stale.json()).error).toMatchObject({ code: "TURN_MOVED", message: expect.stringMatching(/the session's turn is at bar 1, not 0/) });
    const orders = await env.sql<{ status: string; key: string }[]>`select status, idempotency_key as key from orders where session_id = ${s.id} order by created_at`;
    expect(orders.map((o) => o.status)).toEqual(["filled", "cancelled", "filled"]);
    // "driven by": the token that made the calls.
    const [row] = await env.sql`select t.name from trading_sessions s join model_tokens t on t.id = s.driver_token_id where s.id = ${s.id}`;
    expect(row!.name).toBe("my script");
  });

  it("POST /api/v1/sessions with a model token starts a session it drives; anything else is a 4xx in words", { timeout: 30_000 }, async () => {
    // Bob's: none of his sessions run yet, so it starts at once (alice's are at her limit by now and would queue).
    const created = await createModelToken(bob.ctx, bobModel, { name: "rest starter" }, env.db);
    const body = { kind: "backtest", ...RANGE, driver: "external" };
    const before = (await env.sql`select count(*)::int as n from trading_sessions`)[0]!.n;
    for (const [wrong, words] of [
      [{ ...body, driver: undefined }, /driver: a model API token starts sessions it drives/],
      [{ ...body, kind: "replay" }, /kind: a model API token starts backtests/],
      [{ ...body, modelId: modelA }, /modelId: a model API token starts sessions of its own model only/],
      [{ ...body, interval: "week" }, /interval: interval must be "day" or "hour"/],
      [{ ...body, seed: 3 }, /unknown field\(s\) seed/],
    ] as const) {
      const res = await rest(created.token, "POST", "", wrong);
      expect(res.status, JSON.stringify(wrong)).toBe(400);
      expect((await res.json()).error.message).toMatch(words);
    }
    expect((await env.sql`select count(*)::int as n from trading_sessions`)[0]!.n).toBe(before);
    const res = await rest(created.token, "POST", "", { ...body, modelId: bobModel });
    expect(res.status).toBe(202);
    const { session } = await res.json();
    expect(session).toMatchObject({ modelId: bobModel, driver: "external", status: "running", progress: { done: 0, total: 3 } });
    expect((await rest(created.token, "POST", `${session.id}/advance`, { bar: 0 })).status).toBe(200);
    // A token bound to a session acts there only.
    const bound = await rest(await token(bob, bobModel, "bound", session.id), "POST", "", body);
    expect(bound.status).toBe(409);
    expect((await bound.json()).error.code).toBe("TOKEN_BOUND");
  });

  it("two advances at once advance one bar each, never the same bar twice; a call racing an end is never lost", { timeout: 30_000 }, async () => {
    const s = await createSession(alice.ctx, { modelId: modelA, kind: "backtest", ...RANGE, driver: "external" }, { db: env.db, jobs, sessionLimit: null, concurrencyPerUser: 100 });
    const t = await token(alice, modelA, "racer", s.id);
    const [a, b] = await Promise.all([rest(t, "POST", `${s.id}/advance`, {}), rest(t, "POST", `${s.id}/advance`, {})]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const bars = [(await a.json()).bar, (await b.json()).bar].sort();
    expect(bars).toEqual([0, 1]);
    const decisions = await env.sql<{ n: number }[]>`select count(*)::int as n from decisions where session_id = ${s.id}`;
    expect(decisions[0]!.n).toBe(2);
    const points = await env.sql<{ bar_index: number }[]>`select bar_index from session_equity where session_id = ${s.id} order by bar_index`;
    expect(points.map((p) => p.bar_index)).toEqual([0, 1]);

    // At bar 2: orders and an end at the same time. Every order answered "filled" is in the ledger, once.
    const racing = await Promise.all([
      ...[1, 2, 3].map((i) => rest(t, "POST", `${s.id}/orders`, { symbol: "NVDA", side: "buy", quantity: 1, type: "market" }, { "idempotency-key": `race-${i}` })),
      rest(t, "POST", `${s.id}/advance`, {}),
    ]);
    const answered = await Promise.all(racing.slice(0, 3).map(async (r) => ({ status: r.status, body: await r.json() })));
    const filled = answered.filter((r) => r.status === 201).map((r) => r.body.orderId as string);
    const refused = answered.filter((r) => r.status !== 201);
    for (const r of refused) expect(r.body.error.code).toBe("SESSION_ENDED");
    const stored = await env.sql<{ id: string }[]>`select id from orders where session_id = ${s.id} and status = 'filled'`;
    expect(stored.map((o) => o.id).sort()).toEqual(filled.sort());
    await waitForStatus(env.sql, s.id, ["completed"], 10_000);
  });
});

describe("pause and resume", () => {
  it("a paused session refuses the agent's calls in words; resumed, a worker opens its turn again and the calls go on", { timeout: 30_000 }, async () => {
    const s = await createSession(alice.ctx, { modelId: modelA, kind: "backtest", ...RANGE, driver: "external" }, { db: env.db, jobs, sessionLimit: null, concurrencyPerUser: 100 });
    const c = await connect(await token(alice, modelA, "pausable", s.id));
    expect(ok(await call(c, "buy", { symbol: "NVDA", quantity: 1 }, "before-pause")).status).toBe("filled");
    await controlSession(alice.ctx, s.id, "pause", { db: env.db, jobs, concurrencyPerUser: 100 });
    const refused = await call(c, "buy", { symbol: "NVDA", quantity: 1 });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/^SESSION_NOT_RUNNING: buy: this session is paused; its owner can resume it on the site/);
    expect(textOf(await call(c, "end_turn"))).toMatch(/^SESSION_NOT_RUNNING: end_turn: this session is paused/);
    await controlSession(alice.ctx, s.id, "resume", { db: env.db, jobs, concurrencyPerUser: 100 });
    // The resume queued a job; the worker finds an external session and only opens its turn (a new fence), running no model.
    await waitForStatus(env.sql, s.id, ["running"], 15_000);
    const [row] = await env.sql<{ runner_id: string; cursor: number }[]>`select runner_id, cursor from trading_sessions where id = ${s.id}`;
    expect(row!.runner_id).toMatch(/^external:/);
    expect(row!.cursor).toBe(0);
    // The turn's call before the pause still stands (replayed): the same id is a duplicate, and the turn goes on.
    expect(ok(await call(c, "buy", { symbol: "NVDA", quantity: 1 }, "before-pause")).duplicate).toBe(true);
    expect(ok(await call(c, "end_turn"))).toMatchObject({ bar: 0, decision: { filledOrders: 1, calls: 2 } });
    await c.close();
  });
});

describe("the idle timeout of a turn", () => {
  it("a forgotten turn ends by itself as if end_turn had been called: the calls so far stand, the clock moves on", { timeout: 60_000 }, async () => {
    const created = await createModelToken(alice.ctx, modelB, { name: "forgetful" }, env.db);
    const [row] = await env.sql<{ id: string }[]>`select id from model_tokens where name = 'forgetful'`;
    const agent = { userId: alice.id, modelId: modelB, sessionId: null, claims: alice.claims, tokenId: row!.id };
    const { session } = await startAgentSession(agent, RANGE, { db: env.db, jobs: shortJobs, sessionLimit: null, concurrencyPerUser: 10 });
    const c = await connect(created.token);
    expect(ok(await call(c, "buy", { symbol: "NVDA", quantity: 2 }))).toMatchObject({ status: "filled" });
    await c.close();
    // No end_turn: the worker's timeout job ends bar 0, then bar 1 and bar 2 in turn (each idle for 2 s), and the session completes.
    const done = await waitForStatus(env.sql, session.id, ["completed", "failed"], 30_000);
    expect(done.status).toBe("completed");
    const decisions = await env.sql<{ finish_reason: string; text: string; filled_orders: number }[]>`select finish_reason, text, filled_orders from decisions where session_id = ${session.id} order by clock`;
    expect(decisions.map((d) => d.finish_reason)).toEqual(["timeout", "timeout", "timeout"]);
    // The buy stands in the bar it was made in (bar 0, unless this machine took longer than the timeout to send it).
    expect(decisions.reduce((n, d) => n + d.filled_orders, 0)).toBe(1);
    expect(decisions[0]!.text).toMatch(/^Driven by: forgetful\. The turn timed out/);
    const fills = await env.sql<{ n: number }[]>`select count(*)::int as n from fills where session_id = ${session.id}`;
    expect(fills[0]!.n).toBe(1);
  });
});
