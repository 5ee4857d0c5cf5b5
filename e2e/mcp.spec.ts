import { randomUUID } from "node:crypto";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { APIRequestContext } from "@playwright/test";
import { TOOL_NAMES } from "@/lib/agent/tool-contract";
import { bearer, expect, newEmail, signUpForToken, test } from "./fixtures";

/**
 * The MCP server at /api/mcp (docs/mcp.md) on the production build, driven by the OFFICIAL MCP SDK client as Claude
 * Code or a script would: a model API token bound to a finished backtest lists the contract's tools, reads at the
 * session's clock, is refused a trade in words, and is refused whole once revoked.
 */

const BACKTEST = (modelId: string) => ({ modelId, kind: "backtest", interval: "day", start: "2025-03-03", end: "2025-03-07", symbols: ["ZZSOLR"] });

async function finishedSession(api: APIRequestContext, headers: Record<string, string>) {
  const model = await api.post("/api/v1/models", { headers, data: { name: "MCP model", signature: `mcp-${randomUUID().slice(0, 8)}`, llm: "builtin:buy-and-hold", startingCash: "10000" } });
  expect(model.status(), await model.text()).toBe(201);
  const modelId = (await model.json()).model.id as string;
  const started = await api.post("/api/v1/sessions", { headers, data: BACKTEST(modelId) });
  expect(started.status(), await started.text()).toBe(202);
  const sessionId = (await started.json()).session.id as string;
  await expect
    .poll(async () => (await (await api.get(`/api/v1/sessions/${sessionId}`, { headers })).json()).session.status, { timeout: 120_000, intervals: [250] })
    .toBe("completed");
  return { modelId, sessionId };
}

async function connect(baseURL: string, token: string) {
  const client = new Client({ name: "bullpen-e2e", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL("/api/mcp", baseURL), { requestInit: { headers: bearer(token) } }));
  return client;
}

const text = (r: CallToolResult) => (r.content[0] as { text: string }).text;

