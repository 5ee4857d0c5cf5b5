import { tradeOutputSchema } from "../tool-contract";
import { dollars, list, nyClock, signedUsd, usd } from "./format";
import type { ToolCallRecord, ToolResultRecord } from "./prompt";
import type { Decision, MarketSnapshot } from "./types";

const PAST: Record<string, string> = { buy: "Bought", sell: "Sold", short: "Shorted", cover: "Covered" };

interface TradeAttempt {
  call: ToolCallRecord;
  symbol: string | undefined;
  result: ToolResultRecord | undefined;
}

/**
 * The final text of a decision: the rule, the view, and each trade exactly as the tools reported it.
 * A trade is only called done when its tool said "filled"; rejections and failures are said as such.
 */
/** The first lines of every built-in's decision text: who and when, the rule, its parameters, the notes, missing bars. */
export function openingLines(a: { modelId: string; rule: string; paramNote: string | null; snapshot: MarketSnapshot; notes: readonly string[] }): string[] {
  const s = a.snapshot;
  const lines = [`${a.modelId} at ${nyClock(s.clock)}${s.interval ? ` (${s.interval} bars)` : ""}. Rule: ${a.rule}.`];
  if (a.paramNote) lines.push(a.paramNote);
  lines.push(...a.notes);
  const barErrors = Object.entries(s.barErrors);
  if (barErrors.length > 0) lines.push(`No bars for ${barErrors.map(([sym, e]) => `${sym} (${e})`).join("; ")}.`);
  return lines;
}

export function narrateDecision(a: {
  modelId: string;
  rule: string;
  paramNote: string | null;
  snapshot: MarketSnapshot;
  decision: Decision;
  tradeCalls: TradeAttempt[];
  tools: ReadonlySet<string>;
}): string {
  const s = a.snapshot;
  const lines = openingLines({ ...a, notes: a.decision.notes });

  if (a.tradeCalls.length > 0) {
    for (const t of a.tradeCalls) lines.push(describeTrade(t, a.decision));
  } else if (a.decision.orders.length > 0) {
    const wanted = a.decision.orders.map((o) => `${o.side} ${o.quantity} ${o.symbol}`);
    lines.push(`I would ${list(wanted)}, but the trading tools were not offered, so nothing was traded.`);
  } else {
    const held = Object.entries(s.holdings).map(([sym, q]) => `${q} ${sym}`);
    lines.push(`No trades this bar. ${held.length > 0 ? `Holding ${list(held)}.` : "No positions."}`);
  }
  lines.push(`Before trading: cash ${usd(s.cash)}, equity ${usd(s.equity)}.`);
  return lines.join("\n");
}

function describeTrade(t: TradeAttempt, decision: Decision): string {
  const planned = decision.orders.find((o) => o.side === t.call.name && o.symbol === t.symbol);
  return describeTradeCall(t, t.symbol ?? "?", planned?.reason);
}

/** A buy, sell, short or cover call in one sentence, exactly as its tool answered, with why it was made. */
export function describeTradeCall(t: Pick<TradeAttempt, "call" | "result">, symbol: string, reason: string | undefined): string {
  const input = t.call.input as { quantity?: unknown };
  const what = `${t.call.name} ${String(input.quantity)} ${symbol}`;
  const why = reason ? `: ${reason}` : "";
  if (!t.result) return `Asked to ${what}; no result came back, so I cannot say it happened.`;
  if (!t.result.ok) return `Tried to ${what}, but it failed: ${t.result.error}`;
  const out = tradeOutputSchema.safeParse(t.result.value);
  if (!out.success) return `Tried to ${what}; the tool answered in an unexpected shape, so I cannot say it happened.`;
  const r = out.data;
  if (r.status === "rejected") {
    return `Tried to ${what}, but it was rejected${r.rejectCode ? ` (${r.rejectCode})` : ""}: ${r.message}`;
  }
  const price = dollars(r.price);
  const fee = dollars(r.fee);
  const at = Number.isNaN(price) ? "" : ` at ${usd(price)}`;
  const feeText = Number.isNaN(fee) || fee === 0 ? "" : ` (fee ${usd(fee)})`;
  const dup = r.duplicate ? " on an earlier attempt of this bar (same order id, not traded again)" : "";
  return `${PAST[r.side] ?? r.side} ${r.quantity} ${r.symbol}${at}${feeText}${dup}${why}.`;
}

/** "10 NVDA (average cost $100.00, value $1,200.00, unrealized +$200.00)". */
export function describePosition(p: { symbol: string; quantity: number; averageCost: string; marketValue: string; unrealizedPnl: string }): string {
  return `${p.quantity} ${p.symbol} (average cost ${usd(dollars(p.averageCost))}, value ${usd(dollars(p.marketValue))}, unrealized ${signedUsd(dollars(p.unrealizedPnl))})`;
}
