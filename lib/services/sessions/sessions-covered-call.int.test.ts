import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseOccSymbol } from "@/lib/engine";
import { startWorker, type Worker } from "@/lib/jobs/worker";
import { importBarsFile } from "@/lib/services/market-data/import-file";
import { createUser, type TestUser } from "@/tests/support/database";
import { createModel, freshSessionDatabase, testJobs, waitForStatus } from "@/tests/support/session-fixtures";
import { DAILY_FILE, SHARED_DATA_DIR } from "@/tests/support/shared-data";
import { createSession } from "./create";

/**
 * builtin:covered-call end to end on the real NASDAQ-100 daily bars (Jun 10 – Oct 30 2025; ../shared/data, never
 * committed: skipped when absent), run by a real worker on a real Postgres with its default parameters: the first 3
 * symbols of the session (NVDA, AAPL, PYPL), $100,000. It buys its lots on the first bar, sells calls once the
 * modelled chain has 21 daily closes, and the engine settles each call at its expiry's close: assigned (the shares
 * sold at the strike, bought back at the next bar) or expired worthless (the next call sold at the next bar).
 */
const present = fs.existsSync(path.join(SHARED_DATA_DIR, DAILY_FILE));
const SYMBOLS = ["NVDA", "AAPL", "PYPL", "AMD"];
const START = 100_000;

let env: Awaited<ReturnType<typeof freshSessionDatabase>>;
let jobs: Awaited<ReturnType<typeof testJobs>>;
let worker: Worker;
let user: TestUser;

beforeAll(async () => {
  if (!present) return;
  env = await freshSessionDatabase("covered_call");
  await importBarsFile(env.db, path.join(SHARED_DATA_DIR, DAILY_FILE));
  jobs = await testJobs(env.url);
  worker = await startWorker({ url: env.url, concurrency: 1, sliceSeconds: 60, log: () => {} });
  user = await createUser(env.sql, "covered-call");
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await jobs?.stop();
  await env?.drop();
});

interface OrderRow {
  id: string;
  symbol: string;
  side: string;
  quantity: number;
  status: string;
  reason: string | null;
  reject: string | null;
  decision_id: string | null;
  placed_at: Date;
}
interface FillRow {
  order_id: string;
  symbol: string;
  side: string;
  quantity: number;
  price: string;
  cash_delta: string;
  filled_at: Date;
}

/** numeric(…, 6) text → exact micro-dollars. */
function micros(text: string): bigint {
  const [whole, frac = ""] = text.replace("-", "").split(".");
  const v = BigInt(whole!) * 1_000_000n + BigInt((frac + "000000").slice(0, 6));
  return text.startsWith("-") ? -v : v;
}

