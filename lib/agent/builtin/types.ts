import type { z } from "zod";
import type { BarInterval, BarOutput, OptionChainOutput, OrderOutput, PortfolioOutput, ToolInputs, TradingToolName } from "../tool-contract";

export const BUILTIN_STRATEGY_NAMES = ["buy-and-hold", "momentum", "mean-reversion", "random", "breakout", "covered-call"] as const;
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

/** What every built-in strategy has: its name, words for people, parameters and rule. */
export interface StrategyInfo<P = unknown> {
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
}

/** A strategy that trades at the open with buy, sell, short and cover (decision-turn.ts). */
export interface Strategy<P = unknown> extends StrategyInfo<P> {
  kind?: "market";
  decide(snapshot: MarketSnapshot, params: P, ctx: StrategyContext): Decision;
}

/** What an order strategy knows at a step of its turn (order-turn.ts): the snapshot, its working orders, and what it did so far. */
export interface OrderView {
  snapshot: MarketSnapshot;
  /** The working orders, as get_orders gave them at the start of the turn. */
  orders: OrderOutput[];
  /** Prices now (get_quote: the open of the bar in progress) of the symbols the plan asked for; null before it asked. */
  quotes: Record<string, number> | null;
  /** Orders this turn cancelled (cancel_order answered); null before it cancelled anything. */
  cancelled: ReadonlySet<string> | null;
}

/** A step of an order strategy: cancels and quotes first (one step), then new orders (the next step). */
export interface OrderPlan {
  cancels: { orderId: string; symbol: string; reason: string }[];
  /** Symbols whose price now the placements need (asked with get_quote alongside the cancels). */
  quotes: string[];
  /** Only once the quotes and cancels have answered (view.quotes not null). */
  places: { input: ToolInputs["place_order"]; reason: string }[];
  /** Sentences about the view (levels, why nothing happened). */
  notes: string[];
}

/** A strategy that leaves working orders with place_order and cancel_order (order-turn.ts). */
export interface OrderStrategy<P = unknown> extends StrategyInfo<P> {
  kind: "orders";
  plan(view: OrderView, params: P): OrderPlan;
}

/** A tool's answer as the turn read it: the value, or the error in words. */
export type Answer<T> = { ok: true; value: T } | { ok: false; error: string };

/** What an option strategy knows at a step of its turn (option-turn.ts). */
export interface OptionView {
  /** The portfolio (option positions under their OCC symbols, signed contracts) and the daily bars of its underlyings. */
  snapshot: MarketSnapshot;
  /** Orders the engine booked at the start of this bar for an expiry (get_orders, reason assigned, exercised, expired_worthless, closed_at_intrinsic). */
  settlements: OrderOutput[];
  /** Shares this turn's buys filled, by symbol; null before the share orders were placed. */
  bought: Record<string, number> | null;
  /** get_option_chain's answers by underlying; null before the chains were asked. */
  chains: Record<string, Answer<OptionChainOutput>> | null;
}

/** A step of an option strategy: share orders and chains first (one step), then option orders (the next step). */
export interface OptionPlan {
  /** Share orders at the open (buy, sell), placed with the chains. */
  trades: PlannedOrder[];
  /** Chains to read, by underlying. */
  chains: ToolInputs["get_option_chain"][];
  /** Only once the chains have answered (view.chains not null). */
  options: { input: ToolInputs["place_option_order"]; reason: string }[];
  /** Sentences about the view (the expiry's outcome, sizing, why nothing happened). */
  notes: string[];
}

/** A strategy that trades option contracts with get_option_chain and place_option_order beside shares (option-turn.ts). */
export interface OptionStrategy<P = unknown> extends StrategyInfo<P> {
  kind: "options";
  /** The underlyings it trades this bar, from the session's universe (in order). */
  symbols(universe: readonly string[], params: P): string[];
  plan(view: OptionView, params: P): OptionPlan;
}

export type AnyStrategy<P = unknown> = Strategy<P> | OrderStrategy<P> | OptionStrategy<P>;