test("an outside agent over MCP: the contract's tools at the session's clock, trades refused in words, a revoked token refused", async ({ playwright, baseURL }) => {
  const api = await playwright.request.newContext({ baseURL });
  const owner = bearer(await signUpForToken(api, newEmail("mcp")));
  const { modelId, sessionId } = await finishedSession(api, owner);
  const created = await api.post(`/api/v1/models/${modelId}/tokens`, { headers: owner, data: { name: "Claude Code", sessionId } });
  expect(created.status()).toBe(201);
  const token = (await created.json()) as { id: string; token: string };

  const client = await connect(baseURL!, token.token);
  expect(client.getServerVersion()?.name).toBe("bullpen");
  expect((await client.listTools()).tools.map((t) => t.name)).toEqual([...TOOL_NAMES, "start_session", "end_turn"]);

  const state = JSON.parse(((await client.readResource({ uri: "bullpen://session" })).contents[0] as { text: string }).text);
  expect(state.session).toMatchObject({ id: sessionId, status: "completed", interval: "day", progress: { done: 5, total: 5 } });
  const clock = state.session.clock as string;
  expect(clock.slice(0, 10)).toBe("2025-03-07");

  const quote = (await client.callTool({ name: "get_quote", arguments: { symbol: "zzsolr" } })) as CallToolResult;
  expect(quote.structuredContent).toMatchObject({ symbol: "ZZSOLR", at: clock, basis: "open" });
  const bars = (await client.callTool({ name: "get_bars", arguments: { symbol: "ZZSOLR", limit: 10 } })) as CallToolResult;
  const closed = (bars.structuredContent as { bars: { t: string }[] }).bars;
  expect(closed.length).toBe(10);
  expect(closed.every((b) => b.t < clock)).toBe(true); // no bar at or after the clock
  const portfolio = (await client.callTool({ name: "get_portfolio", arguments: {} })) as CallToolResult;
  expect(portfolio.structuredContent).toEqual(state.portfolio);

  const buy = (await client.callTool({ name: "buy", arguments: { symbol: "ZZSOLR", quantity: 1 } })) as CallToolResult;
  expect(buy.isError).toBe(true);
  expect(text(buy)).toMatch(/^SESSION_NOT_EXTERNAL: buy cannot act in this session/);
  const bad = (await client.callTool({ name: "get_bars", arguments: { symbol: "ZZSOLR", limit: 501 } })) as CallToolResult;
  expect(bad.isError).toBe(true);
  expect(text(bad)).toMatch(/^INVALID_ARGUMENTS: get_bars does not take these arguments \(limit: /);

  // The same reads over REST, with the model token or the owner's own token; another user's token: 404.
  for (const headers of [bearer(token.token), owner]) {
    const rest = await api.get(`/api/v1/sessions/${sessionId}/portfolio`, { headers });
    expect(rest.status()).toBe(200);
    expect(await rest.json()).toEqual(state.portfolio);
    const restQuote = await api.get(`/api/v1/sessions/${sessionId}/quote?symbol=ZZSOLR`, { headers });
    expect(await restQuote.json()).toEqual(quote.structuredContent);
  }
  const stranger = bearer(await signUpForToken(api, newEmail("mcp-stranger")));
  const theirs = await api.get(`/api/v1/sessions/${sessionId}/bars?symbol=ZZSOLR`, { headers: stranger });
  expect(theirs.status()).toBe(404);
  expect(await theirs.json()).toEqual({ error: { code: "NOT_FOUND", message: "Trading session not found" } });

  // Revoked: the very next request is a 401, whatever it asks.
  expect((await api.delete(`/api/v1/models/${modelId}/tokens/${token.id}`, { headers: owner })).status()).toBe(200);
  const refused = await client.listTools().then(() => null, (e: Error & { code?: number }) => e);
  expect(refused?.code).toBe(401);
  expect(refused?.message).toContain("TOKEN_REVOKED");
  await client.close();

  // The owner's own access token is not a model token: 401.
  const asUser = await api.post("/api/mcp", { headers: { ...owner, accept: "application/json, text/event-stream" }, data: { jsonrpc: "2.0", id: 1, method: "tools/list" } });
  expect(asUser.status()).toBe(401);
  expect((await asUser.json()).error.code).toBe("INVALID_TOKEN");
});

test("an outside agent drives a backtest bar by bar over MCP; the viewer and the leaderboard say who drove it", async ({ playwright, baseURL, page, desk }) => {
  const api = await playwright.request.newContext({ baseURL });
  const email = newEmail("mcp-drive");
  const owner = bearer(await signUpForToken(api, email));
  const model = await api.post("/api/v1/models", { headers: owner, data: { name: "Driven model", signature: `drv-${randomUUID().slice(0, 8)}`, llm: "builtin:buy-and-hold", startingCash: "10000" } });
  const modelId = (await model.json()).model.id as string;
  const created = await api.post(`/api/v1/models/${modelId}/tokens`, { headers: owner, data: { name: "Claude Code" } });
  const client = await connect(baseURL!, ((await created.json()) as { token: string }).token);

  const started = (await client.callTool({ name: "start_session", arguments: { interval: "day", start: "2025-03-03", end: "2025-03-07", symbols: ["ZZSOLR"] } })) as CallToolResult;
  expect(started.isError, text(started)).toBeFalsy();
  const session = (started.structuredContent as { session: { id: string; driver: string; progress: { total: number } } }).session;
  expect(session).toMatchObject({ driver: "external", progress: { total: 5 } });
  const buy = (await client.callTool({ name: "buy", arguments: { symbol: "ZZSOLR", quantity: 5 }, _meta: { "bullpen/idempotencyKey": "first-buy" } })) as CallToolResult;
  expect(buy.structuredContent).toMatchObject({ status: "filled", quantity: 5 });
  // The owner, with their own access token, may act for the session's model over REST too: an order and the end of bar 0.
  const order = await api.post(`/api/v1/sessions/${session.id}/orders`, {
    headers: { ...owner, "idempotency-key": "owner-buy" },
    data: { symbol: "ZZSOLR", side: "buy", quantity: 1, type: "market" },
  });
  expect(order.status(), await order.text()).toBe(201);
  expect(await order.json()).toMatchObject({ status: "filled", filledQuantity: 1, duplicate: false });
  const advanced = await api.post(`/api/v1/sessions/${session.id}/advance`, { headers: owner, data: { bar: 0 } });
  expect(advanced.status(), await advanced.text()).toBe(200);
  expect(await advanced.json()).toMatchObject({ bar: 0, next: { bar: 1 }, decision: { calls: 2, filledOrders: 2 } });
  for (let bar = 1; bar < 5; bar++) {
    const ended = (await client.callTool({ name: "end_turn", arguments: {} })) as CallToolResult;
    expect(ended.structuredContent).toMatchObject({ bar, status: bar === 4 ? "completed" : "running" });
  }
  await client.close();
  const done = (await (await api.get(`/api/v1/sessions/${session.id}`, { headers: owner })).json()).session;
  expect(done).toMatchObject({ status: "completed", driver: "external", metrics: { tradeCount: 2 } });

  await page.goto("/sign-in");
  await desk.signIn(email);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto(`/sessions/${session.id}`);
  await expect(page.getByTestId("driven-by")).toContainText("driven by: Claude Code");
  await page.goto("/leaderboard");
  await expect(page.getByText("driven by: Claude Code")).toBeVisible();
});