describe.skipIf(!present)("builtin:covered-call on the real daily NASDAQ-100 bars", () => {
  it("sells covered calls; expiries assign (bought back next bar) or expire (the next call sold); cash exact, nothing rejected", { timeout: 300_000 }, async () => {
    const modelId = await createModel(env.sql, user, { llm: "builtin:covered-call", startingCash: String(START) });
    const s = await createSession(user.ctx, { modelId, kind: "backtest", interval: "day", start: "2025-06-10", end: "2025-10-30", symbols: SYMBOLS, }, { db: env.db, jobs: jobs.jobs });
    const done = await waitForStatus(env.sql, s.id, ["completed", "failed"], 280_000);
    expect(done.error).toBeNull();
    expect(done.status).toBe("completed");

    const orders = await env.sql<OrderRow[]>`
      select id, symbol, side, quantity::int as quantity, status, status_reason as reason, reject_code as reject, decision_id, placed_at
      from orders where session_id = ${s.id} order by placed_at, created_at`;
    const fills = await env.sql<FillRow[]>`
      select order_id, symbol, side, quantity::int as quantity, price::text, cash_delta::text, filled_at
      from fills where session_id = ${s.id} order by filled_at, created_at`;
    const decisions = await env.sql<{ clock: Date; outcome: string; text: string; tool_errors: number; rejected_orders: number }[]>`
      select clock, outcome, text, tool_errors, rejected_orders from decisions where session_id = ${s.id} order by clock`;
    const fillOf = (id: string) => fills.filter((f) => f.order_id === id);

    // Nothing rejected, no tool error, no failed decision: every order filled.
    expect(orders.filter((o) => o.status !== "filled").map((o) => [o.symbol, o.side, o.status, o.reject])).toEqual([]);
    expect(decisions.filter((d) => d.outcome === "failed" || d.tool_errors > 0 || d.rejected_orders > 0).map((d) => d.text)).toEqual([]);
    expect(decisions).toHaveLength(s.totalBars);

    // Only the default 3 symbols are traded; shares in whole lots, bought by decisions (the settlements sell them).
    const shareOrders = orders.filter((o) => !parseOccSymbol(o.symbol).ok);
    expect(new Set(shareOrders.map((o) => o.symbol))).toEqual(new Set(["NVDA", "AAPL", "PYPL"]));
    for (const o of shareOrders) expect(o.quantity % 100).toBe(0);
    expect(shareOrders.filter((o) => o.decision_id !== null).every((o) => o.side === "buy")).toBe(true);

    // Calls sold to open by decisions: monthly expiries, at a bid above 0, one per 100 shares.
    const sold = orders.filter((o) => o.decision_id !== null && parseOccSymbol(o.symbol).ok);
    expect(sold.length).toBeGreaterThan(3);
    for (const o of sold) {
      const c = parseOccSymbol(o.symbol);
      expect(c.ok && c.value.right).toBe("call");
      expect(o.side).toBe("sell_short");
      const [f] = fillOf(o.id);
      expect(micros(f!.price)).toBeGreaterThan(0n);
      expect(micros(f!.cash_delta)).toBe(micros(f!.price) * 100n * BigInt(o.quantity)); // no fees by default: the premium × 100 a contract
    }
    // The first calls wait for the chain's 21 daily closes: the 22nd bar, 2025-07-11.
    expect(sold[0]!.placed_at.toISOString().slice(0, 10)).toBe("2025-07-11");

    // Expiries, settled by the engine (no decision) at the bar after the expiry's close.
    const settled = orders.filter((o) => o.decision_id === null);
    const optionSettled = settled.filter((o) => parseOccSymbol(o.symbol).ok);
    expect(optionSettled.length).toBeGreaterThan(0);
    // On these bars, 13 sales to open (31 contracts), and at the Aug, Sep and Oct expiries both outcomes, settled at the next bar.
    expect([sold.length, sold.reduce((n, o) => n + o.quantity, 0)]).toEqual([13, 31]);
    expect(optionSettled.map((o) => [o.symbol, o.quantity, o.reason, o.placed_at.toISOString().slice(0, 10)])).toEqual([
      ["AAPL250815C00220000", 1, "assigned", "2025-08-18"],
      ["NVDA250815C00172500", 2, "assigned", "2025-08-18"],
      ["PYPL250815C00080000", 4, "expired_worthless", "2025-08-18"],
      ["AAPL250919C00245000", 1, "assigned", "2025-09-22"],
      ["NVDA250919C00187500", 2, "expired_worthless", "2025-09-22"],
      ["PYPL250919C00074000", 5, "expired_worthless", "2025-09-22"],
      ["AAPL251017C00260000", 1, "expired_worthless", "2025-10-20"],
      ["NVDA251017C00182500", 2, "assigned", "2025-10-20"],
      ["PYPL251017C00070000", 5, "expired_worthless", "2025-10-20"],
    ]);
    for (const o of optionSettled) {
      const c = parseOccSymbol(o.symbol);
      if (!c.ok) throw new Error(o.symbol);
      const { underlying, strike, expiry } = c.value;
      expect(o.side).toBe("buy_to_cover");
      const [close] = fillOf(o.id);
      expect(close!.price).toBe("0.000000"); // the option closes at 0 either way
      const at = o.placed_at.getTime();
      const delivery = settled.filter((d) => d.symbol === underlying && d.placed_at.getTime() === at && d.reason === o.reason);
      const text = decisions.find((d) => d.clock.getTime() === at)!.text;
      if (o.reason === "assigned") {
        // 100 shares a contract sold at the strike, exact to the micro-dollar.
        expect(delivery.map((d) => [d.side, d.quantity])).toEqual([["sell", 100 * o.quantity]]);
        const [f] = fillOf(delivery[0]!.id);
        expect(micros(f!.price)).toBe(strike);
        expect(micros(f!.cash_delta)).toBe(strike * 100n * BigInt(o.quantity));
        // Bought back at that bar by the decision, and a new call sold against them.
        expect(orders.some((b) => b.decision_id !== null && b.symbol === underlying && b.side === "buy" && b.placed_at.getTime() === at)).toBe(true);
        expect(text).toContain(`${o.symbol} (the $${(Number(strike) / 1e6).toFixed(2)} call of ${expiry}) ${o.quantity === 1 ? "was" : "were"} assigned at the expiry's close`);
        expect(text).toMatch(new RegExp(`Bought \\d+ ${underlying} at .*: buy back the \\d+ shares called away`));
      } else {
        expect(o.reason).toBe("expired_worthless");
        expect(delivery).toEqual([]);
        expect(text).toContain(`${o.symbol} (the $${(Number(strike) / 1e6).toFixed(2)} call of ${expiry}) expired worthless`);
      }
      // Either way the next call on the underlying is sold at that bar (roll at expiry), unless the session ends there.
      const next = sold.find((n) => n.placed_at.getTime() === at && parseOccSymbol(n.symbol).ok && n.symbol.startsWith(underlying));
      expect(next, `${o.symbol} rolled`).toBeDefined();
      expect(text).toMatch(/Sold to open \d+ [A-Z]+\d{6}C\d{8} at \$\d+\.\d\d/);
    }

    // Always covered: folding the fills bar by bar, the calls written on an underlying never exceed its shares / 100.
    const held = new Map<string, number>();
    const times = [...new Set(fills.map((f) => f.filled_at.getTime()))];
    for (const t of times) {
      for (const f of fills.filter((x) => x.filled_at.getTime() === t)) {
        const sign = f.side === "buy" || f.side === "buy_to_cover" ? 1 : -1;
        held.set(f.symbol, (held.get(f.symbol) ?? 0) + sign * f.quantity);
      }
      for (const [symbol, q] of held) {
        const c = parseOccSymbol(symbol);
        if (c.ok && q < 0) expect(-q * 100, `${symbol} at ${new Date(t).toISOString()}`).toBeLessThanOrEqual(held.get(c.value.underlying) ?? 0);
      }
    }
    // Covered calls need no margin: never a margin call, never a forced buy-back.
    const [calls] = await env.sql<{ n: number }[]>`select count(*)::int as n from session_events where session_id = ${s.id} and type = 'margin_call'`;
    expect(calls!.n).toBe(0);
    expect(orders.filter((o) => o.reason === "margin_call")).toEqual([]);
    // The positions are those fills folded, and the cash is the start plus every fill's cash, exact.
    const positions = await env.sql<{ symbol: string; quantity: number }[]>`select symbol, quantity::int as quantity from positions where session_id = ${s.id} and quantity <> 0`;
    expect(Object.fromEntries(positions.map((p) => [p.symbol, p.quantity]))).toEqual(Object.fromEntries([...held].filter(([, q]) => q !== 0)));
    const [account] = await env.sql<{ cash: string }[]>`select cash::text from accounts where session_id = ${s.id}`;
    expect(micros(account!.cash)).toBe(BigInt(START) * 1_000_000n + fills.reduce((sum, f) => sum + micros(f.cash_delta), 0n));
  });
});
