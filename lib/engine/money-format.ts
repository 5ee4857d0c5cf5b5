import { divRound } from "./rounding";
import { MICROS_PER_DOLLAR, type Money } from "./money";

/** Micros per displayed unit, indexed by the number of decimals shown. */
const SCALE = [1_000_000n, 100_000n, 10_000n, 1_000n, 100n, 10n, 1n] as const;

/**
 * Formats money for people: 5210000000n → "$5,210.00", -3100000n → "-$3.10".
 * `decimals` (0–6, default 2) rounds half away from zero, so "-$0.00" never appears (it prints "$0.00").
 * With `decimals: 6` the output is exact and `parseMoney` of it (minus "$" and ",") gives the input back.
 */
export function formatMoney(m: Money, decimals = 2): string {
  const unit = SCALE[decimals];
  if (unit === undefined || !Number.isInteger(decimals)) {
    throw new RangeError(`formatMoney: decimals must be an integer 0–6, got ${decimals}`);
  }
  const rounded = divRound(m, unit, "half_away"); // in units of 10^-decimals dollars
  const neg = rounded < 0n;
  const abs = neg ? -rounded : rounded;
  const perDollar = MICROS_PER_DOLLAR / unit;
  const whole = groupThousands((abs / perDollar).toString());
  const frac = decimals > 0 ? `.${(abs % perDollar).toString().padStart(decimals, "0")}` : "";
  return `${neg ? "-" : ""}$${whole}${frac}`;
}

function groupThousands(digits: string): string {
  let out = "";
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ",";
    out += digits[i];
  }
  return out;
}

/** A per-share price for people: at least 2 decimals, more only when needed ("$52.00", "$271.0884"). */
export function formatPrice(m: Money): string {
  const exact = formatMoney(m, 6);
  let end = exact.length;
  while (end > exact.length - 4 && exact[end - 1] === "0") end--;
  return exact.slice(0, end);
}

/** Two amounts that stay distinguishable: falls back to 6 decimals when cents would show them equal. */
export function formatPair(a: Money, b: Money): [string, string] {
  const fa = formatMoney(a);
  const fb = formatMoney(b);
  return fa === fb && a !== b ? [formatMoney(a, 6), formatMoney(b, 6)] : [fa, fb];
}
