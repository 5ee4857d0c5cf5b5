import type { StoredOptionQuote } from "./option-quotes";
import type { Bar, Interval } from "./types";

/** The session clock: the only "now" the market view knows. */
export interface Clock {
  now(): Date;
}

/**
 * A price the view may show at the clock. `basis: "open"`: the open of the bar that started at
 * `at` (the bar in progress, or the newest bar, whose close the source does not have yet).
 * `basis: "close"`: the close of a bar that closed at `at`.
 */
export interface Quote {
  symbol: string;
  price: number;
  at: Date;
  basis: "open" | "close";
  interval: Interval;
  /** Bar.source and Bar.derived of the bar the price comes from (for labels such as "synthetic"). */
  source: string;
  derived: boolean;
}

/** What the gate lets through of a bar that has not closed (or whose close is unknown): its open. */
export interface OpenOnly {
  symbol: string;
  interval: Interval;
  start: Date;
  open: number;
  source: string;
  derived: boolean;
  /** True when the clock is inside the bar (start ≤ now < end). */
  inProgress: boolean;
}

export interface BarsRequest {
  /** The latest `limit` closed bars (default 100 when `from` is not given; at most 10,000). */
  limit?: number;
  /** Only bars starting at or after `from`. */
  from?: Date;
  /** Only bars closed at or before `to` (default: now; later than now is LOOKAHEAD). */
  to?: Date;
}

export interface MarketView {
  readonly universe: readonly string[];
  /** The session clock's current time. */
  now(): Date;
  /** Current price: the open of the bar in progress at the smallest interval, else the latest price known (see pickQuote). */
  quote(symbol: string): Promise<Quote>;
  /** quote() for several symbols (default: the whole universe), in the order asked. */
  quotes(symbols?: readonly string[]): Promise<Quote[]>;
  /** Closed bars only, oldest first, never one that closes after the clock. */
  bars(symbol: string, interval: Interval, request?: BarsRequest): Promise<Bar[]>;
  /**
   * Quoted options of an underlying in the universe: the newest quote of each contract stamped at or before the
   * clock and at most QUOTE_MAX_AGE_MS before it (none when the store has no quotes: its chains are modelled).
   */
  optionQuotes(underlying: string, request?: OptionQuotesRequest): Promise<StoredOptionQuote[]>;
}

export interface OptionQuotesRequest {
  /** Expiry days (YYYY-MM-DD, inclusive). */
  expiryFrom?: string;
  expiryTo?: string;
  /** Only these contracts (OCC symbols). */
  symbols?: readonly string[];
}
