import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunnerDeps } from "@/lib/services/sessions/runner";
import { callAgentTool, ownerAsAgent } from "@/lib/services/outside-agent";
import { getSessionOptionChain, getSessionOptionGreeks } from "@/lib/services/session-options";
import { getViewerState } from "@/lib/services/session-view";
import { toolOutputSchemas } from "@/lib/agent/tool-contract";
import { expiryRows } from "@/lib/viewer/expiries";
import { createUser } from "@/tests/support/database";
import { OPT, seedOpt } from "@/tests/support/option-sessions";
import { createPlannedSession, runBarByBar, T, startWorkingOrderRunner, stopWorkingOrderRunner, type WorkingOrderRunner } from "@/tests/support/working-order-sessions";

/**
 * Portfolio Greeks and what the viewer shows of options, on a real database through the session runner: day bars of
 * a made-up underlying OPT (40 days of history around $50, then D0…D5 = 2025-03-03 … 03-10 rising to 52.5), free
 * trading, $10,000. The model buys a call 45 of Friday 2025-03-07 (exercised after that close: 100 OPT at 45) and a
 * put 50 of 2025-03-14, still held when the session ends; at bar 1 it reads get_portfolio.
 */
const C45 = "OPT250307C00045000";
const P50 = "OPT250314P00050000";


let env: WorkingOrderRunner["env"];
let jobs: WorkingOrderRunner["jobs"];
let deps: RunnerDeps;
beforeAll(async () => void ({ env, jobs, deps } = await startWorkingOrderRunner("option_greeks", seedOpt)), 60_000);
afterAll(() => stopWorkingOrderRunner({ env, jobs }));

const buy = (symbol: string) => ["place_option_order", { symbol, side: "buy", positionIntent: "buy_to_open", quantity: 1 }] as const;

describe("portfolio Greeks", () => {
  it("get_portfolio adds the contracts' Greeks while they are held, in process and over REST; the viewer reads the same and the expiry's rows", async () => {
    const user = await createUser(env.sql, "greeks");
    const s = await createPlannedSession(env, jobs.jobs, user, [[0, [buy(C45), buy(P50)]], [1, [["get_portfolio", {}]]]], [OPT]);
    expect(await runBarByBar(deps, s.id)).toBe("completed");

    // In process, at bar 1 (2025-03-04's open): both contracts, each from its modelled row.
    const [d1] = await env.sql<{ calls: { name: string; output: unknown }[] }[]>`select tool_calls as calls from decisions where session_id = ${s.id} and clock = ${T[1]!}`;
    const atBar1 = toolOutputSchemas.get_portfolio.parse(d1!.calls.find((c) => c.name === "get_portfolio")!.output);
    expect(atBar1.options!.at).toBe(T[1]!.toISOString());
    expect(atBar1.options!.positions.map((p) => [p.symbol, p.quantity, p.right, p.strike, p.expiry])).toEqual([
      [C45, 1, "call", 45, "2025-03-07"],
      [P50, 1, "put", 50, "2025-03-14"],
    ]);
    const [call, put] = atBar1.options!.positions;
    expect(call!.daysToExpiry).toBeCloseTo(3 + 6.5 / 24, 2); // Tuesday 09:30 to Friday 16:00
    expect(call!.delta).toBeGreaterThan(0.9); // five dollars in the money, three days left
    expect(put!.delta).toBeLessThan(0);
    expect(call!.position.delta).toBeCloseTo(100 * call!.delta, 1);
    for (const p of atBar1.options!.positions) expect(p.position.value).toBe(atBar1.positions.find((x) => x.symbol === p.symbol)!.marketValue);
    expect(atBar1.options!.totals.delta).toBeCloseTo(call!.position.delta + put!.position.delta, 1);
    expect(atBar1.options!.underlyings).toEqual([{ underlying: OPT, shares: 0, optionDelta: atBar1.options!.totals.delta, netDelta: atBar1.options!.totals.delta }]);

    // Over REST / MCP at the reader clock (the last bar, 2025-03-10): the put still held, beside the 100 OPT the call delivered.
    const agent = await ownerAsAgent(user.ctx, s.id, env.db);
    const end = toolOutputSchemas.get_portfolio.parse(await callAgentTool(agent, "get_portfolio", {}, { db: env.db }));
    expect(end.options!.positions.map((p) => p.symbol)).toEqual([P50]);
    expect(end.options!.at).toBe(T[5]!.toISOString());
    expect(end.options!.underlyings[0]).toMatchObject({ underlying: OPT, shares: 100 });
    expect(end.options!.underlyings[0]!.netDelta).toBeCloseTo(100 + end.options!.positions[0]!.position.delta, 1);

    // The viewer's read: the same numbers, with the chain's rate for the payoff.
    const viewed = await getSessionOptionGreeks(user.ctx, s.id, env.db);
    expect(viewed).toEqual({ ...end.options, rate: 0.04, dividendYield: 0 });

    // The chain view at the same clock: the nearest listed expiry first, then one asked for.
    const chain = await getSessionOptionChain(user.ctx, s.id, { underlying: OPT, expiry: null }, env.db);
    expect(chain).toMatchObject({ underlying: OPT, underlyingPrice: 52, at: T[5]!.toISOString(), source: "modelled", expiry: "2025-03-14" });
    expect(chain.contracts).toHaveLength(40);
    expect(chain.expiries.map((e) => e.expiry)).toContain("2025-03-21");
    const later = await getSessionOptionChain(user.ctx, s.id, { underlying: OPT, expiry: "2025-03-21" }, env.db);
    expect(new Set(later.contracts.map((c) => c.expiry))).toEqual(new Set(["2025-03-21"]));
    expect(later.contracts.find((c) => c.symbol === "OPT250321C00052000")!.ask).toBeGreaterThan(chain.contracts.find((c) => c.symbol === "OPT250314C00052000")!.ask);

    // The viewer's feed: the expiry's orders, one row for the contract and its shares.
    const state = await getViewerState(user.ctx, s.id, env.db);
    expect(expiryRows(state.settlements).map((r) => [r.clock, r.text])).toEqual([[T[5]!.toISOString(), `${C45} exercised: 100 OPT bought at $45.00 (1 contract held)`]]);
  });

  it("an equity book's get_portfolio has no options field: the answer is as it was", async () => {
    const user = await createUser(env.sql, "no-greeks");
    const s = await createPlannedSession(env, jobs.jobs, user, [[0, [["buy", { symbol: OPT, quantity: 10 }]]]], [OPT]);
    expect(await runBarByBar(deps, s.id)).toBe("completed");
    const out = (await callAgentTool(await ownerAsAgent(user.ctx, s.id, env.db), "get_portfolio", {}, { db: env.db })) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(["cash", "equity", "positions", "universe"]);
    expect(await getSessionOptionGreeks(user.ctx, s.id, env.db)).toBeNull();
    expect((await getViewerState(user.ctx, s.id, env.db)).settlements).toEqual([]);
  });

  it("another user's session is not found", async () => {
    const owner = await createUser(env.sql, "owner");
    const other = await createUser(env.sql, "other");
    const s = await createPlannedSession(env, jobs.jobs, owner, [], [OPT]);
    await expect(getSessionOptionGreeks(other.ctx, s.id, env.db)).rejects.toThrow(/not found/i);
    await expect(getSessionOptionChain(other.ctx, s.id, { underlying: OPT, expiry: null }, env.db)).rejects.toThrow(/not found/i);
  });
});
