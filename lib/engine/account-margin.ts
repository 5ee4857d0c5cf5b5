import { notional } from "./cash-ledger";
import { failure } from "./errors";
import { marginRequirement } from "./margin";
import type { Money } from "./money";
import { isOccSymbol, parseOccSymbol } from "./options/occ";
import { cashSecuredPutReserve, coveredContracts, nakedOptionRequirement } from "./options/option-margin";
import { pairWrittenContracts, STRATEGY_MARGIN_KINDS, type LongContracts, type StrategyMarginKind, type WrittenContracts } from "./options/strategies/strategy-margin";
import type { OrderSide } from "./order";
import type { Position } from "./position";
import { err, ok, type Result } from "./result";
import type { TradingSettings } from "./check-order";

/**
 * What an account's shorts require as collateral in cash (docs/engine.md "Margin"), the cash already holding their
 * proceeds:
 *   short stock: shortMarginRequirementBps of the shorts' total market value (150 % by default);
 *   short options: the Cboe/Reg-T uncovered rule per contract (options/option-margin.ts), re-marked at the prices given;
 *   a short call covered by 100 shares held long of its underlying: nothing (the shares are its collateral). Shares
 *     cover the calls with the largest requirement first (the cover that leaves the least to hold);
 *   a short put in an account that may not short (`allowShort` false): cash-secured, its strike × 100 per contract, what
 *     assignment would cost (the premium included); in one that may, the uncovered rule above.
 * Long positions require nothing: they were paid in full.
 * With `strategyMargin` set, the written contracts shares do not cover are paired with long contracts and with each
 * other first (spreads, iron condors, butterflies, short straddles and strangles: options/strategies/strategy-margin.ts),
 * one line per group naming its legs; what stays unpaired is margined alone as above.
 */
export type MarginKind = "short_stock" | "naked_call" | "covered_call" | "naked_put" | "cash_secured_put" | StrategyMarginKind;
/** Every MarginKind, for schemas. */
export const MARGIN_KINDS = [
  "short_stock",
  "naked_call",
  "covered_call",
  "naked_put",
  "cash_secured_put",
  ...STRATEGY_MARGIN_KINDS,
] as const satisfies readonly MarginKind[];


export interface MarginLine {
  readonly symbol: string;
  readonly kind: MarginKind;
  /** Shares or contracts in this line (> 0). */
  readonly quantity: number;
  readonly requirement: Money;
  /** A strategy group's symbols, its written and long contracts (absent on single-leg lines). */
  readonly legs?: readonly string[];
}

export interface AccountMargin {
  readonly requirement: Money;
  /** Market value of the short stock (positive), the base of its percentage rule. */
  readonly shortStockValue: Money;
  /** Per short position; a short call partly covered has two lines. Lines of short stock show their own share of the rule. */
  readonly lines: readonly MarginLine[];
}

type Holding = Pick<Position, "symbol" | "quantity">;
/** The account's trading settings the requirement depends on (check-order.ts TradingSettings). */
type MarginSettings = Pick<TradingSettings, "allowShort" | "shortMarginRequirementBps" | "strategyMargin">;

/** The requirement of `positions` with every short marked at `prices` (a short option needs its underlying's price too). */
export function accountMargin(positions: Iterable<Holding>, prices: ReadonlyMap<string, Money>, settings: MarginSettings): Result<AccountMargin> {
  const bps = settings.shortMarginRequirementBps;
  const held = [...positions];
  const priceOf = (symbol: string, why: string): Result<Money> => {
    const p = prices.get(symbol);
    return p === undefined ? err(failure("MISSING_PRICE", `no current price for ${symbol}, needed to value ${why}`)) : ok(p);
  };
  const lines: MarginLine[] = [];
  let shortStockValue = 0n;
  const strategies = settings.strategyMargin === true;
  const calls = new Map<string, { symbol: string; contracts: number; perContract: Money; multiplier: number }[]>();
  const written: WrittenContracts[] = [];
  for (const p of held) {
    if (p.quantity >= 0) continue;
    if (!isOccSymbol(p.symbol)) {
      const mark = priceOf(p.symbol, `its short of ${-p.quantity}`);
      if (!mark.ok) return mark;
      const value = notional(-p.quantity, mark.value, p.symbol);
      shortStockValue += value;
      lines.push({ symbol: p.symbol, kind: "short_stock", quantity: -p.quantity, requirement: marginRequirement(value, bps) });
      continue;
    }
    const contract = parseOccSymbol(p.symbol);
    if (!contract.ok) return contract;
    const c = contract.value;
    const optionPrice = priceOf(p.symbol, `its ${-p.quantity} written contracts`);
    if (!optionPrice.ok) return optionPrice;
    const underlyingPrice = priceOf(c.underlying, `the ${-p.quantity} written ${p.symbol}`);
    if (!underlyingPrice.ok) return underlyingPrice;
    const perContract = nakedOptionRequirement({ contract: c, contracts: 1, optionPrice: optionPrice.value, underlyingPrice: underlyingPrice.value });
    if (strategies && c.right === "put") {
      const secured = !settings.allowShort;
      written.push({ symbol: p.symbol, contract: c, contracts: -p.quantity, perContract: secured ? cashSecuredPutReserve(c, 1) : perContract, premium: optionPrice.value, naked: !secured });
    } else if (c.right === "put" && !settings.allowShort) lines.push({ symbol: p.symbol, kind: "cash_secured_put", quantity: -p.quantity, requirement: cashSecuredPutReserve(c, -p.quantity) });
    else if (c.right === "put") lines.push({ symbol: p.symbol, kind: "naked_put", quantity: -p.quantity, requirement: perContract * BigInt(-p.quantity) });
    else {
      calls.set(c.underlying, [...(calls.get(c.underlying) ?? []), { symbol: p.symbol, contracts: -p.quantity, perContract, multiplier: c.multiplier }]);
      if (strategies) written.push({ symbol: p.symbol, contract: c, contracts: -p.quantity, perContract, premium: optionPrice.value, naked: true });
    }
  }
  const uncovered = new Map<string, number>();
  for (const [underlying, writtenCalls] of calls) {
    const shares = held.find((p) => p.symbol === underlying)?.quantity ?? 0;
    let sharesLeft = Math.max(0, shares);
    for (const w of [...writtenCalls].sort((a, b) => (b.perContract > a.perContract ? 1 : b.perContract < a.perContract ? -1 : 0))) {
      const covered = coveredContracts(w.contracts, w.multiplier, sharesLeft);
      sharesLeft -= covered * w.multiplier;
      if (covered > 0) lines.push({ symbol: w.symbol, kind: "covered_call", quantity: covered, requirement: 0n });
      if (w.contracts > covered && !strategies) lines.push({ symbol: w.symbol, kind: "naked_call", quantity: w.contracts - covered, requirement: w.perContract * BigInt(w.contracts - covered) });
      uncovered.set(w.symbol, w.contracts - covered);
    }
  }
  if (strategies) lines.push(...strategyLines(held, written, uncovered, settings.allowShort));
  const optionRequirement = lines.reduce((sum, l) => (l.kind === "short_stock" ? sum : sum + l.requirement), 0n);
  return ok({ requirement: marginRequirement(shortStockValue, bps) + optionRequirement, shortStockValue, lines });
}

