import type { Fill } from "@/lib/engine/fill";
import type { Money } from "@/lib/engine/money";
import type { OrderSide } from "@/lib/engine/order";

/** Dollars → micros for readable tests: usd(52) = 52_000_000n, usd(0.01) = 10_000n. */
export function usd(dollars: number): Money {
  return BigInt(Math.round(dollars * 1e6));
}

let counter = 0;

/** A fill with a fresh id unless one is given. */
export function fill(side: OrderSide, quantity: number, price: Money, fee: Money = 0n, id?: string): Fill {
  counter++;
  return { id: id ?? `f${counter}`, symbol: "AAPL", side, quantity, price, fee };
}
