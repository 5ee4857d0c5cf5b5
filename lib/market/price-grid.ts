import { MarketDataError } from "./errors";

/** A decimal price grid (10^-decimals) on which a set of prices lies exactly. */
export interface PriceGrid {
  decimals: number;
  toTicks(price: number): number;
  fromTicks(ticks: number): number;
}

/**
 * The coarsest grid from 4 to 12 decimals on which every given price is exact, so that
 * fromTicks(toTicks(p)) === p bit for bit (an integer divided by a power of ten is the nearest
 * double to the decimal, as is the parsed price).
 */
export function priceGrid(prices: readonly number[], minDecimals = 4): PriceGrid {
  for (let decimals = minDecimals; decimals <= 12; decimals++) {
    const scale = 10 ** decimals;
    const fits = prices.every((p) => Math.round(p * scale) / scale === p && Number.isSafeInteger(Math.round(p * scale)));
    if (fits) return { decimals, toTicks: (p) => Math.round(p * scale), fromTicks: (t) => t / scale };
  }
  throw new MarketDataError("INVALID_REQUEST", `prices ${prices.join(", ")} have more than 12 decimals; round them before deriving bars`);
}
