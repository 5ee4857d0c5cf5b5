import { EngineError, failure } from "../errors";
import type { OptionInstrument } from "../instrument";
import { quoteCut, describeValue } from "../instrument";
import type { Money } from "../money";
import { toDecimalString } from "../money";
import type { Result } from "../result";
import { err, ok } from "../result";

/**
 * OCC option symbols (the OSI format of 2010): root, expiry yymmdd, C or P, strike × 1000 in 8 digits.
 * `AAPL251017C00250000` = AAPL, 2025-10-17, call, $250.000. The official form pads the root with spaces to
 * 6 characters (21 in all); brokers (Alpaca) drop the spaces. We accept both and write the compact form.
 *
 * The root is taken as the underlying's symbol. Roots of adjusted contracts after corporate actions
 * ("AAPL1") and symbols whose ticker does not fit a root ("BRK.B" trades as "BRKB") are not mapped: a
 * caller that needs them keeps its own root ↔ underlying table.
 */

export const OPTION_MULTIPLIER = 100;
/** Strikes are quoted to 1/1000 of a dollar: 1 strike unit = 1_000 micro-dollars. */
export const MICROS_PER_STRIKE_UNIT = 1_000n;
/** The largest strike 8 digits of thousandths can carry: $99,999.999. */
export const MAX_STRIKE: Money = 99_999_999n * MICROS_PER_STRIKE_UNIT;

export type OptionRight = "call" | "put";

/** What a contract is, before it has a symbol. `strike` is exact money; `expiry` is "YYYY-MM-DD" in 2000–2099. */
export interface OptionContractSpec {
  readonly underlying: string;
  readonly expiry: string;
  readonly right: OptionRight;
  readonly strike: Money;
}

const ROOT = /^[A-Z][A-Z0-9]{0,5}$/;
const COMPACT = /^([A-Z][A-Z0-9]{0,5})(\d{6})([CP])(\d{8})$/;
const PADDED = /^([A-Z][A-Z0-9 ]{5})(\d{6})([CP])(\d{8})$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const EXAMPLE = `e.g. "AAPL251017C00250000" (AAPL, 2025-10-17, call, strike $250)`;

/** An option contract's symbol in the compact OCC form the ledger stores (an equity symbol never has this shape). */
export const isOccSymbol = (symbol: string): boolean => COMPACT.test(symbol);

/** The contract of an OCC symbol, or INVALID_SYMBOL saying which part is wrong. */
export function parseOccSymbol(input: unknown): Result<OptionInstrument> {
  if (typeof input !== "string") {
    return err(failure("INVALID_SYMBOL", `an option symbol must be a string, ${EXAMPLE}; got ${describeValue(input)}`));
  }
  const m = COMPACT.exec(input) ?? (input.length === 21 ? PADDED.exec(input) : null);
  if (!m) return err(failure("INVALID_SYMBOL", `${quoteCut(input)} is not an OCC option symbol: ${shapeProblem(input)}; ${EXAMPLE}`));
  const root = m[1]!.trimEnd();
  if (!ROOT.test(root)) {
    return err(failure("INVALID_SYMBOL", `${quoteCut(input)}: the root ${JSON.stringify(root)} must be 1–6 letters or digits starting with a letter, padded with spaces only at the end`));
  }
  const yymmdd = m[2]!;
  const expiry = `20${yymmdd.slice(0, 2)}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4, 6)}`;
  if (!isCalendarDay(expiry)) {
    return err(failure("INVALID_SYMBOL", `${quoteCut(input)}: the expiry ${yymmdd} (yymmdd) is not a calendar date`));
  }
  const strike = BigInt(m[4]!) * MICROS_PER_STRIKE_UNIT;
  if (strike === 0n) return err(failure("INVALID_SYMBOL", `${quoteCut(input)}: the strike is 0; a strike is above $0`));
  return ok(instrumentOf({ underlying: root, expiry, right: m[3] === "C" ? "call" : "put", strike }));
}

/** The contract for a spec, with its compact OCC symbol, or INVALID_SYMBOL saying what cannot be written. */
export function optionContract(spec: OptionContractSpec): Result<OptionInstrument> {
  const problem = specProblem(spec);
  return problem === null ? ok(instrumentOf(spec)) : err(failure("INVALID_SYMBOL", problem));
}

/** The compact OCC symbol of a valid spec; throws EngineError INVALID_SYMBOL otherwise (see optionContract). */
export function formatOccSymbol(spec: OptionContractSpec): string {
  const problem = specProblem(spec);
  if (problem !== null) throw new EngineError("INVALID_SYMBOL", problem);
  const yymmdd = spec.expiry.slice(2, 4) + spec.expiry.slice(5, 7) + spec.expiry.slice(8, 10);
  const units = spec.strike / MICROS_PER_STRIKE_UNIT;
  return `${spec.underlying}${yymmdd}${spec.right === "call" ? "C" : "P"}${units.toString().padStart(8, "0")}`;
}

function instrumentOf(spec: OptionContractSpec): OptionInstrument {
  return {
    kind: "option",
    symbol: formatOccSymbol(spec),
    underlying: spec.underlying,
    multiplier: OPTION_MULTIPLIER,
    strike: spec.strike,
    expiry: spec.expiry,
    right: spec.right,
  };
}

function specProblem(spec: OptionContractSpec): string | null {
  if (typeof spec.underlying !== "string" || !ROOT.test(spec.underlying)) {
    return `the underlying ${describeValue(spec.underlying)} cannot be an OCC root: 1–6 upper-case letters or digits starting with a letter (e.g. "AAPL")`;
  }
  const day = DAY.exec(typeof spec.expiry === "string" ? spec.expiry : "");
  if (!day || !isCalendarDay(spec.expiry) || !spec.expiry.startsWith("20")) {
    return `the expiry ${describeValue(spec.expiry)} must be a calendar date "YYYY-MM-DD" from 2000 to 2099`;
  }
  if (spec.right !== "call" && spec.right !== "put") return `the right ${describeValue(spec.right)} must be "call" or "put"`;
  if (typeof spec.strike !== "bigint" || spec.strike <= 0n || spec.strike > MAX_STRIKE) {
    return `the strike must be above $0 and at most $99,999.999 (8 digits of thousandths)`;
  }
  if (spec.strike % MICROS_PER_STRIKE_UNIT !== 0n) {
    return `the strike $${toDecimalString(spec.strike)} has more than 3 decimals; OCC strikes are in thousandths of a dollar`;
  }
  return null;
}

function shapeProblem(input: string): string {
  if (input.length === 0) return "it is empty";
  if (input !== input.toUpperCase()) return "it must be upper-case";
  if (input.length < 16 || input.length > 21) return `it has ${input.length} characters; an OCC symbol has 16–21 (root of 1–6, 6 date digits, C or P, 8 strike digits)`;
  const tail = input.slice(-15);
  if (!/^\d{6}/.test(tail)) return "the 6 characters after the root must be the expiry as yymmdd";
  if (!/^[CP]$/.test(tail[6]!)) return `the character after the expiry must be C (call) or P (put), not ${JSON.stringify(tail[6])}`;
  if (!/^\d{8}$/.test(tail.slice(7))) return "the last 8 characters must be the strike × 1000 in digits";
  return "the root must be 1–6 letters or digits starting with a letter";
}

function isCalendarDay(day: string): boolean {
  const m = DAY.exec(day);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}
