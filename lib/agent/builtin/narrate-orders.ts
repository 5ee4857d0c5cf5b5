import { cancelOrderOutputSchema, placeOrderOutputSchema, type ToolInputs } from "../tool-contract";
import { list, usd } from "./format";
import { openingLines } from "./narrate";
import type { ToolCallRecord, ToolResultRecord } from "./prompt";
import type { MarketSnapshot, OrderPlan } from "./types";

interface Attempt {
  call: ToolCallRecord;
  result: ToolResultRecord | undefined;
}

/** "buy stop 12 AAPL at $231.50 (bracket: take-profit $240.10, stop-loss $226.20)", "sell trailing_stop 12 AAPL, $4.20 behind". */
export function describeOrderInput(i: Partial<ToolInputs["place_order"]>): string {
  const what = `${i.side ?? "?"} ${i.type ?? "?"} ${i.quantity ?? "?"} ${String(i.symbol ?? "?").toUpperCase()}`;
  const at = i.stopPrice !== undefined ? ` at ${usd(i.stopPrice)}` : i.limitPrice !== undefined ? ` at ${usd(i.limitPrice)}` : "";
  const trail = i.trailPrice !== undefined ? `, ${usd(i.trailPrice)} behind the best price` : i.trailPercent !== undefined ? `, ${i.trailPercent}% behind` : "";
  const legs = [
    i.takeProfit ? `take-profit ${usd(i.takeProfit.limitPrice)}` : null,
    i.stopLoss ? `stop-loss ${usd(i.stopLoss.stopPrice)}` : null,
  ].filter((x) => x !== null);
  return `${what}${at}${trail}${legs.length > 0 ? ` (${i.orderClass ?? "bracket"}: ${legs.join(", ")})` : ""}${i.timeInForce ? `, ${i.timeInForce}` : ""}`;
}

/**
 * The final text of an order strategy's decision: the rule, the view, each cancel and each order exactly as its
 * tool answered. An order is called working only when place_order said so; a rejection is said as one.
 */
export function narrateOrders(a: {
  modelId: string;
  rule: string;
  paramNote: string | null;
  snapshot: MarketSnapshot;
  notes: readonly string[];
  reasons: Pick<OrderPlan, "cancels" | "places">;
  cancels: readonly Attempt[];
  places: readonly Attempt[];
  /** Orders the plan wanted while place_order was not offered. */
  unplaced: OrderPlan["places"];
}): string {
  const s = a.snapshot;
  const lines = openingLines(a);

  for (const c of a.cancels) lines.push(describeCancel(c, a.reasons.cancels));
  for (const p of a.places) lines.push(describePlace(p, a.reasons.places));
  if (a.unplaced.length > 0) {
    lines.push(`I would place ${list(a.unplaced.map((p) => describeOrderInput(p.input)))}, but place_order was not offered, so nothing was placed.`);
  }
  if (a.cancels.length + a.places.length + a.unplaced.length === 0) {
    const held = Object.entries(s.holdings).map(([sym, q]) => `${q} ${sym}`);
    lines.push(`No new orders and no cancels this bar. ${held.length > 0 ? `Holding ${list(held)}.` : "No positions."}`);
  }
  lines.push(`Before this bar's orders: cash ${usd(s.cash)}, equity ${usd(s.equity)}.`);
  return lines.join("\n");
}

function describeCancel(c: Attempt, planned: OrderPlan["cancels"]): string {
  const orderId = String((c.call.input as { orderId?: unknown }).orderId);
  const why = planned.find((p) => p.orderId === orderId)?.reason;
  if (!c.result) return `Asked to cancel order ${orderId}; no result came back, so I cannot say it was cancelled.`;
  if (!c.result.ok) return `Tried to cancel order ${orderId}, but it failed: ${c.result.error}`;
  const out = cancelOrderOutputSchema.safeParse(c.result.value);
  if (!out.success) return `Tried to cancel order ${orderId}; the tool answered in an unexpected shape, so I cannot say it was cancelled.`;
  const o = out.data.order;
  return `Cancelled the ${o.leg.replace("_", "-")} ${o.side} ${o.type} ${o.quantity} ${o.symbol} (${o.orderId})${why ? `: ${why}` : ""}.`;
}

function describePlace(p: Attempt, planned: OrderPlan["places"]): string {
  const input = p.call.input as Partial<ToolInputs["place_order"]>;
  const what = describeOrderInput(input);
  const why = planned.find((x) => x.input.symbol === input.symbol && x.input.type === input.type)?.reason;
  if (!p.result) return `Asked to place ${what}; no result came back, so I cannot say it was placed.`;
  if (!p.result.ok) return `Tried to place ${what}, but it failed: ${p.result.error}`;
  const out = placeOrderOutputSchema.safeParse(p.result.value);
  if (!out.success) return `Tried to place ${what}; the tool answered in an unexpected shape, so I cannot say it was placed.`;
  const o = out.data;
  if (o.status === "rejected") return `Tried to place ${what}, but it was rejected${o.rejectCode ? ` (${o.rejectCode})` : ""}: ${o.message}`;
  const legs = o.legs.length > 0 ? ` with ${o.legs.map((l) => `${l.leg.replace("_", "-")} ${l.orderId}`).join(" and ")}` : "";
  return `Placed ${what}: order ${o.orderId}${legs}, ${o.status}${why ? `. Why: ${why}` : ""}.`;
}
