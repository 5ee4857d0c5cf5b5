/**
 * `npm run bench:mcp`: what an outside agent pays for speaking MCP or REST, against calling the same service in
 * this process (issue #25 item 6).
 *
 *   1. a fresh embedded PostgreSQL in a temp dir; the production server (`npm start`, built first unless .next holds
 *      the build of these sources) on it, with its workers;
 *   2. a user signs up, creates a model and a model API token bound to no session; the token starts a daily backtest
 *      it drives (start_session over MCP), as examples/outside-agent.ts does;
 *   3. three ways of calling, each on a turn of its own (end_turn between them; at most 200 calls make a turn):
 *      - in process: this process on the same database, exactly what the routes run (the token checked,
 *        callAgentTool: the session read, the turn's transaction, the tool), without HTTP;
 *      - MCP: the official SDK client over Streamable HTTP to /api/mcp;
 *      - REST: GET …/quote and POST …/orders (Idempotency-Key);
 *      --calls get_quote calls one after another, then --calls market orders of one share (each its own key).
 *
 * An order is recorded on the agent's turn and replays the turn's earlier orders on the book (docs/sessions.md,
 * "Sessions an outside agent drives"), so its time grows along the turn; each way starts a fresh turn, so the
 * three see the same turn lengths.
 *
 * Prints the figures, then one JSON line:
 * {"calls":…,"in_process":{"quote_p50_ms":…,"quote_p99_ms":…,"order_p50_ms":…,"order_p99_ms":…},"mcp":{…},"rest":{…},
 *  "mcp_quote_p50_ratio":…,"rest_quote_p50_ratio":…,"mcp_order_p50_ratio":…,"rest_order_p50_ratio":…}
 * (ratios to in process, the baseline measured in the same run). Options: --calls <n> (default 50, at most 95),
 * --port <n> (default 3451), --keep (leave the data dir).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { ensureBuild } from "../scripts/build";
import { appClient, waitForApp } from "./app-client";

const { values: args } = parseArgs({
  options: {
    calls: { type: "string", default: "50" },
    port: { type: "string", default: "3451" },
    keep: { type: "boolean", default: false },
  },
});
const CALLS = Math.min(95, Number(args.calls));
const PORT = Number(args.port);
const BASE = `http://127.0.0.1:${PORT}`;
const SYMBOL = "ZZSOLR";
const api = appClient(BASE);
const log = (...a: unknown[]) => console.log("[bench:mcp]", ...a);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! * 100) / 100;
};

/** Runs `call` n times one after another: each call's ms. */
async function timed(n: number, call: (i: number) => Promise<unknown>): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await call(i);
    ms.push(performance.now() - t0);
  }
  return ms;
}

interface Way {
  quote: () => Promise<unknown>;
  order: (key: string) => Promise<unknown>;
}

/** A way's figures: `calls` quotes, then `calls` orders, on a turn of its own. */
async function measure(name: string, way: Way, endTurn: () => Promise<unknown>) {
  await way.quote(); // a first call (connections, caches) is not what is measured
  const quotes = await timed(CALLS, () => way.quote());
  const orders = await timed(CALLS, (i) => way.order(`${name}-${i}`));
  await endTurn();
  const r = { quote_p50_ms: pct(quotes, 50), quote_p99_ms: pct(quotes, 99), order_p50_ms: pct(orders, 50), order_p99_ms: pct(orders, 99) };
  log(`${name}: get_quote p50 ${r.quote_p50_ms} ms, p99 ${r.quote_p99_ms} ms; an order p50 ${r.order_p50_ms} ms, p99 ${r.order_p99_ms} ms (first ${orders[0]!.toFixed(1)}, last ${orders.at(-1)!.toFixed(1)})`);
  return r;
}

