import { tool } from "ai";
import { TOOL_DESCRIPTIONS, type ReplaceOrderOutput, type ToolInputs } from "@/lib/agent/tool-contract";
import type { ToolRuntime } from "@/lib/agent/tool-runtime";
import { listSessionOrders } from "@/lib/db/queries/session-orders";
import { orderPriceProblem, orderPriceToMoney, trailPercentProblem, type ReplaceChanges } from "@/lib/engine";
import type { TradingContext } from "../context";
import { replaceOrderOnBook, type ReplacedOrder } from "../replace-order";
import { asTool, ToolError } from "./errors";
import { bookOrderOutput } from "./order-output";
import { placeOrderOutput, storedOrder } from "./place-order";
import { parseToolInput, toolSchemas } from "./schemas";
import { bookOrderContextOf, idempotencyKeyFor } from "./trade";

/**
 * replace_order (Alpaca's replace) on ctx's book only: one of THIS session's working orders ends `replaced` and a new
 * order takes its place (lib/trading/replace-order.ts). A price that is no price (NaN, negative, more than 6 decimals),
 * an id this session does not hold as working, a triggered or partly filled order, or a field the order's type does not
 * take is a tool error in words, and nothing is written. A replacement the market refuses (a stop on the wrong side,
 * not enough free cash) is a rejected order, written with the bar, and the old order keeps working. The same tool-call
 * id answers the first result (`duplicate`).
 */
export function createReplaceOrderTool(ctx: TradingContext, rt: ToolRuntime) {
  return tool({
    description: TOOL_DESCRIPTIONS.replace_order,
    inputSchema: toolSchemas.replace_order,
    execute: (input, { toolCallId }) =>
      rt.track("replace_order", toolCallId, input, () =>
        rt.exclusive(() =>
          asTool("replace_order", async (): Promise<ReplaceOrderOutput> => {
            const { orderId, ...args } = parseToolInput("replace_order", input);
            const changes = changesOf(args);
            const key = idempotencyKeyFor(ctx.sessionId, toolCallId);
            const replaced = await replaceOrderOnBook(
              {
                ...bookOrderContextOf(ctx),
                storedOrder: (k) => ctx.read((tx) => storedOrder(tx, ctx, k)),
                storedStatus: async (id) => (await ctx.read((tx) => listSessionOrders(tx, { sessionId: ctx.sessionId, userId: ctx.userId, limit: 0, ids: [id] })))[0]?.status ?? null,
              },
              orderId.toLowerCase(),
              changes,
              key,
              JSON.stringify({ orderId, ...args }),
            );
            return replaceOutput(ctx, replaced, orderId.toLowerCase());
          }),
        ),
      ),
  });
}

/** The fields to change as exact money; a value that is no price is refused in the engine's words, nothing done. */
function changesOf(args: Omit<ToolInputs["replace_order"], "orderId">): ReplaceChanges {
  const price = (field: string, n: number | undefined) => {
    if (n === undefined) return undefined;
    const problem = orderPriceProblem(field, n);
    if (problem) throw new ToolError("INVALID_ARGUMENTS", `${problem}; nothing was replaced`);
    return orderPriceToMoney(n);
  };
  if (args.trailPrice !== undefined && args.trailPercent !== undefined) {
    throw new ToolError("INVALID_ARGUMENTS", "give trailPrice or trailPercent, not both; nothing was replaced");
  }
  if (args.trailPercent !== undefined) {
    const problem = trailPercentProblem(args.trailPercent);
    if (problem) throw new ToolError("INVALID_ARGUMENTS", `${problem}; nothing was replaced`);
  }
  const trailPrice = price("trailPrice", args.trailPrice);
  return {
    quantity: args.quantity,
    limitPrice: price("limitPrice", args.limitPrice),
    stopPrice: price("stopPrice", args.stopPrice),
    trail: trailPrice !== undefined ? { kind: "price", amount: trailPrice } : args.trailPercent !== undefined ? { kind: "percent", bps: Math.round(args.trailPercent * 100) } : undefined,
    timeInForce: args.timeInForce,
  };
}

function replaceOutput(ctx: TradingContext, r: ReplacedOrder, oldId: string): ReplaceOrderOutput {
  const placed = placeOrderOutput(ctx, r);
  const replaced = r.replaced.map((o) => bookOrderOutput(o, []));
  if (r.duplicate) return { ...placed, replaced };
  const message =
    r.order.status === "rejected"
      ? `The replacement was rejected (${r.order.rejectCode}): ${r.order.rejectMessage} Order ${oldId} keeps working unchanged.`
      : `Replaced order ${oldId}${replaced.length > 1 ? ` and its ${replaced.length - 1} waiting leg${replaced.length > 2 ? "s" : ""}` : ""} with order ${r.order.id}. ${placed.message}`;
  return { ...placed, replaced, message };
}
