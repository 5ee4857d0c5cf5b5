import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toolOutputSchemas } from "@/lib/agent/tool-contract";
import type { Db } from "@/lib/db/client";
import { insertOptionQuotes } from "@/lib/db/queries/option-quotes";
import type { StoredOptionQuote } from "@/lib/market/option-quotes";
import type { RunnerDeps } from "@/lib/services/sessions/runner";
import { getSessionOptionChain } from "@/lib/services/session-options";
import { createUser } from "@/tests/support/database";
import { OPT, seedOpt } from "@/tests/support/option-sessions";
import { createPlannedSession, runBarByBar, T, startWorkingOrderRunner, stopWorkingOrderRunner, type WorkingOrderRunner } from "@/tests/support/working-order-sessions";

/**
 * QUOTED options through the session runner (issue #23 item 3): provider quotes of OPT's 2025-03-07 contracts stored in
 * option_quotes, read through the market view's gate. D0 = 2025-03-03 (open 14:30Z), D1 = 03-04, … D5 = 03-10.
 * Free trading, $10,000.
 */
const C50 = "OPT250307C00050000";
const C51 = "OPT250307C00051000";
const P48 = "OPT250307P00048000";
const quote = (symbol: string, right: "call" | "put", strike: number, at: string, bid: number, ask: number): StoredOptionQuote => ({
  symbol, underlying: OPT, expiry: "2025-03-07", right, strike, at: new Date(at), bid, ask, source: "polygon",
});
const QUOTES = [
  quote(C50, "call", 50, "2025-02-28T20:59:00Z", 1.1, 1.3), // Friday 15:59 New York: the newest quote at D0's open
  quote(P48, "put", 48, "2025-02-28T20:59:00Z", 0.4, 0.5),
  quote(C50, "call", 50, "2025-03-03T20:59:00Z", 1.4, 1.6), // D0's last minute: the newest at D1's open
  quote(C50, "call", 50, "2025-03-04T14:31:00Z", 9, 9.5), // a minute AFTER D1's open: never seen at D1
];

let env: WorkingOrderRunner["env"];
let jobs: WorkingOrderRunner["jobs"];
let deps: RunnerDeps;
beforeAll(async () => {
  ({ env, jobs, deps } = await startWorkingOrderRunner("option_quoted", async (db: Db) => {
    await seedOpt(db);
    expect(await insertOptionQuotes(db, QUOTES)).toBe(4);
    expect(await insertOptionQuotes(db, QUOTES)).toBe(0); // a quote stored is never changed
  }));
}, 60_000);
afterAll(() => stopWorkingOrderRunner({ env, jobs }));

const order = (symbol: string, side: "buy" | "sell", positionIntent: string, quantity: number) => ["place_option_order", { symbol, side, positionIntent, quantity }] as const;

