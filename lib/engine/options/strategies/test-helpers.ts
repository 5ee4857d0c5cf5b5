import type { Money } from "../../money";
import { formatOccSymbol } from "../occ";
import type { ParsedLeg, StrategyLeg } from "./legs";
import { parseLegs } from "./legs";

/** Test helpers: dollars to micros, OCC symbols of XYZ by expiry, right and strike, parsed legs or a thrown error. */
export const usd = (x: number): Money => BigInt(Math.round(x * 1_000_000));
export const JAN = "2026-01-16";
export const FEB = "2026-02-20";
export const opt = (right: "call" | "put", strike: number, expiry = JAN, underlying = "XYZ") => formatOccSymbol({ underlying, expiry, right, strike: usd(strike) });
export const call = (strike: number, expiry = JAN) => opt("call", strike, expiry);
export const put = (strike: number, expiry = JAN) => opt("put", strike, expiry);
export const buy = (symbol: string, ratio = 1): StrategyLeg => ({ symbol, side: "buy", ratio });
export const sell = (symbol: string, ratio = 1): StrategyLeg => ({ symbol, side: "sell", ratio });
export function parsed(legs: readonly StrategyLeg[]): ParsedLeg[] {
  const r = parseLegs(legs);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
