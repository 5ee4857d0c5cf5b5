import { notional } from "./cash-ledger";
import { feeOnNotional, type FeeModel } from "./fees";
import { maxMoney, minMoney, type Money } from "./money";
import { isBuySide } from "./order";
import { applySlippage } from "./slippage";
import type { WorkingOrder } from "./working-orders";

/**
 * The price a working order fills at: slippage as for market orders (slippage.ts), from the price the fill rules
 * chose; an order with a limit (limit, stop-limit, a take-profit) never fills worse than its limit.
 */
export function fillPrice(o: Pick<WorkingOrder, "side" | "type" | "limitPrice">, reference: Money, slippageBps: number): Money {
  const slipped = applySlippage(reference, o.side, slippageBps);
  const limit = o.type === "limit" || o.type === "stop_limit" ? o.limitPrice : undefined;
  if (limit === undefined) return slipped;
  return isBuySide(o.side) ? minMoney(slipped, limit) : maxMoney(slipped, limit);
}

/**
 * The fee of one fill of a working order: what the order's fills so far plus this one cost as ONE order (fees.ts
 * feeOnNotional) minus what the earlier fills paid. A whole fill pays exactly computeFee(quantity, price); partial
 * fills together pay the per-order part and the minimum once, never more than one order of the whole quantity
 * at the worst price its reservation assumed.
 */
export function fillFee(model: FeeModel, o: Pick<WorkingOrder, "symbol" | "filledQuantity" | "filledNotional">, quantity: number, price: Money): Money {
  const before = o.filledQuantity > 0 ? feeOnNotional(model, o.filledQuantity, o.filledNotional) : 0n;
  return feeOnNotional(model, o.filledQuantity + quantity, o.filledNotional + notional(quantity, price, o.symbol)) - before;
}
