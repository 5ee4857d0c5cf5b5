import { describe, expect, it } from "vitest";
import { usd } from "@/tests/support/engine-helpers";
import { bar } from "@/tests/support/working-order-fixtures";
import { evaluateOrder, type Activation } from "./fill-rules";
import type { Money } from "./money";
import type { OrderSide, OrderType, TimeInForce } from "./order";
import type { WorkingOrder } from "./working-orders";

/** Hand-computed price rules on one bar: open 100, high 105, low 95, close 102. */
const B = bar(0, 100, 105, 95, 102);

function order(side: OrderSide, type: OrderType, p: { limit?: number; stop?: number; tif?: TimeInForce; triggered?: boolean; role?: WorkingOrder["role"] } = {}): WorkingOrder {
  return {
    id: "o1",
    symbol: "AAPL",
    side,
    type,
    role: p.role ?? "entry",
    quantity: 10,
    filledQuantity: 0,
    filledNotional: 0n,
    ...(p.limit === undefined ? {} : { limitPrice: usd(p.limit) }),
    ...(p.stop === undefined ? {} : { stopPrice: usd(p.stop) }),
    timeInForce: p.tif ?? "gtc",
    status: p.triggered ? "triggered" : "accepted",
    triggered: p.triggered ?? false,
    placedAt: B.time,
  };
}

const fills = (at: number | null, triggers = false) => ({ triggers, fillAt: at === null ? null : usd(at) });

