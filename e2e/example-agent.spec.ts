import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { bearer, expect, newEmail, signUpForToken, test } from "./fixtures";

/**
 * The example outside agent (examples/outside-agent.ts, docs/mcp.md) run as a person runs it, against the
 * production build: with a model API token bound to no session it starts a daily backtest it drives, trades on a
 * moving-average crossover over MCP, and ends its turns to the last bar. The owner then sees the session
 * completed, driven from outside, with exactly the agent's trades and its final equity.
 */
test("the example outside agent drives a daily backtest to its end over MCP", async ({ playwright, baseURL }) => {
  test.setTimeout(180_000);
  const api = await playwright.request.newContext({ baseURL });
  const owner = bearer(await signUpForToken(api, newEmail("example-agent")));
  const model = await api.post("/api/v1/models", { headers: owner, data: { name: "Example agent", signature: `example-${randomUUID().slice(0, 8)}`, llm: "builtin:buy-and-hold", startingCash: "10000" } });
  expect(model.status(), await model.text()).toBe(201);
  const modelId = (await model.json()).model.id as string;
  const created = await api.post(`/api/v1/models/${modelId}/tokens`, { headers: owner, data: { name: "example agent" } });
  expect(created.status(), await created.text()).toBe(201);
  const { token } = (await created.json()) as { token: string };

  const args = ["--import", "tsx", "examples/outside-agent.ts", "--symbol", "ZZSOLR", "--start", "2025-03-03", "--end", "2025-04-30", "--fast", "3", "--slow", "8"];
  const child = spawn(process.execPath, args, { env: { ...process.env, BULLPEN_URL: baseURL, BULLPEN_TOKEN: token }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d: Buffer) => void (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => void (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  expect(code, out).toBe(0);
  const result = JSON.parse(out.trim().split("\n").at(-1)!) as { sessionId: string; status: string; bars: number; trades: number; equity: string };
  expect(result).toMatchObject({ status: "completed", bars: 42 }); // the trading days from 2025-03-03 to 2025-04-30
  expect(result.trades, out).toBeGreaterThan(0);
  expect(out).toMatch(/\[agent\] bar \d+: SMA3 [\d.]+ > SMA8 [\d.]+: /);

  const { session } = await (await api.get(`/api/v1/sessions/${result.sessionId}`, { headers: owner })).json();
  expect(session).toMatchObject({ status: "completed", driver: "external", progress: { done: 42, total: 42 } });
  expect(Number(session.account.equity)).toBe(Number(result.equity)); // the agent's last portfolio is the session's result
  expect(session.metrics.tradeCount).toBe(result.trades);
  const { orders } = await (await api.get(`/api/v1/sessions/${result.sessionId}/orders?limit=200`, { headers: owner })).json();
  expect(orders.filter((o: { status: string }) => o.status === "filled")).toHaveLength(result.trades);
});
