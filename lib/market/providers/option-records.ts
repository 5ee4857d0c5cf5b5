import { isOccSymbol, moneyToNumber, parseOccSymbol } from "@/lib/engine";
import { fail, type HttpContext } from "./http";
import type { ContractsRequest, OptionContractRef, OptionQuoteRecord } from "./option-provider";

/** What both option providers check and keep: requests refused before the network, standard contracts, usable quotes. */

const ROOT = /^[A-Z][A-Z0-9]{0,5}$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function isCalendarDay(day: unknown): day is string {
  const m = typeof day === "string" ? DAY.exec(day) : null;
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === day;
}

const isStrike = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x) && x > 0;

/** Refuses a contracts request no provider can answer: an underlying that cannot be an OCC root, bad dates or strikes. */
export function checkContractsRequest(ctx: HttpContext, req: ContractsRequest): void {
  if (typeof req.underlying !== "string" || !ROOT.test(req.underlying)) {
    throw fail(ctx, "PROVIDER_BAD_REQUEST", `${JSON.stringify(req.underlying)} cannot be an option root: 1–6 upper-case letters or digits (e.g. "AAPL")`);
  }
  for (const [name, day] of [["asOf", req.asOf], ["expiryFrom", req.expiryFrom], ["expiryTo", req.expiryTo]] as const) {
    if (!isCalendarDay(day)) throw fail(ctx, "PROVIDER_BAD_REQUEST", `${name} must be a date "YYYY-MM-DD", not ${JSON.stringify(day)}`);
  }
  if (req.expiryFrom > req.expiryTo) throw fail(ctx, "PROVIDER_BAD_REQUEST", `expiryFrom (${req.expiryFrom}) is after expiryTo (${req.expiryTo})`);
  for (const [name, strike] of [["strikeFrom", req.strikeFrom], ["strikeTo", req.strikeTo]] as const) {
    if (strike !== undefined && !isStrike(strike)) throw fail(ctx, "PROVIDER_BAD_REQUEST", `${name} must be a dollar amount above 0, not ${String(strike)}`);
  }
  if (req.strikeFrom !== undefined && req.strikeTo !== undefined && req.strikeFrom > req.strikeTo) {
    throw fail(ctx, "PROVIDER_BAD_REQUEST", `strikeFrom (${req.strikeFrom}) is above strikeTo (${req.strikeTo})`);
  }
}

/** The distinct OCC symbols of a quotes request; anything else (or an invalid `at`) is refused before the network. */
export function checkQuotesRequest(ctx: HttpContext, req: { symbols: readonly string[]; at: Date }): string[] {
  if (!(req.at instanceof Date) || Number.isNaN(req.at.getTime())) throw fail(ctx, "PROVIDER_BAD_REQUEST", "at must be a valid date");
  if (!Array.isArray(req.symbols)) throw fail(ctx, "PROVIDER_BAD_REQUEST", "symbols must be a list of OCC option symbols");
  const bad = req.symbols.find((s) => typeof s !== "string" || !isOccSymbol(s));
  if (bad !== undefined) {
    throw fail(ctx, "PROVIDER_BAD_REQUEST", `${JSON.stringify(bad)} is not an OCC option symbol (e.g. "AAPL250620C00200000", no "O:" prefix)`);
  }
  return [...new Set(req.symbols)];
}

/** What a provider's row says about a contract besides its symbol, checked against what the symbol says. */
export interface ContractRow {
  readonly symbol: string;
  readonly expiry?: string;
  readonly right?: string;
  readonly strike?: number;
}

/**
 * The standard contract a row names, or null: a symbol that does not parse, whose root is not the underlying asked
 * for (adjusted contracts: "AAPL1"), whose expiry, right or strike disagree with the row's own fields, or which lies
 * outside the request's expiries and strikes.
 */
export function standardContract(req: ContractsRequest, row: ContractRow): OptionContractRef | null {
  const parsed = parseOccSymbol(row.symbol);
  if (!parsed.ok) return null;
  const c = parsed.value;
  if (c.underlying !== req.underlying || c.symbol !== row.symbol) return null;
  if (row.expiry !== undefined && row.expiry !== c.expiry) return null;
  if (row.right !== undefined && row.right !== c.right) return null;
  if (row.strike !== undefined && Math.round(row.strike * 1000) !== Number(c.strike / 1000n)) return null;
  const strike = moneyToNumber(c.strike);
  if (c.expiry < req.expiryFrom || c.expiry > req.expiryTo) return null;
  if ((req.strikeFrom !== undefined && strike < req.strikeFrom) || (req.strikeTo !== undefined && strike > req.strikeTo)) return null;
  return { symbol: c.symbol, underlying: c.underlying, expiry: c.expiry, right: c.right, strike };
}

/** Distinct contracts ordered by expiry, strike, then call before put. */
export function sortContracts(contracts: readonly OptionContractRef[]): OptionContractRef[] {
  const bySymbol = new Map(contracts.map((c) => [c.symbol, c]));
  return [...bySymbol.values()].sort(
    (a, b) => (a.expiry < b.expiry ? -1 : a.expiry > b.expiry ? 1 : a.strike - b.strike || (a.right === b.right ? 0 : a.right === "call" ? -1 : 1)),
  );
}

/** A quote worth keeping, or null: a bid or ask missing, an ask at or below 0 (no offer), a negative bid, a crossed market. */
export function usableQuote(symbol: string, at: Date, bid: number | undefined, ask: number | undefined): OptionQuoteRecord | null {
  if (bid === undefined || ask === undefined) return null;
  if (ask <= 0 || bid < 0 || ask < bid) return null;
  return { symbol, at, bid, ask };
}
