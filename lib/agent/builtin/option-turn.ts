import { optionChainOutputSchema } from "../option-tool-contract";
import { isTradingToolName, ordersOutputSchema, tradeOutputSchema, type OptionChainOutput, type OrderOutput } from "../tool-contract";
import { narrateOptions } from "./narrate-options";
import type { ParsedPrompt, ToolCallRecord } from "./prompt";
import { textReply, type Reply } from "./reply";
import { buildSnapshot, readPortfolio, resultOf } from "./snapshot";
import { settlementsAt } from "./covered-call";
import type { Answer, OptionStrategy, OptionView } from "./types";

export interface OptionTurnInput<P> {
  parsed: ParsedPrompt & { clock: string };
  strategy: OptionStrategy<P>;
  modelId: string;
  params: P;
  paramNote: string | null;
  /** Tools offered to the model on this call. */
  tools: ReadonlySet<string>;
}

const NEEDED = ["get_portfolio", "get_bars", "get_option_chain", "place_option_order"] as const;
/** The latest orders read to find this bar's expiry settlements (a bar's own orders come last). */
const RECENT_ORDERS = 50;
/** A turn never asks for more after this step: it explains what it did. */
const LAST_TOOL_STEP = 8;

/**
 * The decision turn of an option strategy, one step at a time; each call reads what the turn has so far:
 * 1. gather: get_portfolio, get_orders (status all: this bar's expiry settlements) and daily get_bars of its underlyings;
 * 2. share orders at the open (buy) with get_option_chain of the underlyings that will hold uncovered lots;
 * 3. place_option_order for the contracts, counting the shares step 2 filled (so a sale to open is covered when placed);
 * 4. a text that tells each order exactly as its tool answered.
 * A step with nothing to do is skipped. The plan is a pure function of the gathered results, so every step computes
 * the same plan and a replayed bar gives the same calls.
 */
export function optionTurn<P>(t: OptionTurnInput<P>): Reply {
  const { parsed, strategy, params } = t;
  const note = t.paramNote ? `${t.paramNote} ` : "";
  // Daily bars whatever the session's interval: the chain is modelled on daily closes.
  const barsCall = (symbol: string) => ({ toolName: "get_bars", input: { symbol, limit: Math.min(500, Math.max(2, strategy.barsNeeded(params))), interval: "day" } });

  const portfolioCall = parsed.calls.find((c) => c.name === "get_portfolio");
  if (!portfolioCall) {
    const missing = NEEDED.filter((n) => !t.tools.has(n));
    if (missing.length > 0) return textReply(`${note}I need ${missing.join(", ")} to trade, and ${missing.length > 1 ? "they were" : "it was"} not offered. No orders.`);
    const symbols = strategy.symbols(parsed.universe ?? [], params);
    const orders = t.tools.has("get_orders") ? [{ toolName: "get_orders", input: { status: "all", limit: RECENT_ORDERS } }] : [];
    return { kind: "tool-calls", calls: [{ toolName: "get_portfolio", input: {} }, ...orders, ...symbols.map(barsCall)], warnings: [] };
  }
  const portfolio = readPortfolio(resultOf(parsed, portfolioCall));
  if (!portfolio.ok) return textReply(`${note}I could not read the portfolio (${portfolio.error}), so I placed nothing this bar.`);

  const symbols = strategy.symbols(parsed.universe ?? portfolio.value.universe.map((s) => s.toUpperCase()), params);
  if (!parsed.calls.some((c) => c.name === "get_bars") && symbols.length > 0 && parsed.step < LAST_TOOL_STEP) {
    return { kind: "tool-calls", calls: symbols.map(barsCall), warnings: [] };
  }

  const view: OptionView = {
    snapshot: buildSnapshot(parsed, parsed.clock, symbols, portfolio.value),
    settlements: settlementsAt(readOrders(parsed), parsed.clock),
    bought: null,
    chains: null,
  };
  const tradeCalls = parsed.calls.filter((c) => isTradingToolName(c.name));
  const chainCalls = parsed.calls.filter((c) => c.name === "get_option_chain");
  const optionCalls = parsed.calls.filter((c) => c.name === "place_option_order");
  const canAsk = parsed.step < LAST_TOOL_STEP;

  const first = strategy.plan(view, params);
  if (tradeCalls.length + chainCalls.length + optionCalls.length === 0 && canAsk) {
    const calls = [
      ...first.trades.filter((o) => t.tools.has(o.side)).map((o) => ({ toolName: o.side, input: { symbol: o.symbol, quantity: o.quantity } })),
      ...first.chains.map((input) => ({ toolName: "get_option_chain", input })),
    ];
    if (calls.length > 0) return { kind: "tool-calls", calls, warnings: [] };
  }

  const after: OptionView = { ...view, bought: boughtOf(parsed, tradeCalls), chains: chainsOf(parsed, chainCalls) };
  const plan = strategy.plan(after, params);
  if (optionCalls.length === 0 && canAsk && plan.options.length > 0) {
    return { kind: "tool-calls", calls: plan.options.map((o) => ({ toolName: "place_option_order", input: o.input })), warnings: [] };
  }
  return textReply(
    narrateOptions({
      modelId: t.modelId,
      rule: strategy.rule(params),
      paramNote: t.paramNote,
      snapshot: view.snapshot,
      notes: plan.notes,
      reasons: { trades: first.trades, options: plan.options },
      trades: tradeCalls.map((call) => ({ call, result: resultOf(parsed, call) })),
      options: optionCalls.map((call) => ({ call, result: resultOf(parsed, call) })),
    }),
  );
}

/** get_orders' orders, or none when it was not asked or failed (they only name this bar's expiry outcomes). */
function readOrders(parsed: ParsedPrompt): OrderOutput[] {
  const call = parsed.calls.find((c) => c.name === "get_orders");
  const result = call && resultOf(parsed, call);
  const out = result?.ok ? ordersOutputSchema.safeParse(result.value) : null;
  return out?.success ? out.data.orders : [];
}

/** Shares the turn's buys filled, by symbol (sales subtract). */
function boughtOf(parsed: ParsedPrompt, calls: readonly ToolCallRecord[]): Record<string, number> {
  const bought: Record<string, number> = {};
  for (const call of calls) {
    const result = resultOf(parsed, call);
    const out = result?.ok ? tradeOutputSchema.safeParse(result.value) : null;
    if (!out?.success || out.data.status !== "filled") continue;
    const sign = out.data.side === "buy" || out.data.side === "cover" ? 1 : -1;
    const symbol = out.data.symbol.toUpperCase();
    bought[symbol] = (bought[symbol] ?? 0) + sign * out.data.quantity;
  }
  return bought;
}

function chainsOf(parsed: ParsedPrompt, calls: readonly ToolCallRecord[]): Record<string, Answer<OptionChainOutput>> {
  const chains: Record<string, Answer<OptionChainOutput>> = {};
  for (const call of calls) {
    const symbol = (call.input as { underlying?: unknown } | null)?.underlying;
    if (typeof symbol !== "string") continue;
    const result = resultOf(parsed, call);
    if (!result) chains[symbol.toUpperCase()] = { ok: false, error: "no result came back" };
    else if (!result.ok) chains[symbol.toUpperCase()] = { ok: false, error: result.error };
    else {
      const out = optionChainOutputSchema.safeParse(result.value);
      chains[symbol.toUpperCase()] = out.success ? { ok: true, value: out.data } : { ok: false, error: `an unexpected shape (${out.error.issues[0]?.message})` };
    }
  }
  return chains;
}
