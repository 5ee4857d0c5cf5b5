import { cancelOrderOutputSchema, ordersOutputSchema, quoteOutputSchema, type OrderOutput } from "../tool-contract";
import { narrateOrders } from "./narrate-orders";
import type { ParsedPrompt, ToolCallRecord } from "./prompt";
import { textReply, type Reply } from "./reply";
import { buildSnapshot, MAX_SYMBOLS, readPortfolio, resultOf, symbolOf } from "./snapshot";
import type { OrderStrategy, OrderView } from "./types";

export interface OrderTurnInput<P> {
  parsed: ParsedPrompt & { clock: string };
  strategy: OrderStrategy<P>;
  modelId: string;
  params: P;
  paramNote: string | null;
  /** Tools offered to the model on this call. */
  tools: ReadonlySet<string>;
}

const GATHER = ["get_portfolio", "get_orders", "get_bars"] as const;
/** A turn never asks for more after this step: it explains what it did. */
const LAST_TOOL_STEP = 8;

/**
 * The decision turn of an order strategy, one step at a time; each call reads what the turn has so far:
 * 1. gather: get_portfolio, get_orders (the working ones) and get_bars of the universe;
 * 2. cancel_order for what the plan cancels, with get_quote of the symbols it means to enter (one step, so that
 *    the cancels have freed their cash and shares before anything new is placed);
 * 3. place_order for the new orders (brackets, trailing stops), sized with the prices now;
 * 4. a text that tells each cancel and order exactly as its tool answered.
 * A step with nothing to do is skipped. The plan is a pure function of the gathered results, so every step
 * computes the same plan and a replayed bar gives the same calls.
 */
export function orderTurn<P>(t: OrderTurnInput<P>): Reply {
  const { parsed, strategy, params } = t;
  const note = t.paramNote ? `${t.paramNote} ` : "";
  const barsCall = (symbol: string) => ({
    toolName: "get_bars",
    input: { symbol, limit: Math.min(500, Math.max(2, strategy.barsNeeded(params))), ...(parsed.interval ? { interval: parsed.interval } : {}) },
  });

  const portfolioCall = parsed.calls.find((c) => c.name === "get_portfolio");
  if (!portfolioCall) {
    const missing = GATHER.filter((n) => !t.tools.has(n));
    if (missing.length > 0) return textReply(`${note}I need ${missing.join(", ")} to decide, and ${missing.length > 1 ? "they were" : "it was"} not offered. No orders.`);
    const symbols = (parsed.universe ?? []).slice(0, MAX_SYMBOLS);
    return { kind: "tool-calls", calls: [{ toolName: "get_portfolio", input: {} }, { toolName: "get_orders", input: { status: "open" } }, ...symbols.map(barsCall)], warnings: [] };
  }
  const portfolio = readPortfolio(resultOf(parsed, portfolioCall));
  if (!portfolio.ok) return textReply(`${note}I could not read the portfolio (${portfolio.error}), so I placed and cancelled nothing this bar.`);
  const orders = readOrders(parsed);
  if (!orders.ok) return textReply(`${note}I could not read my working orders (${orders.error}), so I placed and cancelled nothing this bar.`);

  const symbols = (parsed.universe ?? portfolio.value.universe.map((s) => s.toUpperCase())).slice(0, MAX_SYMBOLS);
  if (!parsed.calls.some((c) => c.name === "get_bars") && symbols.length > 0 && parsed.step < LAST_TOOL_STEP) {
    return { kind: "tool-calls", calls: symbols.map(barsCall), warnings: [] };
  }

  const view: OrderView = { snapshot: buildSnapshot(parsed, parsed.clock, symbols, portfolio.value), orders: orders.value, quotes: null, cancelled: null };
  const named = (name: string) => parsed.calls.filter((c) => c.name === name);
  const [cancelCalls, quoteCalls, placeCalls] = [named("cancel_order"), named("get_quote"), named("place_order")];
  const canAsk = parsed.step < LAST_TOOL_STEP;

  if (cancelCalls.length + quoteCalls.length + placeCalls.length === 0 && canAsk) {
    const plan = strategy.plan(view, params);
    const calls = [
      ...(t.tools.has("cancel_order") ? plan.cancels.map((c) => ({ toolName: "cancel_order", input: { orderId: c.orderId } })) : []),
      ...(t.tools.has("get_quote") ? plan.quotes.map((symbol) => ({ toolName: "get_quote", input: { symbol } })) : []),
    ];
    if (calls.length > 0) return { kind: "tool-calls", calls, warnings: [] };
  }

  const after: OrderView = { ...view, quotes: quotesOf(parsed, quoteCalls), cancelled: cancelledOf(parsed, cancelCalls) };
  const plan = strategy.plan(after, params);
  if (placeCalls.length === 0 && canAsk && t.tools.has("place_order") && plan.places.length > 0) {
    return { kind: "tool-calls", calls: plan.places.map((p) => ({ toolName: "place_order", input: p.input })), warnings: [] };
  }
  const first = strategy.plan(view, params);
  return textReply(
    narrateOrders({
      modelId: t.modelId,
      rule: strategy.rule(params),
      paramNote: t.paramNote,
      snapshot: view.snapshot,
      notes: plan.notes,
      reasons: { cancels: first.cancels, places: plan.places },
      cancels: cancelCalls.map((call) => ({ call, result: resultOf(parsed, call) })),
      places: placeCalls.map((call) => ({ call, result: resultOf(parsed, call) })),
      unplaced: placeCalls.length === 0 && !t.tools.has("place_order") ? plan.places : [],
    }),
  );
}

function readOrders(parsed: ParsedPrompt): { ok: true; value: OrderOutput[] } | { ok: false; error: string } {
  const call = parsed.calls.find((c) => c.name === "get_orders");
  const result = call && resultOf(parsed, call);
  if (!result) return { ok: false, error: "the get_orders call got no result" };
  if (!result.ok) return { ok: false, error: result.error };
  const out = ordersOutputSchema.safeParse(result.value);
  return out.success ? { ok: true, value: out.data.orders } : { ok: false, error: `get_orders answered in an unexpected shape (${out.error.issues[0]?.message})` };
}

function quotesOf(parsed: ParsedPrompt, calls: readonly ToolCallRecord[]): Record<string, number> {
  const quotes: Record<string, number> = {};
  for (const call of calls) {
    const result = resultOf(parsed, call);
    const out = result?.ok ? quoteOutputSchema.safeParse(result.value) : null;
    const symbol = symbolOf(call.input);
    if (symbol && out?.success && out.data.price > 0) quotes[symbol] = out.data.price;
  }
  return quotes;
}

function cancelledOf(parsed: ParsedPrompt, calls: readonly ToolCallRecord[]): Set<string> {
  const ids = new Set<string>();
  for (const call of calls) {
    const result = resultOf(parsed, call);
    const out = result?.ok ? cancelOrderOutputSchema.safeParse(result.value) : null;
    if (out?.success && out.data.order.status === "cancelled") ids.add(out.data.order.orderId);
  }
  return ids;
}
