/**
 * A small outside agent: it drives a daily backtest in Bullpen over MCP with nothing but the official MCP SDK
 * client (docs/mcp.md, "Sessions an outside agent drives"). CI runs it against the app (e2e/example-agent.spec.ts).
 *
 *   BULLPEN_URL=http://127.0.0.1:3000 BULLPEN_TOKEN=bp_… npx tsx examples/outside-agent.ts --symbol NVDA --start 2025-09-02 --end 2025-10-31
 *
 * BULLPEN_TOKEN is a model API token bound to no session (the model's page, "API tokens"): the agent acts as that
 * model. It starts a backtest it drives (start_session); at every bar it reads a fast and a slow simple moving
 * average of the day closes (get_indicators) and its portfolio (get_portfolio), buys with most of its cash when
 * the fast one is above the slow one and it holds nothing, sells everything when it is below, and ends its turn
 * (end_turn) until the session completes. It prints what it does, then one JSON line: the session, its status,
 * its bars, the trades the agent made and the final equity.
 */
import { parseArgs } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const { values: args } = parseArgs({
  options: {
    symbol: { type: "string", default: "NVDA" },
    start: { type: "string" },
    end: { type: "string" },
    fast: { type: "string", default: "5" },
    slow: { type: "string", default: "20" },
  },
});
const url = process.env.BULLPEN_URL ?? "http://127.0.0.1:3000";
const token = process.env.BULLPEN_TOKEN;
if (!token) throw new Error("Set BULLPEN_TOKEN to a model API token bound to no session (the model's page, \"API tokens\")");
const symbol = args.symbol;
const [fast, slow] = [Number(args.fast), Number(args.slow)];

const client = new Client({ name: "bullpen-example-agent", version: "1.0.0" });
await client.connect(new StreamableHTTPClientTransport(new URL("/api/mcp", url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));

/**
 * One tool call; its structured answer, or the tool's error in its own words ("CODE: message"), thrown. `key`
 * makes an order idempotent: sent again (a retry after a lost answer), it answers the first result.
 */
async function call<T>(name: string, input: Record<string, unknown> = {}, key?: string): Promise<T> {
  const result = await client.callTool({ name, arguments: input, ...(key ? { _meta: { "bullpen/idempotencyKey": key } } : {}) });
  if (result.isError) throw new Error(`${name}: ${(result.content as { text: string }[])[0]?.text}`);
  return result.structuredContent as T;
}

interface Portfolio {
  cash: string;
  equity: string;
  positions: { symbol: string; quantity: number }[];
}
/** The session resource (bullpen://session) and start_session's answer. */
interface SessionState {
  session: { id: string; status: string; clock: string | null; progress: { done: number; total: number } };
  portfolio: Portfolio | null;
}
interface Indicators {
  indicators: { values: Record<string, number | string>[] }[];
}
interface TurnEnded {
  bar: number;
  status: string;
  next: { bar: number; clock: string } | null;
  equity: string | null;
}

const started = await call<SessionState>("start_session", { interval: "day", symbols: [symbol], ...(args.start ? { start: args.start } : {}), ...(args.end ? { end: args.end } : {}) });
const sessionId = started.session.id;
console.log(`[agent] session ${sessionId}: ${started.session.progress.total} day bars of ${symbol}`);
const readSession = async () => JSON.parse(((await client.readResource({ uri: "bullpen://session" })).contents[0] as { text: string }).text) as SessionState;

/** The latest value of an indicator's series (its one number besides the bar time), or null before it has one. */
const latest = (series: { values: Record<string, number | string>[] }) => {
  const last = series.values.at(-1);
  const value = last && Object.entries(last).find(([k]) => k !== "t")?.[1];
  return typeof value === "number" ? value : null;
};

let trades = 0;
for (let bar = 0; ; ) {
  const portfolio = await call<Portfolio>("get_portfolio");
  const held = portfolio.positions.find((p) => p.symbol === symbol)?.quantity ?? 0;
  const averages = await call<Indicators>("get_indicators", { symbol, indicators: [{ name: "sma", period: fast }, { name: "sma", period: slow }] }).catch(() => null);
  const [f = null, s = null] = averages ? averages.indicators.map(latest) : [];
  if (f !== null && s !== null) {
    if (f > s && held === 0) {
      const { price } = await call<{ price: number }>("get_quote", { symbol });
      const quantity = Math.floor((Number(portfolio.cash) * 0.95) / price);
      if (quantity > 0) {
        const trade = await call<{ status: string; message: string }>("buy", { symbol, quantity }, `${sessionId}:${bar}:buy`);
        if (trade.status === "filled") trades++;
        console.log(`[agent] bar ${bar}: SMA${fast} ${f.toFixed(2)} > SMA${slow} ${s.toFixed(2)}: ${trade.message}`);
      }
    } else if (f < s && held > 0) {
      const trade = await call<{ status: string; message: string }>("sell", { symbol, quantity: held }, `${sessionId}:${bar}:sell`);
      if (trade.status === "filled") trades++;
      console.log(`[agent] bar ${bar}: SMA${fast} ${f.toFixed(2)} < SMA${slow} ${s.toFixed(2)}: ${trade.message}`);
    }
  }
  const ended = await call<TurnEnded>("end_turn");
  if (!ended.next) break;
  bar = ended.next.bar;
}

const { session, portfolio } = await readSession();
await client.close();
console.log(JSON.stringify({ sessionId, status: session.status, bars: session.progress.total, trades, equity: portfolio?.equity ?? null }));
