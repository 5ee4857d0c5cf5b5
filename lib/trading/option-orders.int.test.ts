import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import type { RunnerDeps } from "@/lib/services/sessions/runner";
import { createUser } from "@/tests/support/database";
import { seedBars } from "@/tests/support/session-fixtures";
import { OPT, optBars } from "@/tests/support/option-sessions";
import { createPlannedSession, runBarByBar, T, startWorkingOrderRunner, stopWorkingOrderRunner, type WorkingOrderRunner } from "@/tests/support/working-order-sessions";

/**
 * Options through the session runner (issue #23 items 1, 4, 5), on day bars of a made-up underlying OPT: 40 days of
 * history around $50 (so the chain has its realised volatility), then D0…D5 (2025-03-03 … 03-10) rising from an open
 * of 50 to a close of 52 on Friday D4 = 2025-03-07, the weekly expiry. Free trading, $10,000.
 *
 * bar 0: buy to open 1 call 45 and 1 call 46 and 1 put 40 of 2025-03-07 at the modelled ask; a sell to open of the
 * call 45 held long is refused (a position is long or short, not both). Each bar marks them at the mid, × 100 in the equity.
 * bar 5 (after the 03-07 close, OPT at 52): the call 45 is exercised (100 OPT bought at 45); the call 46's 100 shares
 * at 46 would need $4,600 more than the cash left, so it is closed at its intrinsic value, 6.00 ($600); the put 40
 * expires worthless (closed at 0).
 */
const C45 = "OPT250307C00045000";
const C46 = "OPT250307C00046000";
const P40 = "OPT250307P00040000";

async function seedOptAndShrt(db: Db) {
  const flat = optBars("SHRT").map((b) => ({ ...b, open: 20, high: 20.5, low: 19.5, close: 20 }));
  await seedBars(db, [...optBars(), ...flat]); // SHRT: flat at 20, to be shorted
}

let env: WorkingOrderRunner["env"];
let jobs: WorkingOrderRunner["jobs"];
let deps: RunnerDeps;
beforeAll(async () => void ({ env, jobs, deps } = await startWorkingOrderRunner("option_orders", seedOptAndShrt)), 60_000);
afterAll(() => stopWorkingOrderRunner({ env, jobs }));

const buy = (symbol: string) => ["place_option_order", { symbol, side: "buy", positionIntent: "buy_to_open", quantity: 1 }] as const;

