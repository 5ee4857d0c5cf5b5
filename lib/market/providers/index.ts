/** lib/market/providers: download bars from Polygon/Massive, Alpaca or Yahoo behind one interface. */
import { createAlpacaProvider, type AlpacaOptions } from "./alpaca";
import { createPolygonProvider, type PolygonOptions } from "./polygon";
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
