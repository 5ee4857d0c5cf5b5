import type { HttpOptions } from "./provider";

/**
 * Real option chains and quotes over HTTP (docs/providers.md, "Options"). Symbols are OCC symbols without a
 * provider prefix (`AAPL250620C00200000`, Polygon's `O:` dropped), as the engine's parseOccSymbol reads them.
 * Like BarProvider it has no clock: whoever stores what it returns keeps each quote's own time, and the market
 * view's gate decides what a session may see.
 */
export interface OptionContractRef {
  readonly symbol: string;
  readonly underlying: string;
  /** New York date, YYYY-MM-DD. */
  readonly expiry: string;
  readonly right: "call" | "put";
  /** Dollars. */
  readonly strike: number;
}

/** The contracts of `underlying` listed on `asOf` (a New York date) expiring in [expiryFrom, expiryTo], strikes in [strikeFrom, strikeTo]. */
export interface ContractsRequest {
  readonly underlying: string;
  readonly asOf: string;
  readonly expiryFrom: string;
  readonly expiryTo: string;
  readonly strikeFrom?: number;
  readonly strikeTo?: number;
}

/** One bid/ask of one contract as the provider stamped it (`at`: the quote's own time, never the time asked for). */
export interface OptionQuoteRecord {
  readonly symbol: string;
  readonly at: Date;
  readonly bid: number;
  readonly ask: number;
}

export interface OptionQuoteProvider {
  readonly name: "polygon" | "alpaca";
  listContracts(req: ContractsRequest): Promise<OptionContractRef[]>;
  /**
   * The latest quote of each contract at or before `at` (none for a contract with no usable quote in the lookback:
   * no quote, a zero ask, a crossed market). Polygon reads its historical quotes; Alpaca has only the latest quote,
   * returned only when it is not after `at`.
   */
  quotesAt(req: { symbols: readonly string[]; at: Date }): Promise<OptionQuoteRecord[]>;
}

export type OptionProviderOptions = HttpOptions;
