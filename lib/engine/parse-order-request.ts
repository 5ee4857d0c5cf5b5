import { z } from "zod";
import { failure, type EngineErrorCode, type EngineFailure } from "./errors";
import { describeValue, MAX_SYMBOL_LENGTH, SYMBOL_PATTERN, symbolProblem } from "./instrument";
import { ORDER_CLASSES, ORDER_SIDES, ORDER_TYPES, quantityProblem, TIME_IN_FORCE, type OrderRequest } from "./order";
import { buildOrderRequest } from "./order-contract-rules";
import { orderPriceProblem, orderPriceToMoney } from "./order-price";
import { err, type Result } from "./result";

/**
 * Validation of raw, untrusted order requests (an LLM's tool call, an API body). One schema, shared by
 * the route, the server action and the agent tool. Unknown keys are dropped: a request can never
 * smuggle in a model id or a user id. Each field's message is built from the value received.
 * The contract is Alpaca's vocabulary in camelCase (docs/engine.md, "Orders that work across bars"); after each
 * field is valid alone, order-contract-rules.ts checks the combination (fields per type, TIF, class, legs).
 */
const sideList = ORDER_SIDES.map((s) => `"${s}"`).join(", ");
const list = (values: readonly string[]) => values.map((v) => `"${v}"`).join(", ");

const price = (field: string, what: string) =>
  z
    .number({ error: (iss) => orderPriceProblem(field, iss.input) ?? `invalid ${field}` })
    .refine((n) => orderPriceProblem(field, n) === null, { error: (iss) => orderPriceProblem(field, iss.input) ?? `invalid ${field}` })
    .describe(what);

export function trailPercentProblem(input: unknown): string | null {
  const rule = "trailPercent must be a percent between 0 and 100 with at most 2 decimals, e.g. 2.5 for 2.5 %";
  if (typeof input !== "number" || !Number.isFinite(input)) return `${rule}; got ${describeValue(input)}`;
  if (input <= 0 || input >= 100) return `${rule}; got ${input}`;
  if (Math.abs(input * 100 - Math.round(input * 100)) > 1e-6) return `${rule}; got ${input} (try ${Math.round(input * 100) / 100})`;
  return null;
}

export const orderRequestSchema = z.object({
  symbol: z
    .string({ error: (iss) => symbolProblem(iss.input) ?? "invalid symbol" })
    .min(1)
    .max(MAX_SYMBOL_LENGTH)
    .regex(SYMBOL_PATTERN)
    .describe('Ticker in upper case, e.g. "AAPL" or "BRK.B"'),
  side: z
    .enum(ORDER_SIDES, { error: (iss) => `side must be one of ${sideList}; got ${describeValue(iss.input)}` })
    .describe("buy opens/adds to a long, sell closes a long, sell_short opens/adds to a short, buy_to_cover closes a short"),
  quantity: z
    .number({ error: (iss) => quantityProblem(iss.input) ?? "invalid quantity" })
    .int()
    .positive()
    .describe("Whole number of shares, at least 1"),
  type: z
    .enum(ORDER_TYPES, { error: (iss) => `type must be one of ${list(ORDER_TYPES)}; got ${describeValue(iss.input)}` })
    .default("market")
    .describe("market fills at the next price; limit at limitPrice or better; stop becomes a market order at stopPrice; stop_limit becomes a limit order at stopPrice; trailing_stop follows the best price by trailPrice or trailPercent"),
  limitPrice: price("limitPrice", "limit and stop_limit: the worst price per share you accept").optional(),
  stopPrice: price("stopPrice", "stop and stop_limit: the price per share that triggers the order").optional(),
  trailPrice: price("trailPrice", "trailing_stop: distance in dollars from the best price since placing").optional(),
  trailPercent: z
    .number({ error: (iss) => trailPercentProblem(iss.input) ?? "invalid trailPercent" })
    .refine((n) => trailPercentProblem(n) === null, { error: (iss) => trailPercentProblem(iss.input) ?? "invalid trailPercent" })
    .optional()
    .describe("trailing_stop: distance in percent from the best price since placing"),
  timeInForce: z
    .enum(TIME_IN_FORCE, { error: (iss) => `timeInForce must be one of ${list(TIME_IN_FORCE)}; got ${describeValue(iss.input)}` })
    .optional()
    .describe('day (default: expires at the close), gtc (until cancelled), ioc, fok, opg (at the open), cls (at the close)'),
  orderClass: z
    .enum(ORDER_CLASSES, { error: (iss) => `orderClass must be one of ${list(ORDER_CLASSES)}; got ${describeValue(iss.input)}` })
    .optional()
    .describe("simple (default), bracket (entry + takeProfit + stopLoss), oco (two exits), oto (entry + one exit)"),
  takeProfit: z
    .object({ limitPrice: price("takeProfit.limitPrice", "the take-profit leg's limit price") }, {
      error: (iss) => `takeProfit must be an object like {"limitPrice":110}; got ${describeValue(iss.input)}`,
    })
    .optional(),
  stopLoss: z
    .object(
      {
        stopPrice: price("stopLoss.stopPrice", "the stop-loss leg's trigger price"),
        limitPrice: price("stopLoss.limitPrice", "optional: the stop-loss becomes a stop-limit at this price").optional(),
      },
      { error: (iss) => `stopLoss must be an object like {"stopPrice":95}; got ${describeValue(iss.input)}` },
    )
    .optional(),
});

