import { z } from "zod";
import { ORDER_CLASSES, ORDER_SIDES, ORDER_TYPES, TIME_IN_FORCE } from "@/lib/engine";
import { EXERCISE_TOOL_NAMES, OPTION_TOOL_NAMES, STRATEGY_TOOL_NAMES } from "./option-tool-contract";

/**
 * How the tools offered to models changed, newest first (docs/trading.md, "Model calls"). A recorded model call's
 * digest covers the tools offered (names, descriptions, schemas), so a session recorded with an older list replays
 * exactly only if the digest of that older list can be made again from today's: each entry undoes one change, either
 * tools appended at the end of TOOL_NAMES (`added`) or descriptions reworded (`described`: the wording before).
 * Change a tool's description or add a tool: add an entry at the top.
 */
export type ToolChange =
  | { readonly added: readonly string[] }
  | { readonly described: Readonly<Record<string, string>> }
  | { readonly reshaped: Readonly<Record<string, { readonly description: string; readonly inputSchema: z.ZodType }>> };

export const TOOL_HISTORY: readonly ToolChange[] = [
  // preview_strategy (issue #24): appended last.
  { added: STRATEGY_TOOL_NAMES },
  // Multi-leg orders (issue #24): place_order takes orderClass "mleg" with legs; symbol and side became optional.
  { reshaped: { place_order: { description: placeOrderDescriptionBeforeMleg(), inputSchema: placeOrderInputBeforeMleg() } } },
  // Quoted option chains (issue #23 item 3): the option tools say "quoted or modelled".
  {
    described: {
      get_option_chain:
        "Option chain of one underlying at the session clock, MODELLED (source \"modelled\"; no exchange quotes): listed expiries (weekly Fridays up to 5 weeks, monthly third Fridays up to 9 months), strikes on the exchange's grid around the price (10 below and 10 at or above, or your strike range), each contract's bid, ask, mid, implied volatility and Greeks (delta, gamma, theta per calendar day, vega per volatility point) from a volatility surface built on the underlying's realised volatility (with skew and term structure). Contracts are listed by expiry, then strike, call before put; filter by expiry, right, strike or |delta|. Prices are per share: one contract is 100 shares. Buy and sell contracts with place_option_order.",
      get_option_quote:
        "One option contract by OCC symbol (e.g. AAPL251017C00250000) at the session clock, modelled as get_option_chain models it: bid, ask, mid, implied volatility and Greeks. Prices are per share: one contract is 100 shares.",
      place_option_order:
        "An order on an option contract: a market order fills now, buy_to_open and buy_to_close at the ask, sell_to_close and sell_to_open at the bid (never the mid), for the whole quantity, plus the fee per contract. A limit order fills now at the quote if the quote reaches its limit, else works across bars and fills whole at the first bar whose modelled ask (buys) or bid (sales) reaches it, at that quote (a write is checked for margin again then, and cancelled if the account cannot carry it); see and cancel it with get_orders and cancel_order. One contract is 100 × its price. Long premium is paid in full from free cash. Written contracts (sell_to_open) must leave cash at or above what your shorts then require: an uncovered contract the premium plus the greater of 20 % of the underlying less the out-of-the-money amount and 10 % of the underlying (calls) or strike (puts); a call covered by 100 shares you hold needs nothing (the shares then cannot be sold while it is written unless the call could be carried uncovered); without shorting, calls only covered and puts cash-secured (the strike × 100 in cash). Margin is re-marked each bar: a shortfall is a margin call, and if it is not met by the next decision the session buys your shorts back. Positions are marked at the mid each bar. At 16:00 New York on the expiry day a contract in the money by $0.01 or more is exercised or assigned (100 shares a contract at the strike; a delivery your cash or shares cannot take is closed at its intrinsic value instead); the others expire worthless.",
    },
  },
  { added: EXERCISE_TOOL_NAMES },
  { added: OPTION_TOOL_NAMES },
];

/** The tool additions alone, newest first (createTradingTools offers each last, in its order). */
export const TOOLS_ADDED_SINCE: readonly (readonly string[])[] = TOOL_HISTORY.flatMap((c) => ("added" in c ? [c.added] : []));

/** place_order as models were offered it before multi-leg orders (frozen: the digest of older records depends on it). */
function placeOrderDescriptionBeforeMleg(): string {
  return "Place an order that may work across bars: market, limit, stop, stop_limit or trailing_stop; day or gtc; simple, bracket (entry with takeProfit and stopLoss), oco or oto. A working order is matched against each bar once it has closed, from the bar it was placed at on; its fills show in get_orders and get_portfolio at the next decision. It holds back the cash or shares it may need.";
}

function placeOrderInputBeforeMleg(): z.ZodType {
  const symbol = z
    .string()
    .min(1)
    .max(12)
    .regex(/^[A-Za-z0-9][A-Za-z0-9.-]*$/, "a ticker such as AAPL or BRK.B")
    .describe("Ticker symbol from the session's universe, e.g. AAPL");
  const quantity = z
    .number()
    .int("quantity must be a whole number of shares")
    .min(1, "quantity must be at least 1")
    .max(10_000_000)
    .describe("Number of shares (a positive whole number)");
  const orderPrice = (what: string) => z.number().describe(what);
  return z.object({
    symbol,
    side: z.enum(ORDER_SIDES).describe("buy opens/adds to a long, sell closes a long, sell_short opens/adds to a short, buy_to_cover closes a short"),
    quantity,
    type: z
      .enum(ORDER_TYPES)
      .describe("market (fills at the open now), limit (at limitPrice or better), stop (a market order once stopPrice trades), stop_limit (a limit order at limitPrice once stopPrice trades), trailing_stop (a stop that follows the best price by trailPrice dollars or trailPercent)"),
    limitPrice: orderPrice("limit, stop_limit: the worst price per share you accept").optional(),
    stopPrice: orderPrice("stop, stop_limit: the price per share that triggers the order").optional(),
    trailPrice: orderPrice("trailing_stop: distance in dollars from the best price since placing").optional(),
    trailPercent: z.number().describe("trailing_stop: distance in percent from the best price since placing, e.g. 2.5").optional(),
    timeInForce: z.enum(TIME_IN_FORCE).optional().describe("day (default: ends at the day's close), gtc (until cancelled), ioc, fok, opg (at the open), cls (at the close)"),
    orderClass: z.enum(ORDER_CLASSES).optional().describe("simple (default), bracket (entry + takeProfit + stopLoss), oco (two exits of a position), oto (entry + one exit)"),
    takeProfit: z.object({ limitPrice: orderPrice("the take-profit leg's limit price") }).optional(),
    stopLoss: z
      .object({ stopPrice: orderPrice("the stop-loss leg's trigger price"), limitPrice: orderPrice("optional: makes the stop-loss a stop-limit").optional() })
      .optional(),
  });
}
