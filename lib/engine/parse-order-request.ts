import { z } from "zod";
import { failure, type EngineErrorCode, type EngineFailure } from "./errors";
import { describeValue, MAX_SYMBOL_LENGTH, SYMBOL_PATTERN, symbolProblem } from "./instrument";
import { ORDER_SIDES, quantityProblem, type OrderRequest } from "./order";
import { err, ok, type Result } from "./result";

/**
 * Validation of raw, untrusted order requests (an LLM's tool call, an API body). One schema, shared by
 * the route, the server action and the agent tool. Unknown keys are dropped: a request can never
 * smuggle in a model id or a user id. Each field's message is built from the value received.
 */
const sideList = ORDER_SIDES.map((s) => `"${s}"`).join(", ");

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
    .literal("market", {
      error: (iss) => `only "market" orders are supported for now; got type ${describeValue(iss.input)}`,
    })
    .default("market"),
});

const CODE_BY_FIELD: Readonly<Record<string, EngineErrorCode>> = {
  symbol: "INVALID_SYMBOL",
  side: "INVALID_SIDE",
  quantity: "INVALID_QUANTITY",
  type: "INVALID_ORDER_TYPE",
};
const FIELD_ORDER = ["symbol", "side", "quantity", "type"];

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
  if (parsed.success) return ok(parsed.data);
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
