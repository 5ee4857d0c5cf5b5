import { failure } from "../../errors";
import type { OptionInstrument } from "../../instrument";
import { quoteCut, symbolProblem } from "../../instrument";
import { err, ok, type Result } from "../../result";
import { isOccSymbol, OPTION_MULTIPLIER, parseOccSymbol } from "../occ";

/**
 * The legs of a multi-leg strategy (issue #24), as Alpaca's `mleg` order gives them: a symbol, a side and a whole
 * ratio per strategy unit. An option leg's symbol is an OCC contract; a stock leg's is the options' underlying and its
 * ratio counts shares per unit, a multiple of 100 (one contract's deliverable): a covered call is 100 shares and 1
 * call. The order's quantity is the number of units.
 */
export interface StrategyLeg {
  readonly symbol: string;
  readonly side: "buy" | "sell";
  readonly ratio: number;
}

export interface OptionLeg {
  readonly kind: "option";
  readonly symbol: string;
  readonly side: "buy" | "sell";
  /** Contracts per unit. */
  readonly ratio: number;
  readonly contract: OptionInstrument;
}

export interface StockLeg {
  readonly kind: "stock";
  readonly symbol: string;
  readonly side: "buy" | "sell";
  /** Shares per unit (a multiple of 100). */
  readonly ratio: number;
}

export type ParsedLeg = OptionLeg | StockLeg;

export const MIN_LEGS = 2;
export const MAX_LEGS = 4;

const legName = (i: number, symbol: unknown) => `leg ${i + 1}${typeof symbol === "string" ? ` (${quoteCut(symbol)})` : ""}`;
const bad = (message: string) => err(failure("INVALID_LEGS", message));

/**
 * The legs checked and their contracts read, or INVALID_LEGS in words: 2 to 4 legs; each a side "buy" or "sell" and a
 * whole ratio ≥ 1 (a stock leg's a multiple of 100); option legs on one underlying; a stock leg only of that
 * underlying; no symbol twice; ratios in lowest terms (Alpaca requires their greatest common divisor to be 1; a stock
 * leg counts as ratio / 100).
 */
export function parseLegs(legs: readonly StrategyLeg[]): Result<ParsedLeg[]> {
  if (!Array.isArray(legs)) return bad("the legs must be a list of 2 to 4 legs, each { symbol, side, ratio }");
  if (legs.length < MIN_LEGS || legs.length > MAX_LEGS) {
    return bad(`a strategy has ${MIN_LEGS} to ${MAX_LEGS} legs; got ${legs.length}${legs.length < MIN_LEGS ? " (a single contract is an ordinary order)" : ""}`);
  }
  const parsed: ParsedLeg[] = [];
  for (const [i, leg] of legs.entries()) {
    const name = legName(i, leg?.symbol);
    if (leg?.side !== "buy" && leg?.side !== "sell") return bad(`${name}: the side must be "buy" or "sell"`);
    if (typeof leg.ratio !== "number" || !Number.isSafeInteger(leg.ratio) || leg.ratio < 1) {
      return bad(`${name}: the ratio ${String(leg.ratio)} is not a whole number ≥ 1 (contracts, or shares for a stock leg, per unit)`);
    }
    if (typeof leg.symbol === "string" && isOccSymbol(leg.symbol)) {
      const contract = parseOccSymbol(leg.symbol);
      if (!contract.ok) return bad(`${name}: ${contract.error.message}`);
      parsed.push({ kind: "option", symbol: leg.symbol, side: leg.side, ratio: leg.ratio, contract: contract.value });
      continue;
    }
    const problem = symbolProblem(leg.symbol);
    if (problem !== null) return bad(`${name}: neither an OCC option symbol nor a stock symbol: ${problem}`);
    if (leg.ratio % OPTION_MULTIPLIER !== 0) {
      return bad(`${name}: a stock leg's ratio counts shares per unit and must be a multiple of ${OPTION_MULTIPLIER} (one contract's deliverable); got ${leg.ratio}`);
    }
    parsed.push({ kind: "stock", symbol: leg.symbol, side: leg.side, ratio: leg.ratio });
  }
  const options = parsed.filter((l): l is OptionLeg => l.kind === "option");
  if (options.length === 0) return bad("a strategy needs at least one option leg; shares alone are an ordinary order");
  const underlyings = [...new Set(options.map((l) => l.contract.underlying))];
  if (underlyings.length > 1) {
    const where = underlyings.map((u) => `${u} (${parsed.flatMap((l, i) => (l.kind === "option" && l.contract.underlying === u ? [`leg ${i + 1}`] : [])).join(", ")})`);
    return bad(`the option legs are on different underlyings: ${where.join(" and ")}; a strategy trades options on one underlying`);
  }
  const underlying = underlyings[0]!;
  for (const [i, l] of parsed.entries()) {
    if (l.kind === "stock" && l.symbol !== underlying) {
      return bad(`leg ${i + 1}: the stock leg ${l.symbol} is not the options' underlying ${underlying}; a stock leg must be the underlying itself`);
    }
  }
  for (const [i, l] of parsed.entries()) {
    const j = parsed.findIndex((m, k) => k > i && m.symbol === l.symbol);
    if (j >= 0) return bad(`${l.symbol} appears in legs ${i + 1} and ${j + 1}; give each symbol once, with its ratio`);
  }
  const units = parsed.map((l) => (l.kind === "stock" ? l.ratio / OPTION_MULTIPLIER : l.ratio));
  const divisor = units.reduce(gcd);
  if (divisor > 1) {
    return bad(
      `the ratios ${units.join(":")} share a factor of ${divisor}; give them in lowest terms (${units.map((u) => u / divisor).join(":")}) and the quantity in units (Alpaca requires ratios whose greatest common divisor is 1; a stock leg counts per 100 shares)`,
    );
  }
  return ok(parsed);
}

export function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** The underlying of parsed legs (all option legs share it). */
export function underlyingOf(legs: readonly ParsedLeg[]): string {
  const option = legs.find((l): l is OptionLeg => l.kind === "option");
  return option ? option.contract.underlying : legs[0]!.symbol;
}