async function main() {
  ensureBuild(); // before the clock: the build is not what is measured
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "bullpen-bench-mcp-"));
  const db = await startEmbeddedPostgres({ dataDir });
  process.env.DATABASE_URL = db.url; // this process's in-process calls use the app's database
  let server: ChildProcess | null = null;
  try {
    server = spawn("npm", ["start"], {
      env: { ...process.env, PORT: String(PORT), RATE_LIMIT_MODEL_TOKEN_PER_MINUTE: "1000000", RATE_LIMIT_SIGN_UPS_PER_HOUR: "1000", NEXT_TELEMETRY_DISABLED: "1" },
      stdio: ["ignore", "ignore", "inherit"],
      detached: true,
    });
    await waitForApp(BASE, server, 300_000);
    const email = `bench-mcp-${randomUUID().slice(0, 8)}@example.com`;
    const { access_token: owner } = await api<{ access_token: string }>("/auth/v1/signup", { method: "POST", body: { email, password: "bench password 123" } });
    const { model } = await api<{ model: { id: string } }>("/api/v1/models", {
      method: "POST",
      token: owner,
      body: { name: "Bench agent", signature: "bench-mcp", llm: "builtin:buy-and-hold", startingCash: "10000000" },
    });
    const { token } = await api<{ token: string }>(`/api/v1/models/${model.id}/tokens`, { method: "POST", token: owner, body: { name: "bench" } });

    const client = new Client({ name: "bullpen-bench", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL("/api/mcp", BASE), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
    const mcpCall = async (name: string, input: Record<string, unknown>, key?: string) => {
      const r = await client.callTool({ name, arguments: input, ...(key ? { _meta: { "bullpen/idempotencyKey": key } } : {}) });
      if (r.isError) throw new Error(`${name}: ${(r.content as { text: string }[])[0]?.text}`);
      return r.structuredContent;
    };
    const started = (await mcpCall("start_session", { interval: "day", start: "2025-03-03", end: "2025-03-31", symbols: [SYMBOL] })) as { session: { id: string } };
    const sessionId = started.session.id;
    log(`session ${sessionId}: a daily backtest of ${SYMBOL} driven by the token; ${CALLS} quotes and ${CALLS} orders each way`);

    // In process: what the routes run, without HTTP (imported once the database is known).
    const { getDb } = await import("@/lib/db/client");
    const { authenticateModelToken } = await import("@/lib/services/model-tokens");
    const { callAgentTool, endAgentTurn } = await import("@/lib/services/outside-agent");
    const { lazySessionJobs } = await import("@/lib/jobs/boss");
    const jobs = lazySessionJobs();
    const agentOf = async () => {
      const { userId, modelId, sessionId: bound, claims, tokenId } = await authenticateModelToken(token, { db: getDb(), limit: null });
      return { userId, modelId, sessionId: bound, claims, tokenId };
    };
    const order = { symbol: SYMBOL, side: "buy", quantity: 1, type: "market" };
    const inProcess = await measure(
      "in process",
      {
        quote: async () => callAgentTool(await agentOf(), "get_quote", { symbol: SYMBOL }, { jobs }),
        order: async (key) => callAgentTool(await agentOf(), "place_order", order, { jobs, toolCallId: key }),
      },
      async () => endAgentTurn(await agentOf(), { jobs }),
    );
    const mcp = await measure(
      "MCP",
      { quote: () => mcpCall("get_quote", { symbol: SYMBOL }), order: (key) => mcpCall("place_order", order, key) },
      () => mcpCall("end_turn", {}),
    );
    const rest = async (method: string, p: string, body?: unknown, key?: string) => {
      const res = await fetch(`${BASE}/api/v1/sessions/${sessionId}/${p}`, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...(key ? { "idempotency-key": key } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${(await res.text()).slice(0, 300)}`);
      return res.json();
    };
    const restWay = await measure(
      "REST",
      { quote: () => rest("GET", `quote?symbol=${SYMBOL}`), order: (key) => rest("POST", "orders", order, key) },
      () => rest("POST", "advance", {}),
    );
    await client.close();
    const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
    console.log(
      JSON.stringify({
        calls: CALLS,
        in_process: inProcess,
        mcp,
        rest: restWay,
        mcp_quote_p50_ratio: ratio(mcp.quote_p50_ms, inProcess.quote_p50_ms),
        rest_quote_p50_ratio: ratio(restWay.quote_p50_ms, inProcess.quote_p50_ms),
        mcp_order_p50_ratio: ratio(mcp.order_p50_ms, inProcess.order_p50_ms),
        rest_order_p50_ratio: ratio(restWay.order_p50_ms, inProcess.order_p50_ms),
      }),
    );
  } finally {
    if (server?.pid) {
      try {
        process.kill(-server.pid, "SIGTERM");
      } catch {
        // already gone
      }
      await new Promise<void>((resolve) => (server!.exitCode !== null ? resolve() : server!.once("exit", () => resolve())));
    }
    await db.stop();
    if (!args.keep) await rm(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
