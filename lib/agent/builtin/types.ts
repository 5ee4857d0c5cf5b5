import type { z } from "zod";
import type { BarInterval, BarOutput, PortfolioOutput, TradingToolName } from "../tool-contract";

export const BUILTIN_STRATEGY_NAMES = ["buy-and-hold", "momentum", "mean-reversion", "random"] as const;
export type BuiltinStrategyName = (typeof BUILTIN_STRATEGY_NAMES)[number];

/** What a strategy sees once the data tools have answered. Numbers are analytics; the engine does the money. */
export interface MarketSnapshot {
  clock: string;
  interval: BarInterval | null;
  /** Symbols considered this bar (the universe, capped), in prompt order. */
  symbols: string[];
  portfolio: PortfolioOutput;
  cash: number;
  equity: number;
  /** Signed share counts by symbol (negative = short). */
  holdings: Record<string, number>;
  /** Closed bars per symbol, oldest first (symbols whose get_bars failed are absent). */
  bars: Record<string, BarOutput[]>;
  /** get_bars errors by symbol. */
  barErrors: Record<string, string>;
}

export interface PlannedOrder {
  side: TradingToolName;
  symbol: string;
  quantity: number;
  /** Why, in words with numbers: becomes part of the final text. */
  reason: string;
}

export interface Decision {
  orders: PlannedOrder[];
  /** Sentences about the view (rankings, z-scores, why nothing happened). */
  notes: string[];
}

export interface StrategyContext {
  /** The random model's seed (others ignore it). */
  seed: number;
}

export interface Strategy<P = unknown> {
  name: BuiltinStrategyName;
  /** Its name for people, e.g. "Mean reversion". */
  title: string;
  /** What it does, in a few words: the model form lists it next to the title. */
  summary: string;
  /** A strict zod object whose every field has a default: `parse({})` gives the defaults. */
  params: z.ZodType<P>;
  /** How many closed bars per symbol to ask for. */
  barsNeeded(params: P): number;
  /** The rule in one sentence, with its parameters. */
  rule(params: P): string;
  decide(snapshot: MarketSnapshot, params: P, ctx: StrategyContext): Decision;
}
