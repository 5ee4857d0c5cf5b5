import type { OptionLeg, ParsedLeg, StockLeg } from "./legs";

/**
 * The names of the shapes recognised (docs/engine.md, "Multi-leg strategies"). `flow` is the sign its net price
 * should have: a debit paid (positive) or a credit received (negative); null for "custom" (either).
 */
export type StrategyName =
  | "call_debit_vertical"
  | "call_credit_vertical"
  | "put_debit_vertical"
  | "put_credit_vertical"
  | "iron_condor"
  | "reverse_iron_condor"
  | "iron_butterfly"
  | "reverse_iron_butterfly"
  | "long_call_butterfly"
  | "short_call_butterfly"
  | "long_put_butterfly"
  | "short_put_butterfly"
  | "long_straddle"
  | "short_straddle"
  | "long_strangle"
  | "short_strangle"
  | "long_calendar"
  | "short_calendar"
  | "long_diagonal"
  | "short_diagonal"
  | "covered_call"
  | "protective_put"
  | "collar"
  | "custom";

export interface StrategyShape {
  readonly name: StrategyName;
  readonly flow: "debit" | "credit" | null;
  /** In words: "call credit vertical", "iron condor". */
  readonly label: string;
}

const CREDIT: ReadonlySet<StrategyName> = new Set([
  "call_credit_vertical",
  "put_credit_vertical",
  "iron_condor",
  "iron_butterfly",
  "short_call_butterfly",
  "short_put_butterfly",
  "short_straddle",
  "short_strangle",
  "short_calendar",
  "short_diagonal",
]);

export function shapeOf(name: StrategyName): StrategyShape {
  return { name, flow: name === "custom" ? null : CREDIT.has(name) ? "credit" : "debit", label: name.replace(/_/g, " ") };
}

const byStrike = (a: OptionLeg, b: OptionLeg) => (a.contract.strike < b.contract.strike ? -1 : a.contract.strike > b.contract.strike ? 1 : 0);

/**
 * What a set of parsed legs (parseLegs) is. Ratios are in lowest terms there, so a vertical's are 1:1 and a
 * butterfly's 1:2:1. Shapes, each on one underlying:
 *   vertical: two options of one right and expiry, different strikes, one bought and one sold; a debit when the bought
 *     strike is the better one (the lower call, the higher put);
 *   straddle / strangle: a call and a put of one expiry, both bought (long) or both sold (short), at one strike / two;
 *   calendar / diagonal: one right, two expiries, one bought and one sold, at one strike / two; long = the later bought;
 *   butterfly: one right and expiry, strikes K1 < K2 < K3 equally spaced, 1:2:1, the wings bought (long) or sold;
 *   iron condor: one expiry, put K1 < put K2 ≤ call K3 < call K4 (K2 = K3: iron butterfly), the inner two sold and the
 *     outer two bought (reverse: the other way round), 1:1:1:1;
 *   covered call: shares bought + a call sold; protective put: shares bought + a put bought; collar: shares bought, a
 *     put bought and a call sold of one expiry, the put's strike at most the call's; 100 shares a contract.
 * Anything else is "custom" (ratio spreads, broken-wing butterflies, a vertical with a stock leg...).
 */
export function recognizeStrategy(legs: readonly ParsedLeg[]): StrategyShape {
  return shapeOf(nameOf(legs));
}

function nameOf(legs: readonly ParsedLeg[]): StrategyName {
  const options = legs.filter((l): l is OptionLeg => l.kind === "option").sort(byStrike);
  const stock = legs.filter((l): l is StockLeg => l.kind === "stock");
  if (stock.length === 1) return withStock(stock[0]!, options);
  if (stock.length > 0) return "custom";
  const expiries = new Set(options.map((l) => l.contract.expiry));
  const rights = new Set(options.map((l) => l.contract.right));
  if (options.length === 2) return twoLegs(options[0]!, options[1]!, expiries.size, rights.size);
  if (expiries.size !== 1) return "custom";
  if (options.length === 3 && rights.size === 1) return butterfly(options);
  if (options.length === 4) return iron(options);
  return "custom";
}