/**
 * The lines of the written contracts under strategy margin: those shares leave uncovered (`uncovered`, calls by symbol)
 * paired with the long contracts held (strategy-margin.ts), the rest alone by the single-leg rules.
 */
function strategyLines(held: readonly Holding[], written: readonly WrittenContracts[], uncovered: ReadonlyMap<string, number>, allowShort: boolean): MarginLine[] {
  const pool = written.flatMap((w) => {
    const contracts = w.contract.right === "call" ? (uncovered.get(w.symbol) ?? 0) : w.contracts;
    return contracts > 0 ? [{ ...w, contracts }] : [];
  });
  const longs: LongContracts[] = [];
  for (const p of held) {
    if (p.quantity <= 0 || !isOccSymbol(p.symbol)) continue;
    const c = parseOccSymbol(p.symbol);
    if (c.ok) longs.push({ symbol: p.symbol, contract: c.value, contracts: p.quantity });
  }
  const paired = pairWrittenContracts(pool, longs);
  const groups: MarginLine[] = paired.groups.map((g) => ({ symbol: g.symbol, kind: g.kind, quantity: g.quantity, requirement: g.requirement, legs: g.legs }));
  const single: MarginLine[] = paired.single.map((w) => ({
    symbol: w.symbol,
    kind: w.contract.right === "call" ? "naked_call" : allowShort ? "naked_put" : "cash_secured_put",
    quantity: w.contracts,
    requirement: w.perContract * BigInt(w.contracts),
  }));
  return [...groups, ...single];
}

/** `positions` with `symbol` at `quantity` (the account after a prospective order). */
export function withQuantity(positions: ReadonlyMap<string, Holding>, symbol: string, quantity: number): Holding[] {
  const rest = [...positions.values()].filter((p) => p.symbol !== symbol);
  return quantity === 0 ? rest : [...rest, { symbol, quantity }];
}

/**
 * Whether an order may need margin (and the prices of the shorts to check it): buys spend cash, shorts and written
 * contracts add requirement, a sale of shares that cover written calls uncovers them, and a sale of long contracts
 * on an underlying with written contracts may break a spread (under strategy margin). Covers and other sales only
 * reduce risk.
 */
export function mayNeedMargin(positions: ReadonlyMap<string, Holding>, symbol: string, side: OrderSide): boolean {
  return side === "buy" || side === "sell_short" || (side === "sell" && (coversCalls(positions, symbol) || hedgesWritten(positions, symbol)));
}

/** Whether `symbol` is a contract on an underlying with written contracts (selling it may leave one of them unpaired). */
export function hedgesWritten(positions: ReadonlyMap<string, Holding>, symbol: string): boolean {
  if (!isOccSymbol(symbol)) return false;
  const own = parseOccSymbol(symbol);
  if (!own.ok) return false;
  for (const p of positions.values()) {
    if (p.quantity >= 0 || !isOccSymbol(p.symbol)) continue;
    const c = parseOccSymbol(p.symbol);
    if (c.ok && c.value.underlying === own.value.underlying) return true;
  }
  return false;
}

/** Whether shares of `symbol` cover written calls now (selling them may leave the calls uncovered). */
export function coversCalls(positions: ReadonlyMap<string, Holding>, symbol: string): boolean {
  if (isOccSymbol(symbol)) return false;
  for (const p of positions.values()) {
    if (p.quantity >= 0 || !isOccSymbol(p.symbol)) continue;
    const c = parseOccSymbol(p.symbol);
    if (c.ok && c.value.right === "call" && c.value.underlying === symbol) return true;
  }
  return false;
}

/** The symbols whose prices accountMargin needs for `positions`: every short, and the underlying of every written contract. */
export function marginSymbols(positions: Iterable<Holding>): string[] {
  const symbols = new Set<string>();
  for (const p of positions) {
    if (p.quantity >= 0) continue;
    symbols.add(p.symbol);
    if (isOccSymbol(p.symbol)) {
      const c = parseOccSymbol(p.symbol);
      if (c.ok) symbols.add(c.value.underlying);
    }
  }
  return [...symbols];
}