describe("option contracts through the session runner", () => {
  it("bought at the ask, marked at the mid × 100 each bar, and settled after the expiry's close: exercised, closed at intrinsic, expired", async () => {
    const user = await createUser(env.sql, "options");
    const s = await createPlannedSession(env, jobs.jobs, user, [[0, [buy(C45), buy(C46), buy(P40), ["place_option_order", { symbol: C45, side: "sell", positionIntent: "sell_to_open", quantity: 1 }]]]], [OPT]);
    expect(await runBarByBar(deps, s.id)).toBe("completed");

    const orders = await env.sql<{ symbol: string; side: string; quantity: number; status: string; reason: string | null; reject: string | null; message: string | null; decided: boolean; placed: Date }[]>`
      select symbol, side, quantity::int, status, status_reason as reason, reject_code as reject, reject_message as message, decision_id is not null as decided, placed_at as placed
      from orders where session_id = ${s.id} order by created_at`;
    expect(orders.map((o) => [o.symbol, o.side, o.quantity, o.status, o.reason, o.reject, o.decided, o.placed.toISOString()])).toEqual([
      [C45, "buy", 1, "filled", null, null, true, T[0]!.toISOString()],
      [C46, "buy", 1, "filled", null, null, true, T[0]!.toISOString()],
      [P40, "buy", 1, "filled", null, null, true, T[0]!.toISOString()],
      [C45, "sell_short", 1, "rejected", null, "POSITION_CONFLICT", true, T[0]!.toISOString()],
      [C45, "sell", 1, "filled", "exercised", null, false, T[5]!.toISOString()],
      [OPT, "buy", 100, "filled", "exercised", null, false, T[5]!.toISOString()],
      [C46, "sell", 1, "filled", "closed_at_intrinsic", null, false, T[5]!.toISOString()],
      [P40, "sell", 1, "filled", "expired_worthless", null, false, T[5]!.toISOString()],
    ]);
    expect(orders[3]!.message).toMatch(/long/); // writing a contract held long: sell_to_close it first

    const fills = await env.sql<{ symbol: string; q: number; price: string; ref: string; delta: string; cash: string }[]>`
      select symbol, quantity::int as q, price::text, reference_price::text as ref, cash_delta::text as delta, cash_after::text as cash from fills where session_id = ${s.id} order by created_at`;
    const premium = fills.slice(0, 3).map((f) => Number(f.price));
    for (const [i, f] of fills.slice(0, 3).entries()) {
      expect(Number(f.delta)).toBeCloseTo(-100 * premium[i]!, 6); // × 100 a contract, at the ask, no slippage on top
      expect(f.price).toBe(f.ref);
    }
    expect(premium[0]!).toBeGreaterThan(premium[1]!); // the call 45 costs more than the call 46
    expect(fills.slice(3).map((f) => [f.symbol, f.q, Number(f.price)])).toEqual([
      [C45, 1, 0],
      [OPT, 100, 45],
      [C46, 1, 6], // 52 − 46
      [P40, 1, 0],
    ]);
    const cash = 10_000 - 100 * (premium[0]! + premium[1]! + premium[2]!) - 4_500 + 600;
    const [account] = await env.sql<{ cash: string }[]>`select cash::text from accounts where session_id = ${s.id}`;
    expect(Number(account!.cash)).toBeCloseTo(cash, 6);
    const positions = await env.sql<{ symbol: string; q: number }[]>`select symbol, quantity::int as q from positions where session_id = ${s.id} and quantity <> 0`;
    expect(positions).toEqual([{ symbol: OPT, q: 100 }]);

    // While held, each bar's equity counts the contracts at their marks × 100 (RECORD_BAR's contract_multiplier).
    const equity = await env.sql<{ payload: { equity: string; cash: string; marks: Record<string, string> } }[]>`
      select payload from session_events where session_id = ${s.id} and type = 'equity' order by seq`;
    for (const e of equity.slice(0, 5)) {
      const held = [C45, C46, P40].reduce((sum, c) => sum + 100 * Number(e.payload.marks[c]), 0);
      expect(Number(e.payload.equity)).toBeCloseTo(Number(e.payload.cash) + held, 6);
      expect(held).toBeGreaterThan(0);
    }
    // Bought at the ask: above the mid the same clock marked them at.
    [C45, C46, P40].forEach((c, i) => expect(premium[i]!).toBeGreaterThan(Number(equity[0]!.payload.marks[c])));
    // After the settlement only the shares are left, at D5's open.
    expect(equity[5]!.payload.marks).toEqual({ [OPT]: "52.000000" });
    expect(Number(equity[5]!.payload.equity)).toBeCloseTo(cash + 100 * 52, 6);
  });

  it("a put exercised beyond the shares held opens a short, checked against the margin of the other shorts at their marks", async () => {
    const user = await createUser(env.sql, "options-short");
    const P55 = "OPT250307P00055000";
    const s = await createPlannedSession(env, jobs.jobs, user, [[0, [["short", { symbol: "SHRT", quantity: 10 }], buy(P55)]]], [OPT, "SHRT"], { allowShort: true });
    expect(await runBarByBar(deps, s.id)).toBe("completed");
    const settled = await env.sql<{ symbol: string; side: string; quantity: number; reason: string | null; price: string }[]>`
      select o.symbol, o.side, o.quantity::int, o.status_reason as reason, f.price::text as price
      from orders o join fills f on f.order_id = o.id where o.session_id = ${s.id} and o.decision_id is null order by o.created_at`;
    // OPT closed at 52 on the expiry day: the put 55 is 3 in the money; no OPT held, so its 100 shares are sold short at 55.
    expect(settled.map((r) => [r.symbol, r.side, r.quantity, r.reason, Number(r.price)])).toEqual([
      [P55, "sell", 1, "exercised", 0],
      [OPT, "sell_short", 100, "exercised", 55],
    ]);
    const positions = await env.sql<{ symbol: string; q: number }[]>`select symbol, quantity::int as q from positions where session_id = ${s.id} and quantity <> 0 order by symbol`;
    expect(positions).toEqual([{ symbol: OPT, q: -100 }, { symbol: "SHRT", q: -10 }]);
  });

  it("exercise_option before expiry: a call in the money buys 100 shares a contract at the strike; not held, out of the money or unaffordable is refused in words", async () => {
    const user = await createUser(env.sql, "options-exercise");
    const P48 = "OPT250307P00048000";
    const exercise = (symbol: string, quantity: number) => ["exercise_option", { symbol, quantity }] as const;
    const s = await createPlannedSession(env, jobs.jobs, user, [
      [0, [["place_option_order", { symbol: C45, side: "buy", positionIntent: "buy_to_open", quantity: 3 }], buy(P48)]],
      // D1 opens at 50.5: the call 45 is 5.50 in the money, the put 48 is out of it.
      [1, [exercise(C45, 3), exercise(C45, 1), exercise(P40, 1), exercise(P48, 1), exercise(C45, 1)]],
    ], [OPT], {}, "12000");
    expect(await runBarByBar(deps, s.id)).toBe("completed");

    const orders = await env.sql<{ symbol: string; side: string; quantity: number; status: string; reason: string | null; reject: string | null; message: string | null; decided: boolean; placed: Date }[]>`
      select symbol, side, quantity::int, status, status_reason as reason, reject_code as reject, reject_message as message, decision_id is not null as decided, placed_at as placed
      from orders where session_id = ${s.id} and placed_at = ${T[1]!} order by created_at`;
    expect(orders.map((o) => [o.symbol, o.side, o.quantity, o.status, o.reason, o.reject, o.decided])).toEqual([
      [C45, "sell", 3, "rejected", null, "INSUFFICIENT_CASH", true], // 300 shares at 45 = $13,500: more than the ~$10,200 left
      [C45, "sell", 1, "filled", "exercised", null, true],
      [OPT, "buy", 100, "filled", "exercised", null, true],
      [P40, "sell", 1, "rejected", null, "INSUFFICIENT_SHARES", true],
      [P48, "sell", 1, "rejected", null, "INVALID_REQUEST", true],
      [C45, "sell", 1, "filled", "exercised", null, true],
      [OPT, "buy", 100, "filled", "exercised", null, true],
    ]);
    expect(orders[0]!.message).toMatch(/^exercising 3 OPT250307C00045000 delivers buy 300 OPT at \$45\.00, which this account cannot take: need \$13,500\.00/);
    expect(orders[3]!.message).toBe(`cannot exercise 1: you hold no ${P40}`);
    expect(orders[4]!.message).toBe(`${P48} is not in the money: OPT is at $50.50, the strike is $48.00; exercising would sell below the market (sell the contract with place_option_order sell_to_close instead)`);

    const fills = await env.sql<{ symbol: string; q: number; price: string; delta: string }[]>`
      select symbol, quantity::int as q, price::text, cash_delta::text as delta from fills where session_id = ${s.id} order by created_at`;
    const [c45, p48] = fills.slice(0, 2).map((f) => Number(f.price));
    expect(fills.slice(2, 6).map((f) => [f.symbol, f.q, Number(f.price), Number(f.delta)])).toEqual([
      [C45, 1, 0, 0],
      [OPT, 100, 45, -4_500],
      [C45, 1, 0, 0],
      [OPT, 100, 45, -4_500],
    ]);
    // The third call 45 at the 03-07 expiry (OPT closed at 52): ~$1,200 of cash cannot take 100 shares at 45, so it is
    // closed at its intrinsic value, 7.00.
    const settled = await env.sql<{ symbol: string; reason: string; price: string }[]>`
      select o.symbol, o.status_reason as reason, f.price::text from orders o join fills f on f.order_id = o.id where o.session_id = ${s.id} and o.decision_id is null order by o.created_at`;
    expect(settled.map((r) => [r.symbol, r.reason, Number(r.price)])).toEqual([
      [C45, "closed_at_intrinsic", 7],
      [P48, "expired_worthless", 0],
    ]);
    const [account] = await env.sql<{ cash: string }[]>`select cash::text from accounts where session_id = ${s.id}`;
    expect(Number(account!.cash)).toBeCloseTo(12_000 - 300 * c45! - 100 * p48! - 9_000 + 700, 6);
  });
});
