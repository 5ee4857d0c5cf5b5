import type { Bar, Interval } from "../types";

/** The market-data services Bullpen can download bars from. */
export const PROVIDER_NAMES = ["polygon", "alpaca", "yahoo"] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** How providers are named in messages a person reads. */
export const PROVIDER_LABELS: Readonly<Record<ProviderName, string>> = {
  polygon: "Polygon",
  alpaca: "Alpaca",
  yahoo: "Yahoo",
};

/** Bars of one symbol and interval whose START lies in [from, to] (both inclusive, like BarSource). */
export interface BarRequest {
  symbol: string;
  interval: Interval;
  from: Date;
  to: Date;
}

/**
 * A source of bars over HTTP. `fetchBars` returns Bullpen bars (UTC starts, day bars at the NYSE
 * session open, regular-session intraday bars only), ordered by start, with `source` = `name` and
 * `derived: false`. It follows the provider's pagination. Every failure is a ProviderError.
 * It has no clock: a bar still forming at the provider (today's day bar) is returned as the provider
 * sends it, so whoever caches bars must skip those whose `barEnd` is after now.
 */
export interface BarProvider {
  readonly name: ProviderName;
  readonly intervals: readonly Interval[];
  fetchBars(req: BarRequest): Promise<Bar[]>;
}

/** The part of `fetch` providers use; globalThis.fetch fits, and tests pass a recorded-response fake. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** Options every provider factory accepts. */
export interface HttpOptions {
  /** Defaults to globalThis.fetch (looked up at call time). */
  fetch?: FetchLike;
  /** The API's origin, e.g. a proxy or a sandbox host; each provider documents its default. */
  baseUrl?: string;
  /** Per request; default 30 s. */
  timeoutMs?: number;
  /** Pagination stops with an error after this many pages; default 200. */
  maxPages?: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_PAGES = 200;