describe("a session trading quoted options", () => {
  it("sees the chain quoted at its clock, fills at the quoted ask and bid, never sees a quote stamped after the clock, and falls back to the model once the quotes are stale", async () => {
    const user = await createUser(env.sql, "quoted");
    const s = await createPlannedSession(env, jobs.jobs, user, [
      [0, [["get_option_chain", { underlying: OPT, expiry: "2025-03-07" }], order(C50, "buy", "buy_to_open", 2), order(C51, "buy", "buy_to_open", 1)]],
      [1, [["get_option_quote", { symbol: C50 }], ["get_portfolio", {}], order(C50, "sell", "sell_to_close", 2)]],
    ], [OPT]);
    expect(await runBarByBar(deps, s.id)).toBe("completed");

    const calls = async (i: number) =>
      (await env.sql<{ calls: { name: string; output: unknown }[] }[]>`select tool_calls as calls from decisions where session_id = ${s.id} and clock = ${T[i]!}`)[0]!.calls;
    const d0 = await calls(0);
    const chain = toolOutputSchemas.get_option_chain.parse(d0.find((c) => c.name === "get_option_chain")!.output);
    expect(chain.source).toBe("quoted");
    expect(chain.expiries).toEqual([{ expiry: "2025-03-07", kind: "weekly" }]);
    expect(chain.contracts.map((r) => [r.symbol, r.bid, r.ask, r.mid, r.source])).toEqual([
      [P48, 0.4, 0.5, 0.45, "quoted"],
      [C50, 1.1, 1.3, 1.2, "quoted"],
    ]);
    expect(chain.contracts[1]!.iv).toBeGreaterThan(0.05); // implied from the mid, 4.27 days out at the money

    const d1 = await calls(1);
    const q1 = toolOutputSchemas.get_option_quote.parse(d1.find((c) => c.name === "get_option_quote")!.output);
    expect([q1.bid, q1.ask, q1.source, q1.at]).toEqual([1.4, 1.6, "quoted", T[1]!.toISOString()]); // not the 9.00/9.50 of 14:31
    const portfolio = toolOutputSchemas.get_portfolio.parse(d1.find((c) => c.name === "get_portfolio")!.output);
    expect(portfolio.options!.source).toBe("quoted");
    expect(portfolio.options!.positions.map((p) => [p.symbol, p.quantity, p.mark, p.source])).toEqual([[C50, 2, 1.5, "quoted"]]);

    const orders = await env.sql<{ symbol: string; status: string; reject: string | null; message: string | null }[]>`
      select symbol, status, reject_code as reject, reject_message as message from orders where session_id = ${s.id} order by created_at, id`;
    expect(orders.map((o) => [o.symbol, o.status, o.reject])).toEqual([
      [C50, "filled", null],
      [C51, "rejected", "MARKET_CLOSED"], // as any contract without a quote now
      [C50, "filled", null],
    ]);
    expect(orders[1]!.message).toContain(`${C51} has no quote at this point of the session (OPT's chain is quoted by the market data`);
    const fills = await env.sql<{ side: string; price: string }[]>`select side, price::text from fills where session_id = ${s.id} order by created_at, id`;
    expect(fills.map((f) => [f.side, Number(f.price)])).toEqual([["buy", 1.3], ["sell", 1.4]]); // the quoted ask, then the quoted bid
    const [account] = await env.sql<{ cash: string }[]>`select cash::text from accounts where session_id = ${s.id}`;
    expect(Number(account!.cash)).toBe(10_000 - 2 * 100 * 1.3 + 2 * 100 * 1.4);

    // At the session's end (2025-03-10's open) the newest quote (03-04 14:31) is six days old: the chain is modelled again.
    const atEnd = await getSessionOptionChain(user.ctx, s.id, { underlying: OPT, expiry: null }, env.db);
    expect(atEnd.source).toBe("modelled");
  });

  it("marks a contract held by the model once its own quotes have gone stale while its expiry is still quoted: the session runs on", async () => {
    const user = await createUser(env.sql, "held-unquoted");
    // P48's only quote is from 02-28 20:58: stale (over four days) from D2 (03-05 14:30), while C50's quote of 03-04 keeps
    // the expiry quoted. The put is held to its expiry; every bar marks it (by the model once unquoted), none stops.
    const s = await createPlannedSession(env, jobs.jobs, user, [
      [0, [order(P48, "buy", "buy_to_open", 1)]],
      [2, [["get_portfolio", {}], ["get_option_quote", { symbol: P48 }]]],
    ], [OPT]);
    expect(await runBarByBar(deps, s.id)).toBe("completed");
    const [d2] = await env.sql<{ calls: { name: string; output: unknown; error: string | null }[] }[]>`select tool_calls as calls from decisions where session_id = ${s.id} and clock = ${T[2]!}`;
    const portfolio = toolOutputSchemas.get_portfolio.parse(d2!.calls.find((c) => c.name === "get_portfolio")!.output);
    expect(portfolio.options!.positions.map((p) => [p.symbol, p.quantity, p.source])).toEqual([[P48, 1, "modelled"]]);
    // A new order on it is still refused: no quote of its own, and its expiry is quoted.
    expect(d2!.calls.find((c) => c.name === "get_option_quote")!.error).toMatch(/OPT250307P00048000 has no quote at this point of the session/);
    const [fill] = await env.sql<{ price: string }[]>`select price::text from fills where session_id = ${s.id} order by created_at limit 1`;
    expect(Number(fill!.price)).toBe(0.5); // bought at its quoted ask
  });
});
