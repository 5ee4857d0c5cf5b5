import { describeValue } from "./instrument";
import { formatPrice } from "./money-format";
import { priceToMoney, type Money } from "./money";

/**
 * Prices in an order request: a JSON number of dollars per share with at most 6 decimals, above 0 and at most
 * MAX_ORDER_PRICE. Converted once to exact Money (micros) by `orderPriceToMoney`; nothing after uses floats.
 */
export const MAX_ORDER_PRICE = 1_000_000;

/** Why `input` is not a usable price for `field`, in words a model can act on; null when it is one. */
export function orderPriceProblem(field: string, input: unknown): string | null {
  const rule = `${field} must be a price in dollars per share greater than 0, e.g. 101.5`;
  if (typeof input === "string") {
    const n = Number(input);
    const hint = input.trim() !== "" && Number.isFinite(n) && n > 0 ? `; send the number ${n}, not a string` : "";
    return `${rule}; got ${describeValue(input)}${hint}`;
  }
  if (typeof input !== "number") return `${rule}; got ${describeValue(input)}`;
  if (Number.isNaN(input) || !Number.isFinite(input)) return `${rule}; got ${input}`;
  if (input <= 0) return `${rule}; got ${input}`;
  if (input > MAX_ORDER_PRICE) {
    return `${field} ${input} is not a plausible share price (the most accepted is ${MAX_ORDER_PRICE}); prices are dollars per share, not cents or a total`;
  }
  const micros = input * 1e6;
  if (Math.abs(micros - Math.round(micros)) > 1e-3) {
    return `${field} ${input} has more than 6 decimals; round it, e.g. ${Math.round(micros) / 1e6}`;
  }
  return null;
}

/** A price that passed orderPriceProblem, as exact Money. */
export function orderPriceToMoney(price: number): Money {
  return priceToMoney(price);
}

/** "$101.50" — prices in rejection messages. */
export function showPrice(price: Money): string {
  return formatPrice(price);
}
