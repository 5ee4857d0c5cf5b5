/** lib/market: pure market data — calendar, importers' parsers, derivations, synthetic market, the market view. */
export { INTERVALS, type Bar, type Interval } from "./types";
export type { Instrument } from "./instrument";
export { ImportError, MarketDataError, isMarketDataError, type ImportProblem, type MarketErrorCode } from "./errors";

export {
  barStarts,
  isMarketOpen,
  isTradingDay,
  nextTradingDay,
  previousTradingDay,
  sessionAt,
  sessionOf,
  tradingDays,
  type Session,
} from "./calendar";
export { FIRST_CALENDAR_YEAR, LAST_CALENDAR_YEAR, NYSE_CLOSED_DAYS, NYSE_EARLY_CLOSES } from "./nyse-holidays";
export { isListedExpiry, listedExpiries, monthlyExpiry, type OptionExpiry } from "./option-expiries";
export { addDays, NY_TZ, nyDayOf, nyMinuteOf, nyWallTimeToUtc } from "./time";
export { HOUR_MS, MINUTE_MS, barEnd, isInterval } from "./intervals";

export type { ParsedBars } from "./parsed-bars";
export { parseAlphaVantage, type AlphaVantageOptions } from "./alpha-vantage";
export { CSV_COLUMNS, parseBarsCsv, type CsvOptions } from "./csv";
export { decodeBarFile } from "./text-file";
export { aggregateDaily } from "./aggregate";
export { deriveMinuteBars, deriveMinuteBarsFromHours, type BridgeOptions } from "./brownian-bridge";

export { SYNTHETIC_INSTRUMENTS } from "./synthetic-instruments";
export { SYNTHETIC_EPOCH } from "./synthetic-daily";
export { SyntheticMarket, createSyntheticBarSource, generateSyntheticBars } from "./synthetic";

export { createMemoryBarSource, type BarQuery, type BarSource, type MemoryBarSource } from "./source";
export { createMarketView, DEFAULT_BARS_LIMIT, MAX_BARS_LIMIT, quotesInMemory, type MarketViewOptions } from "./view";
export type { BarsRequest, Clock, MarketView, OpenOnly, Quote } from "./view-types";
export { MODEL_DIVIDEND_YIELD, MODEL_RATE, modelOptionChain, volatilityBase, type ChainModelInput, type OptionChain, type OptionChainRow } from "./option-chain";
export { expiriesListedAt, MONTHLY_HORIZON_DAYS, WEEKLY_HORIZON_DAYS, type ListedExpiry } from "./option-listing";
export { optionChainAt, optionQuoteAt, type ChainRequest } from "./option-chain-view";