function twoLegs(a: OptionLeg, b: OptionLeg, expiries: number, rights: number): StrategyName {
  if (a.ratio !== 1 || b.ratio !== 1) return "custom";
  const sameStrike = a.contract.strike === b.contract.strike;
  if (rights === 2) {
    if (expiries !== 1 || a.side !== b.side) return "custom";
    const side = a.side === "buy" ? "long" : "short";
    return sameStrike ? `${side}_straddle` : `${side}_strangle`;
  }
  if (a.side === b.side) return "custom";
  const right = a.contract.right;
  if (expiries === 1) {
    if (sameStrike) return "custom";
    // a is the lower strike: a call vertical is a debit when the lower is bought; a put vertical when the higher is.
    const lowerBought = a.side === "buy";
    return right === "call" ? (lowerBought ? "call_debit_vertical" : "call_credit_vertical") : lowerBought ? "put_credit_vertical" : "put_debit_vertical";
  }
  const later = a.contract.expiry > b.contract.expiry ? a : b;
  const side = later.side === "buy" ? "long" : "short";
  return sameStrike ? `${side}_calendar` : `${side}_diagonal`;
}

function butterfly(o: readonly OptionLeg[]): StrategyName {
  const [low, mid, high] = o as [OptionLeg, OptionLeg, OptionLeg];
  const wings = low.side === high.side && mid.side !== low.side;
  const ratios = low.ratio === 1 && mid.ratio === 2 && high.ratio === 1;
  const even = mid.contract.strike - low.contract.strike === high.contract.strike - mid.contract.strike;
  const distinct = low.contract.strike < mid.contract.strike && mid.contract.strike < high.contract.strike;
  if (!wings || !ratios || !even || !distinct) return "custom";
  return `${low.side === "buy" ? "long" : "short"}_${low.contract.right}_butterfly`;
}

function iron(o: readonly OptionLeg[]): StrategyName {
  if (o.some((l) => l.ratio !== 1)) return "custom";
  const puts = o.filter((l) => l.contract.right === "put");
  const calls = o.filter((l) => l.contract.right === "call");
  if (puts.length !== 2 || calls.length !== 2) return "custom";
  const [p1, p2] = puts as [OptionLeg, OptionLeg];
  const [c3, c4] = calls as [OptionLeg, OptionLeg];
  const ordered = p1.contract.strike < p2.contract.strike && p2.contract.strike <= c3.contract.strike && c3.contract.strike < c4.contract.strike;
  if (!ordered) return "custom";
  const outer = p1.side;
  if (p2.side === outer || c3.side === outer || c4.side !== outer) return "custom";
  const kind = p2.contract.strike === c3.contract.strike ? "iron_butterfly" : "iron_condor";
  return outer === "buy" ? kind : `reverse_${kind}`;
}

function withStock(stock: StockLeg, options: readonly OptionLeg[]): StrategyName {
  if (stock.side !== "buy" || stock.ratio !== 100 || options.some((l) => l.ratio !== 1)) return "custom";
  const calls = options.filter((l) => l.contract.right === "call");
  const puts = options.filter((l) => l.contract.right === "put");
  if (options.length === 1 && calls.length === 1 && calls[0]!.side === "sell") return "covered_call";
  if (options.length === 1 && puts.length === 1 && puts[0]!.side === "buy") return "protective_put";
  if (options.length === 2 && calls.length === 1 && puts.length === 1) {
    const [call, put] = [calls[0]!, puts[0]!];
    const collar = call.side === "sell" && put.side === "buy" && call.contract.expiry === put.contract.expiry && put.contract.strike <= call.contract.strike;
    if (collar) return "collar";
  }
  return "custom";
}