describe("evaluateOrder: the price rules, buy side and mirrored sell side", () => {
  const cases: [string, WorkingOrder, { triggers: boolean; fillAt: Money | null }][] = [
    ["market: the open", order("buy", "market"), fills(100)],
    ["buy limit 97 inside the bar: at the limit", order("buy", "limit", { limit: 97 }), fills(97)],
    ["buy limit 101 above the open (marketable): at the open", order("buy", "limit", { limit: 101 }), fills(100)],
    ["buy limit 95 at the low exactly: at the limit", order("buy", "limit", { limit: 95 }), fills(95)],
    ["buy limit 94.99 below the low: no fill", order("buy", "limit", { limit: 94.99 }), fills(null)],
    ["sell limit 103: at the limit", order("sell", "limit", { limit: 103 }), fills(103)],
    ["sell limit 99 below the open: at the open", order("sell", "limit", { limit: 99 }), fills(100)],
    ["sell limit 105.01 above the high: no fill", order("sell", "limit", { limit: 105.01 }), fills(null)],
    ["buy stop 104 inside the bar: triggers, at the stop", order("buy", "stop", { stop: 104 }), fills(104, true)],
    ["buy stop 98 below the open (gap through): at the open", order("buy", "stop", { stop: 98 }), fills(100, true)],
    ["buy stop 105.01 above the high: nothing", order("buy", "stop", { stop: 105.01 }), fills(null)],
    ["sell stop 96: triggers, at the stop", order("sell", "stop", { stop: 96 }), fills(96, true)],
    ["sell stop 101 above the open (gap through): at the open", order("sell", "stop", { stop: 101 }), fills(100, true)],
    ["a stop triggered on an earlier bar: a market order, the open", order("sell", "stop", { stop: 90, triggered: true }), fills(100)],
    ["buy stop-limit 104/104.5, touched inside: at the stop", order("buy", "stop_limit", { stop: 104, limit: 104.5 }), fills(104, true)],
    ["buy stop-limit 104/103 (limit under the stop), touched inside: triggers, rests", order("buy", "stop_limit", { stop: 104, limit: 103 }), fills(null, true)],
    ["buy stop-limit 98/99 gapped through: a limit from the open, at 99", order("buy", "stop_limit", { stop: 98, limit: 99 }), fills(99, true)],
    ["buy stop-limit 98/101 gapped through: at the open", order("buy", "stop_limit", { stop: 98, limit: 101 }), fills(100, true)],
    ["buy stop-limit 98/94 gapped through, limit under the low: triggers only", order("buy", "stop_limit", { stop: 98, limit: 94 }), fills(null, true)],
    ["triggered buy stop-limit, limit 96: a limit, at 96", order("buy", "stop_limit", { stop: 104, limit: 96, triggered: true }), fills(96)],
    ["sell stop-limit 96/95.5 touched inside: at the stop", order("sell", "stop_limit", { stop: 96, limit: 95.5 }), fills(96, true)],
    ["sell trailing stop at 97: triggers as a stop", order("sell", "trailing_stop", { stop: 97 }), fills(97, true)],
    ["buy trailing stop at 104.5: triggers as a stop", order("buy", "trailing_stop", { stop: 104.5 }), fills(104.5, true)],
    ["ioc buy limit 97: only the open counts, 100 > 97: nothing", order("buy", "limit", { limit: 97, tif: "ioc" }), fills(null)],
    ["ioc buy limit 101: at the open", order("buy", "limit", { limit: 101, tif: "ioc" }), fills(100)],
    ["fok sell limit 99: at the open", order("sell", "limit", { limit: 99, tif: "fok" }), fills(100)],
    ["opg market on a bar that is not a day's first: waits", order("buy", "market", { tif: "opg" }), fills(null)],
    ["cls limit on a bar that is not a day's last: waits", order("sell", "limit", { limit: 101, tif: "cls" }), fills(null)],
  ];
  it.each(cases)("%s", (_name, o, expected) => {
    expect(evaluateOrder(o, B, "bar")).toEqual(expected);
  });

  it("opg acts at a day's first open, cls at a day's last close, each only if its limit allows", () => {
    const first = { ...B, firstOfDay: true };
    const last = { ...B, lastOfDay: true };
    expect(evaluateOrder(order("buy", "market", { tif: "opg" }), first, "bar")).toEqual(fills(100));
    expect(evaluateOrder(order("buy", "limit", { limit: 101, tif: "opg" }), first, "bar")).toEqual(fills(100));
    expect(evaluateOrder(order("buy", "limit", { limit: 99, tif: "opg" }), first, "bar")).toEqual(fills(null));
    expect(evaluateOrder(order("sell", "market", { tif: "cls" }), last, "bar")).toEqual(fills(102));
    expect(evaluateOrder(order("sell", "limit", { limit: 101, tif: "cls" }), last, "bar")).toEqual(fills(102));
    expect(evaluateOrder(order("sell", "limit", { limit: 103, tif: "cls" }), last, "bar")).toEqual(fills(null));
  });

  it("an exit activated inside the bar: a stop-loss triggers at its stop, a take-profit waits for the next bar", () => {
    const intrabar: Activation = { after: usd(98) }; // the entry filled at 98, after the open
    expect(evaluateOrder(order("sell", "stop", { stop: 96, role: "stop_loss" }), B, intrabar)).toEqual(fills(96, true));
    // A stop the entry price already passed: at the entry price, not the open 100 nor the stop 101.
    expect(evaluateOrder(order("sell", "stop", { stop: 101, role: "stop_loss" }), B, intrabar)).toEqual(fills(98, true));
    // A stop-limit whose limit refuses that price: triggered, rests.
    expect(evaluateOrder(order("sell", "stop_limit", { stop: 101, limit: 99, role: "stop_loss" }), B, intrabar)).toEqual(fills(null, true));
    expect(evaluateOrder(order("sell", "stop_limit", { stop: 96, limit: 95.5, role: "stop_loss" }), B, intrabar)).toEqual(fills(96, true));
    expect(evaluateOrder(order("sell", "stop", { stop: 94, role: "stop_loss" }), B, intrabar)).toEqual(fills(null));
    expect(evaluateOrder(order("sell", "limit", { limit: 103, role: "take_profit" }), B, intrabar)).toEqual(fills(null));
  });
});
