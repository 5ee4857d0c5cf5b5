/** lib/market/providers: download bars from Polygon/Massive, Alpaca or Yahoo, and option chains and quotes from Polygon or Alpaca. */
import { createAlpacaProvider, type AlpacaOptions } from "./alpaca";
import { createAlpacaOptionProvider, type AlpacaOptionFeed } from "./alpaca-options";
import type { OptionProviderOptions, OptionQuoteProvider } from "./option-provider";
import { createPolygonProvider, type PolygonOptions } from "./polygon";
import { createPolygonOptionProvider } from "./polygon-options";
import type { BarProvider } from "./provider";
import { createYahooProvider, type YahooOptions } from "./yahoo";

export {
  DEFAULT_MAX_PAGES,
  DEFAULT_TIMEOUT_MS,
  PROVIDER_LABELS,
  PROVIDER_NAMES,
  type BarProvider,
  type BarRequest,
  type FetchLike,
  type HttpOptions,
  type ProviderName,
} from "./provider";
export { ProviderError, isProviderError, type ProviderErrorAction, type ProviderErrorCode, type ProviderErrorDetails } from "./errors";
export { POLYGON_BASE_URL, POLYGON_PAGE_LIMIT, createPolygonProvider, type PolygonOptions } from "./polygon";
export { ALPACA_BASE_URL, ALPACA_PAGE_LIMIT, createAlpacaProvider, type AlpacaAdjustment, type AlpacaFeed, type AlpacaOptions } from "./alpaca";
export { YAHOO_BASE_URL, createYahooProvider, type YahooOptions } from "./yahoo";
export type { ContractsRequest, OptionContractRef, OptionProviderOptions, OptionQuoteProvider, OptionQuoteRecord } from "./option-provider";
export {
  POLYGON_CONTRACTS_PAGE_LIMIT,
  POLYGON_QUOTE_LOOKBACK_MS,
  POLYGON_QUOTES_IN_FLIGHT,
  createPolygonOptionProvider,
  type PolygonOptionOptions,
} from "./polygon-options";
export {
  ALPACA_CHAIN_PAGE_LIMIT,
  ALPACA_SNAPSHOT_SYMBOLS,
  createAlpacaOptionProvider,
  type AlpacaOptionFeed,
  type AlpacaOptionOptions,
} from "./alpaca-options";

/** One provider's configuration, keys passed in (lib/env.ts reads them; nothing here touches process.env). */
export type ProviderConfig =
  | ({ name: "polygon" } & PolygonOptions)
  | ({ name: "alpaca" } & AlpacaOptions)
  | ({ name: "yahoo" } & YahooOptions);

/** Builds the provider a config names. Throws PROVIDER_AUTH when a required key is missing or empty. */
export function createProvider(config: ProviderConfig): BarProvider {
  switch (config.name) {
    case "polygon":
      return createPolygonProvider(config);
    case "alpaca":
      return createAlpacaProvider(config);
    case "yahoo":
      return createYahooProvider(config);
  }
}

/** One option provider's configuration, keys passed in like ProviderConfig. */
export type OptionProviderConfig =
  | ({ name: "polygon"; apiKey: string } & OptionProviderOptions)
  | ({ name: "alpaca"; keyId: string; secretKey: string; feed?: AlpacaOptionFeed } & OptionProviderOptions);

/** Builds the option provider a config names. Throws PROVIDER_AUTH when a required key is missing or empty. */
export function createOptionProvider(config: OptionProviderConfig): OptionQuoteProvider {
  switch (config.name) {
    case "polygon":
      return createPolygonOptionProvider(config);
    case "alpaca":
      return createAlpacaOptionProvider(config);
  }
}
