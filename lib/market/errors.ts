import { AppError } from "@/lib/errors";

/**
 * Typed errors of lib/market: AppErrors of kind "reject" (lib/errors.ts), because the caller's input is
 * wrong (a file, a query, a date, a symbol) and retrying the same call cannot succeed. Not "not_found" even
 * for NO_DATA: a symbol without bars yet is an answer the caller acts on, not a page that is not there.
 * Messages are written for the reader who must act on them, often an LLM agent.
 */

/** One problem found while validating an import file; `line` is 1-based in the file. */
export interface ImportProblem {
  line: number;
  message: string;
}

const MAX_PROBLEMS_IN_MESSAGE = 10;

/** A file failed validation. Nothing from it may be stored; `problems` lists every problem found. */
export class ImportError extends AppError {
  declare readonly code: "IMPORT_INVALID";
  readonly problems: readonly ImportProblem[];
  readonly fileName: string | undefined;

  constructor(problems: readonly ImportProblem[], fileName?: string) {
    const sorted = [...problems].sort((a, b) => a.line - b.line);
    const shown = sorted.slice(0, MAX_PROBLEMS_IN_MESSAGE).map((p) => `line ${p.line}: ${p.message}`);
    const more = sorted.length > shown.length ? `; … and ${sorted.length - shown.length} more` : "";
    const where = fileName ? `${fileName}: ` : "";
    super("reject", "IMPORT_INVALID", `${where}${sorted.length} problem(s), nothing imported. ${shown.join("; ")}${more}`);
    this.name = "ImportError";
    this.problems = sorted;
    this.fileName = fileName;
  }
}

/** Collects problems while a file is parsed, then throws them all at once. */
export class ProblemList {
  readonly items: ImportProblem[] = [];
  add(line: number, message: string): void {
    this.items.push({ line, message });
  }
  get isEmpty(): boolean {
    return this.items.length === 0;
  }
  throwIfAny(fileName?: string): void {
    if (this.items.length > 0) throw new ImportError(this.items, fileName);
  }
}

export type MarketErrorCode =
  | "LOOKAHEAD" // asked for data after the session clock
  | "NOT_IN_UNIVERSE" // asked for a symbol the session does not trade
  | "NO_DATA" // the symbol has no bars at or before the clock
  | "INVALID_REQUEST" // malformed query (bad interval, limit, range)
  | "CALENDAR_RANGE" // a date outside the years the NYSE calendar covers
  | "NOT_ENOUGH_BARS"; // too few bars up to the clock for what was asked (a modelled chain's realised volatility)

/** An error of the market view or the calendar, with a code the caller can branch on. */
export class MarketDataError extends AppError {
  declare readonly code: MarketErrorCode;
  constructor(code: MarketErrorCode, message: string) {
    super("reject", code, message);
    this.name = "MarketDataError";
  }
}

export function isMarketDataError(e: unknown, code?: MarketErrorCode): e is MarketDataError {
  return e instanceof MarketDataError && (code === undefined || e.code === code);
}