const CODE_BY_FIELD: Readonly<Record<string, EngineErrorCode>> = {
  symbol: "INVALID_SYMBOL",
  side: "INVALID_SIDE",
  quantity: "INVALID_QUANTITY",
  type: "INVALID_ORDER_TYPE",
  limitPrice: "INVALID_ORDER_PRICE",
  stopPrice: "INVALID_ORDER_PRICE",
  trailPrice: "INVALID_ORDER_PRICE",
  trailPercent: "INVALID_ORDER_PRICE",
  timeInForce: "INVALID_TIME_IN_FORCE",
  orderClass: "INVALID_ORDER_CLASS",
  takeProfit: "INVALID_ORDER_PRICE",
  stopLoss: "INVALID_ORDER_PRICE",
};
const FIELD_ORDER = Object.keys(CODE_BY_FIELD);

export function parseOrderRequest(input: unknown): Result<OrderRequest, EngineFailure> {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return err(
      failure(
        "INVALID_REQUEST",
        `an order request must be an object like {"symbol":"AAPL","side":"buy","quantity":10}; got ${describeValue(input)}`,
      ),
    );
  }
  const parsed = orderRequestSchema.safeParse(input);
  if (parsed.success) {
    const d = parsed.data;
    const money = (n: number | undefined) => (n === undefined ? undefined : orderPriceToMoney(n));
    return buildOrderRequest({
      symbol: d.symbol,
      side: d.side,
      quantity: d.quantity,
      type: d.type,
      timeInForce: d.timeInForce,
      orderClass: d.orderClass,
      limitPrice: money(d.limitPrice),
      stopPrice: money(d.stopPrice),
      trailPrice: money(d.trailPrice),
      trailBps: d.trailPercent === undefined ? undefined : Math.round(d.trailPercent * 100),
      takeProfit: d.takeProfit && { limitPrice: orderPriceToMoney(d.takeProfit.limitPrice) },
      stopLoss: d.stopLoss && {
        stopPrice: orderPriceToMoney(d.stopLoss.stopPrice),
        ...(d.stopLoss.limitPrice === undefined ? {} : { limitPrice: orderPriceToMoney(d.stopLoss.limitPrice) }),
      },
    });
  }
  // Report the first field in a fixed order, so the same input always yields the same code.
  let best: { rank: number; code: EngineErrorCode; message: string } | null = null;
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? "");
    const rank = FIELD_ORDER.indexOf(field);
    const code = CODE_BY_FIELD[field] ?? "INVALID_REQUEST";
    const r = rank === -1 ? FIELD_ORDER.length : rank;
    if (best === null || r < best.rank) best = { rank: r, code, message: issue.message };
  }
  return err(failure(best?.code ?? "INVALID_REQUEST", best?.message ?? "invalid order request"));
}
