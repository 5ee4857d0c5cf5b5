import type { DecisionOrderView, FillView } from "./types";
import { formatMoney } from "./format";
import { TIF_LABEL } from "./working-orders";

/**
 * An order's life as a decision's details tell it (docs/ui.md, "Decision details"): placed, activated (a
 * bracket's or oto's exit legs, at their entry's first fill), triggered, each fill, and how it ended, each at the
 * bar it came (null: between bars, as a person's cancel while paused or the session's end). Pure: told from the
 * decision's orders as they stand and their fills.
 */
export interface OrderLifeStep {
  at: string | null;
  kind: "placed" | "activated" | "triggered" | "fill" | "ended";
  text: string;
  /** An end a person should notice (the account could not pay, a rejection). */
  tone?: "error";
}

/** Why an order ended, in words (lib/engine/fill-model-events.ts CancelReason, ExpireReason; session_end, parent_replaced). */
const REASON: Record<string, string> = {
  oco: "its other leg filled",
  parent_ended: "its entry ended before any fill",
  parent_replaced: "its entry was replaced",
  ioc: "immediate-or-cancel: the rest after its first bar",
  fok: "fill-or-kill: the whole quantity was not there on its first bar",
  insufficient_cash: "the account could not pay for it when it would have filled",
  insufficient_shares: "the shares to sell or cover were not there when it would have filled",
  insufficient_margin: "the account could not carry the written contracts when it would have filled",
  contract_expired: "its contract expired",
  requested: "by the model",
  requested_by_user: "by you",
  session_end: "the session ended",
  day: "the day ended",
  opg: "the open passed",
  cls: "the close passed",
};

const ENDS = new Set(["cancelled", "expired", "replaced", "rejected"]);
const ORDER_OF_KIND: Record<OrderLifeStep["kind"], number> = { placed: 0, activated: 1, triggered: 2, fill: 3, ended: 4 };

/** A bracket's or oto's exit leg: held until its entry fills. */
const isExitLeg = (o: DecisionOrderView) => o.parentId !== null && o.leg !== "entry";

function placedText(o: DecisionOrderView): string {
  const tif = TIF_LABEL[o.timeInForce] ?? o.timeInForce;
  if (o.type === "market") return "Placed at the market";
  return isExitLeg(o) ? `Placed (${tif}), held until its entry fills` : `Placed (${tif}), working`;
}

function endText(o: DecisionOrderView): string {
  const why = o.statusReason ? (REASON[o.statusReason] ?? o.statusReason.replaceAll("_", " ")) : null;
  switch (o.status) {
    case "cancelled":
      return why ? `Cancelled: ${why}` : "Cancelled";
    case "expired":
      return why ? `Expired: ${why}` : "Expired";
    case "replaced":
      return why === REASON.parent_replaced ? `Replaced: ${why}` : "Replaced by a new order";
    default:
      return `Rejected${o.rejectCode ? ` (${o.rejectCode})` : ""}: ${o.rejectMessage ?? ""}`.trim();
  }
}

const byTime = (a: FillView, b: FillView) => Date.parse(a.filledAt) - Date.parse(b.filledAt);

/**
 * Every step of `o`'s life so far, oldest first. `orders` and `fills`: the decision's (an exit leg's entry is
 * among them; only `o`'s own fills are its steps).
 */
export function orderLife(o: DecisionOrderView, orders: readonly DecisionOrderView[], fills: readonly FillView[]): OrderLifeStep[] {
  if (o.status === "rejected") return [{ at: o.placedAt, kind: "ended", text: endText(o), tone: "error" }];
  const steps: OrderLifeStep[] = [{ at: o.placedAt, kind: "placed", text: placedText(o) }];
  if (isExitLeg(o)) {
    const entry = orders.find((p) => p.id === o.parentId);
    const first = fills.filter((f) => f.orderId === o.parentId).sort(byTime)[0];
    if (entry && first) steps.push({ at: first.filledAt, kind: "activated", text: "Active: its entry filled" });
  }
  if (o.triggeredAt) {
    const level = o.stopPrice === null || o.type === "trailing_stop" ? "" : ` at its stop ${formatMoney(o.stopPrice)}`;
    steps.push({ at: o.triggeredAt, kind: "triggered", text: `Triggered${level}` });
  }
  for (const f of fills) {
    if (f.orderId !== o.id) continue;
    const pnl = f.realizedPnl === null ? "" : ` · realized ${formatMoney(f.realizedPnl)}`;
    steps.push({ at: f.filledAt, kind: "fill", text: `Filled ${f.quantity.toLocaleString("en-US")} @ ${formatMoney(f.price)} · fee ${formatMoney(f.fee)}${pnl}` });
  }
  if (ENDS.has(o.status)) {
    const bad = o.statusReason === "insufficient_cash" || o.statusReason === "insufficient_shares" || o.statusReason === "insufficient_margin";
    steps.push({ at: o.endedAt, kind: "ended", text: endText(o), ...(bad ? { tone: "error" as const } : {}) });
  }
  // By time, then in the order a bar's steps happen; steps between bars (no time) after the timed ones.
  const timeOf = (s: OrderLifeStep) => (s.at === null ? Infinity : Date.parse(s.at));
  return steps
    .map((s, i) => ({ s, i }))
    .sort((a, b) => timeOf(a.s) - timeOf(b.s) || ORDER_OF_KIND[a.s.kind] - ORDER_OF_KIND[b.s.kind] || a.i - b.i)
    .map(({ s }) => s);
}
