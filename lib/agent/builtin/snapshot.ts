import { barsOutputSchema, portfolioOutputSchema, type PortfolioOutput } from "../tool-contract";
import { dollars } from "./format";
import type { ParsedPrompt, ToolCallRecord, ToolResultRecord } from "./prompt";
import type { MarketSnapshot } from "./types";

/** At most this many symbols get a get_bars call per bar (the first ones of the universe). */
export const MAX_SYMBOLS = 30;

export function resultOf(parsed: ParsedPrompt, call: ToolCallRecord): ToolResultRecord | undefined {
  return parsed.results.find((r) => r.id === call.id);
}

export function symbolOf(input: unknown): string | undefined {
  const s = (input as { symbol?: unknown } | null)?.symbol;
  return typeof s === "string" ? s.toUpperCase() : undefined;
}

/** The portfolio from a get_portfolio result, or an error sentence. */
export function readPortfolio(result: ToolResultRecord | undefined): { ok: true; value: PortfolioOutput } | { ok: false; error: string } {
  if (!result) return { ok: false, error: "the get_portfolio call got no result" };
  if (!result.ok) return { ok: false, error: result.error };
  const parsed = portfolioOutputSchema.safeParse(result.value);
  if (!parsed.success) return { ok: false, error: `get_portfolio answered in an unexpected shape (${parsed.error.issues[0]?.message})` };
  if (Number.isNaN(dollars(parsed.data.cash)) || Number.isNaN(dollars(parsed.data.equity))) {
    return { ok: false, error: `get_portfolio returned cash "${parsed.data.cash}" and equity "${parsed.data.equity}", not decimal dollars` };
  }
  return { ok: true, value: parsed.data };
}

export function buildSnapshot(parsed: ParsedPrompt, clock: string, symbols: string[], portfolio: PortfolioOutput): MarketSnapshot {
  const bars: MarketSnapshot["bars"] = {};
  const barErrors: MarketSnapshot["barErrors"] = {};
  for (const call of parsed.calls.filter((c) => c.name === "get_bars")) {
    const symbol = symbolOf(call.input);
    if (!symbol) continue;
    const result = resultOf(parsed, call);
    if (!result) barErrors[symbol] = "no result";
    else if (!result.ok) barErrors[symbol] = result.error;
    else {
      const out = barsOutputSchema.safeParse(result.value);
      if (out.success) bars[symbol] = out.data.bars.filter((b) => b.c > 0);
      else barErrors[symbol] = "unexpected result shape";
    }
  }
  const holdings: Record<string, number> = {};
  for (const p of portfolio.positions) if (p.quantity !== 0) holdings[p.symbol.toUpperCase()] = p.quantity;
  return {
    clock,
    interval: parsed.interval,
    symbols,
    portfolio,
    cash: dollars(portfolio.cash),
    equity: dollars(portfolio.equity),
    holdings,
    bars,
    barErrors,
  };
}
