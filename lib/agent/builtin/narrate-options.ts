import { placeOrderOutputSchema, type ToolInputs } from "../tool-contract";
import { dollars, list, usd } from "./format";
import { describeTradeCall, openingLines } from "./narrate";
import type { ToolCallRecord, ToolResultRecord } from "./prompt";
import type { MarketSnapshot, OptionPlan } from "./types";

interface Attempt {
  call: ToolCallRecord;
  result: ToolResultRecord | undefined;
}

const INTENT: Record<string, string> = { buy_to_open: "buy to open", sell_to_close: "sell to close", sell_to_open: "sell to open", buy_to_close: "buy to close" };
const INTENT_PAST: Record<string, string> = { buy_to_open: "Bought to open", sell_to_close: "Sold to close", sell_to_open: "Sold to open", buy_to_close: "Bought to close" };

/**
 * The final text of an option strategy's decision: the rule, the view (an expiry's outcome, sizing), each share order
 * and each option order exactly as its tool answered. A contract is called sold only when place_option_order said
 * filled; a rejection is said as one.
 */
export function narrateOptions(a: {
  modelId: string;
  rule: string;
  paramNote: string | null;
  snapshot: MarketSnapshot;
  notes: readonly string[];
  reasons: Pick<OptionPlan, "trades" | "options">;
  trades: readonly Attempt[];
  options: readonly Attempt[];
}): string {
  const s = a.snapshot;
  const lines = openingLines(a);
  for (const t of a.trades) lines.push(describeTrade(t, a.reasons.trades));
  for (const o of a.options) lines.push(describeOption(o, a.reasons.options));
  if (a.trades.length + a.options.length === 0) {
    const held = Object.entries(s.holdings).map(([sym, q]) => `${q} ${sym}`);
    lines.push(`No orders this bar. ${held.length > 0 ? `Holding ${list(held)}.` : "No positions."}`);
  }
  lines.push(`Before this bar's orders: cash ${usd(s.cash)}, equity ${usd(s.equity)}.`);
  return lines.join("\n");
}

function describeTrade(t: Attempt, planned: OptionPlan["trades"]): string {
  const symbol = String((t.call.input as { symbol?: unknown }).symbol ?? "?").toUpperCase();
  return describeTradeCall(t, symbol, planned.find((o) => o.side === t.call.name && o.symbol === symbol)?.reason);
}

function describeOption(o: Attempt, planned: OptionPlan["options"]): string {
  const input = o.call.input as Partial<ToolInputs["place_option_order"]>;
  const symbol = String(input.symbol ?? "?").toUpperCase();
  const intent = String(input.positionIntent ?? "?");
  const what = `${INTENT[intent] ?? intent} ${String(input.quantity)} ${symbol}`;
  const why = planned.find((p) => p.input.symbol === symbol)?.reason;
  if (!o.result) return `Asked to ${what}; no result came back, so I cannot say it happened.`;
  if (!o.result.ok) return `Tried to ${what}, but it failed: ${o.result.error}`;
  const out = placeOrderOutputSchema.safeParse(o.result.value);
  if (!out.success) return `Tried to ${what}; the tool answered in an unexpected shape, so I cannot say it happened.`;
  const r = out.data;
  if (r.status === "rejected") return `Tried to ${what}, but it was rejected${r.rejectCode ? ` (${r.rejectCode})` : ""}: ${r.message}`;
  if (r.status !== "filled") return `Placed ${what}: order ${r.orderId}, ${r.status}${why ? `. Why: ${why}` : ""}.`;
  const fill = r.fills[0];
  const price = dollars(fill?.price);
  const fee = dollars(fill?.fee);
  const quantity = r.quantity ?? Number(input.quantity);
  const premium = Number.isNaN(price) ? "" : ` at ${usd(price)} (${usd(price * 100 * quantity)} for ${quantity} contract${quantity === 1 ? "" : "s"}${Number.isNaN(fee) || fee === 0 ? "" : `, fee ${usd(fee)}`})`;
  return `${INTENT_PAST[intent] ?? intent} ${quantity} ${symbol}${premium}: order ${r.orderId}${why ? `. Why: ${why}` : ""}.`;
}
