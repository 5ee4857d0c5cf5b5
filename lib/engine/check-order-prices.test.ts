import { describe, expect, it } from "vitest";
import { usd } from "@/tests/support/engine-helpers";
import { orderPriceVsMarketProblem } from "./check-order-prices";
import type { OrderRequest } from "./order";

const LAST = usd(100.2);
const base = { symbol: "AAPL", quantity: 10, timeInForce: "gtc" } as const;

describe("orderPriceVsMarketProblem: prices against the last price, in words a model can act on", () => {
  const cases: [string, OrderRequest, string | null][] = [
    ["a buy stop above the last price", { ...base, side: "buy", type: "stop", stopPrice: usd(101) }, null],
    [
      "a buy stop below it",
      { ...base, side: "buy", type: "stop", stopPrice: usd(99) },
      "buy stop $99.00 is below the last price $100.20: a buy stop must be above it (it triggers when the price rises to it); to buy below the price use a limit order",
    ],
    [
      "a sell stop-limit at it",
      { ...base, side: "sell", type: "stop_limit", stopPrice: usd(100.2), limitPrice: usd(100) },
      "sell stop-limit $100.20 is at the last price $100.20: a sell stop must be below it (it triggers when the price falls to it); to sell above the price use a limit order",
    ],
    [
      "a limit in cents, not dollars",
      { ...base, side: "buy", type: "limit", limitPrice: usd(10_020) },
      "limitPrice $10,020.00 is more than 10× the last price $100.20 of AAPL; prices are dollars per share, within 10× of the last price",
    ],
    [
      "a sell trail as large as the price",
      { ...base, side: "sell", type: "trailing_stop", trail: { kind: "price", amount: usd(100.2) } },
      "trailPrice $100.20 is not below the last price $100.20: the stop would be at or below $0 and never trigger; use a smaller trailPrice or trailPercent",
    ],
    [
      "a market bracket whose stop-loss is above the price: it would stop out at once",
      { ...base, side: "buy", type: "market", orderClass: "bracket", takeProfit: { limitPrice: usd(110) }, stopLoss: { stopPrice: usd(101) } },
      "a market buy bracket's stopLoss.stopPrice $101.00 must be below the last price $100.20, or it stops out at once",
    ],
    [
      "an oco covering a short whose take-profit is above the price",
      { ...base, side: "buy_to_cover", type: "limit", limitPrice: usd(101), orderClass: "oco", takeProfit: { limitPrice: usd(101) }, stopLoss: { stopPrice: usd(110) } },
      "an oco buy_to_cover's takeProfit.limitPrice $101.00 must be below the last price $100.20, or it takes no profit",
    ],
    [
      "a limit bracket's legs are checked against its entry, not the last price",
      { ...base, side: "buy", type: "limit", limitPrice: usd(90), orderClass: "bracket", takeProfit: { limitPrice: usd(95) }, stopLoss: { stopPrice: usd(85) } },
      null,
    ],
  ];
  it.each(cases)("%s", (_name, request, message) => {
    expect(orderPriceVsMarketProblem(request, LAST)?.message ?? null).toBe(message);
  });
});
