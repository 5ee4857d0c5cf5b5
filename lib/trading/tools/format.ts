import { toDecimalString, type Money } from "@/lib/engine";

/**
 * Money for a tool result (the contract's decimal-dollar string): exact, with at least 2 decimals and
 * no trailing zeros beyond them. 1234500000n → "1234.50", 271088400n → "271.0884".
 */
export function dollarsText(m: Money): string {
  const exact = toDecimalString(m); // 6 decimals
  let end = exact.length;
  while (end > exact.length - 4 && exact[end - 1] === "0") end--;
  return exact.slice(0, end);
}

/** A symbol as the tools use it: trimmed and upper case (the contract accepts any case). */
export const normalizeSymbol = (symbol: string) => symbol.trim().toUpperCase();
