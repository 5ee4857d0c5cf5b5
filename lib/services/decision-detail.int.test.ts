import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunnerDeps } from "@/lib/services/sessions/runner";
import { createUser } from "@/tests/support/database";
import { createPlannedSession, runBarByBar, T, startWorkingOrderRunner, stopWorkingOrderRunner, type WorkingOrderRunner } from "@/tests/support/working-order-sessions";
import { orderLife } from "@/lib/viewer/order-life";
import { grantAdmin } from "@/lib/db/migrate";
import { auditDecision } from "./admin-audit";
import { getDecisionDetail } from "./decision-detail";

/**
 * Each order's life in its decision's details (issue #22): the orders a decision placed, followed to their ends at
 * later bars, on the bars of tests/support/working-order-sessions.ts (numbers of lib/trading/working-order-kinds.int.test.ts):
 *
 * bar 0 (D0): a bracket on CCC — buy 10 limit 101 (fills at D0's open, 100), take-profit 108 (fills in D2, whose
 *   high is 111), stop-loss 95 (cancelled with it); a buy 10 DDD at the market and a sell trailing stop of $5 (its
 *   mark follows the highs 102, 106, 108; D3 falls to 100 through the stop 103: triggered and filled at 103); a
 *   buy limit 90 of CCC, cancelled by the model at bar 1; a buy limit 80 of CCC, cancelled with the session's end.
 */
let env: WorkingOrderRunner["env"];
let jobs: WorkingOrderRunner["jobs"];
let deps: RunnerDeps;
beforeAll(async () => void ({ env, jobs, deps } = await startWorkingOrderRunner("decision_detail")), 60_000);
afterAll(() => stopWorkingOrderRunner({ env, jobs }));

describe("a decision's orders and their lives", () => {
  it("every later trigger, fill and end of the orders a decision placed, at the bar it came, and only the owner sees them", async () => {
    const user = await createUser(env.sql, "detail-life");
    const s = await createPlannedSession(env, jobs.jobs, user, [
      [0, [
        ["place_order", { symbol: "CCC", side: "buy", quantity: 10, type: "limit", limitPrice: 101, timeInForce: "gtc", orderClass: "bracket", takeProfit: { limitPrice: 108 }, stopLoss: { stopPrice: 95 } }],
        ["buy", { symbol: "DDD", quantity: 10 }],
        ["place_order", { symbol: "DDD", side: "sell", quantity: 10, type: "trailing_stop", trailPrice: 5, timeInForce: "gtc" }],
        ["place_order", { symbol: "CCC", side: "buy", quantity: 1, type: "limit", limitPrice: 90, timeInForce: "gtc" }],
        ["place_order", { symbol: "CCC", side: "buy", quantity: 1, type: "limit", limitPrice: 80, timeInForce: "gtc" }],
      ]],
      [1, [["cancel_order", { ref: `${T[0]!.toISOString()}-3` }]]],
    ], ["CCC", "DDD"]);
    expect(await runBarByBar(deps, s.id)).toBe("completed");
    const decisions = await env.sql<{ id: string }[]>`select id from decisions where session_id = ${s.id} order by clock`;

    const d = await getDecisionDetail(user.ctx, s.id, decisions[0]!.id, env.db);
    const lives = d.orders.map((o) => [`${o.symbol} ${o.type} ${o.leg}`, orderLife(o, d.orders, d.fills).map((x) => `${x.at ?? "-"} ${x.text}`)]);
    expect(lives).toEqual([
      ["CCC limit entry", [`${T[0]!.toISOString()} Placed (GTC), working`, `${T[0]!.toISOString()} Filled 10 @ $100.00 · fee $0.00`]],
      ["CCC limit take_profit", [
        `${T[0]!.toISOString()} Placed (GTC), held until its entry fills`,
        `${T[0]!.toISOString()} Active: its entry filled`,
        `${T[2]!.toISOString()} Filled 10 @ $108.00 · fee $0.00 · realized $80.00`,
      ]],
      ["CCC stop stop_loss", [
        `${T[0]!.toISOString()} Placed (GTC), held until its entry fills`,
        `${T[0]!.toISOString()} Active: its entry filled`,
        `${T[2]!.toISOString()} Cancelled: its other leg filled`,
      ]],
      ["DDD market entry", [`${T[0]!.toISOString()} Placed at the market`, `${T[0]!.toISOString()} Filled 10 @ $100.00 · fee $0.00`]],
      ["DDD trailing_stop entry", [
        `${T[0]!.toISOString()} Placed (GTC), working`,
        `${T[3]!.toISOString()} Triggered`,
        `${T[3]!.toISOString()} Filled 10 @ $103.00 · fee $0.00 · realized $30.00`,
      ]],
      ["CCC limit entry", [`${T[0]!.toISOString()} Placed (GTC), working`, `${T[1]!.toISOString()} Cancelled: by the model`]],
      ["CCC limit entry", [`${T[0]!.toISOString()} Placed (GTC), working`, "- Cancelled: the session ended"]],
    ]);
    // The stored ends the details read: the bar of the end, set once (drizzle/0031); none for the session's end.
    const ends = await env.sql<{ status: string; reason: string | null; ended: Date | null }[]>`
      select status, status_reason as reason, ended_at as ended from orders where session_id = ${s.id} and type <> 'market' order by created_at`;
    expect(ends.map((e) => [e.status, e.reason, e.ended?.toISOString() ?? null])).toEqual([
      ["filled", null, T[0]!.toISOString()],
      ["filled", null, T[2]!.toISOString()],
      ["cancelled", "oco", T[2]!.toISOString()],
      ["filled", null, T[3]!.toISOString()],
      ["cancelled", "requested", T[1]!.toISOString()],
      ["cancelled", "session_end", null],
    ]);

    // The audit's decision page tells the same lives to an admin.
    const boss = await createUser(env.sql, "detail-admin");
    await grantAdmin(env.sql, [boss.email]);
    const audited = await auditDecision(boss.ctx, decisions[0]!.id, env.db);
    expect([audited.interval, audited.orders, audited.fills]).toEqual(["day", d.orders, d.fills]);

    // The later decision placed nothing of its own; the other user sees no decision at all.
    expect((await getDecisionDetail(user.ctx, s.id, decisions[1]!.id, env.db)).orders).toEqual([]);
    const other = await createUser(env.sql, "detail-other");
    await expect(getDecisionDetail(other.ctx, s.id, decisions[0]!.id, env.db)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
