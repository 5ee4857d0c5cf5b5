import type { OptionInstrument } from "../../instrument";
import type { Money } from "../../money";
import type { OptionLeg, ParsedLeg } from "./legs";
import { recognizeStrategy } from "./recognize-strategy";
import { legsValueAtExpiry, payoffPoints } from "./strategy-payoff";

/**
 * Strategy-based margin (docs/engine.md, "Multi-leg strategies"): written contracts paired with long contracts and with
 * each other, the way the Cboe Margin Manual ("Put Spread or Call Spread", "Long/Short Butterfly Spread", "Short Put
 * and Short Call") and the IBKR rules LEAN's OptionStrategyPositionGroupBuyingPowerModel follows margin them. The
 * cash already holds the written contracts' proceeds (as for naked ones), and a long contract was paid in full.
 *
 * Greedy, in three passes over the contracts left uncovered by shares, deterministic (by requirement, then symbol):
 *   1. spreads: each written contract, the largest single-leg requirement first, takes the long contracts of its
 *      underlying and right expiring on or after it that leave it the least to hold: per contract the lesser of its
 *      single-leg requirement and what the pair can lose at the short's expiry, the strike difference in the long's
 *      disfavour × multiplier (a long strike at least as good: 0, the debit already paid is the most it can lose);
 *   2. pairs of spreads of one expiry (an iron condor or butterfly: a put credit spread and a call credit spread;
 *      a long butterfly: a debit and a credit spread of one right): the lesser of the two spreads' requirements summed
 *      and the most the four legs together can lose at expiry (for an iron condor the wider wing, since both wings
 *      cannot lose at once; for an even long butterfly nothing);
 *   3. short straddles and strangles: an uncovered written call and put of one underlying and expiry hold the larger
 *      single-leg requirement plus the other leg's premium (its mark × multiplier).
 * Every group's requirement is at most the sum of its written contracts' single-leg requirements and long contracts
 * need none, so the paired total never exceeds the all-naked one (property-tested). The greedy choice is not always
 * the least total; it is recomputed from the positions every time, so closing a leg regroups what remains.
 */
export const STRATEGY_MARGIN_KINDS = [
  "credit_spread",
  "debit_spread",
  "iron_condor",
  "iron_butterfly",
  "butterfly",
  "combined_spreads",
  "short_straddle",
  "short_strangle",
] as const;
export type StrategyMarginKind = (typeof STRATEGY_MARGIN_KINDS)[number];

/** A written contract not covered by shares, with what it would hold alone. */
export interface WrittenContracts {
  readonly symbol: string;
  readonly contract: Pick<OptionInstrument, "underlying" | "expiry" | "right" | "strike" | "multiplier">;
  readonly contracts: number;
  /** Its single-leg requirement per contract (the naked rule, or cash-secured for a put in an account that may not short). */
  readonly perContract: Money;
  /** Its mark per share (the premium a straddle's other leg adds). */
  readonly premium: Money;
  /** Whether the single-leg rule is the uncovered one (naked): only those form straddles. */
  readonly naked: boolean;
}

export interface LongContracts {
  readonly symbol: string;
  readonly contract: Pick<OptionInstrument, "underlying" | "expiry" | "right" | "strike" | "multiplier">;
  readonly contracts: number;
}

export interface StrategyGroup {
  readonly kind: StrategyMarginKind;
  /** The written contract the group is named by (the one to buy back to release it). */
  readonly symbol: string;
  /** Every symbol in the group. */
  readonly legs: readonly string[];
  /** Units: contracts of each written leg (a butterfly's body: 2 a unit). */
  readonly quantity: number;
  readonly requirement: Money;
}

export interface PairedMargin {
  readonly groups: readonly StrategyGroup[];
  /** Written contracts left single, with what is left of each. */
  readonly single: readonly WrittenContracts[];
}

interface Spread {
  readonly short: WrittenContracts;
  readonly long: LongContracts;
  contracts: number;
  /** Per unit. */
  readonly perUnit: Money;
}

const desc = (a: Money, b: Money) => (b > a ? 1 : b < a ? -1 : 0);
const minM = (a: Money, b: Money) => (a < b ? a : b);
const bySymbol = (a: { symbol: string }, b: { symbol: string }) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0);

/** What `short` needs per contract when paired with `long`: the lesser of its own requirement and the pair's loss at the short's expiry. */
export function spreadRequirement(short: Pick<WrittenContracts, "contract" | "perContract">, long: Pick<LongContracts, "contract">): Money {
  const s = short.contract;
  const disfavour = s.right === "call" ? long.contract.strike - s.strike : s.strike - long.contract.strike;
  const loss = disfavour > 0n ? disfavour * BigInt(s.multiplier) : 0n;
  return minM(short.perContract, loss);
}

const pairable = (s: WrittenContracts, l: LongContracts) =>
  s.contract.underlying === l.contract.underlying && s.contract.right === l.contract.right && l.contract.expiry >= s.contract.expiry && s.contract.multiplier === l.contract.multiplier;

export function pairWrittenContracts(written: readonly WrittenContracts[], longs: readonly LongContracts[]): PairedMargin {
  const longLeft = new Map(longs.map((l) => [l.symbol, l.contracts]));
  const orderedLongs = [...longs].sort(bySymbol);
  const single: WrittenContracts[] = [];
  const spreads: Spread[] = [];
  for (const short of [...written].sort((a, b) => desc(a.perContract, b.perContract) || bySymbol(a, b))) {
    let left = short.contracts;
    while (left > 0) {
      let best: { long: LongContracts; perUnit: Money } | null = null;
      for (const long of orderedLongs) {
        if ((longLeft.get(long.symbol) ?? 0) <= 0 || !pairable(short, long)) continue;
        const perUnit = spreadRequirement(short, long);
        if (best === null || perUnit < best.perUnit || (perUnit === best.perUnit && closer(short, long, best.long))) best = { long, perUnit };
      }
      if (best === null) break;
      const n = Math.min(left, longLeft.get(best.long.symbol)!);
      longLeft.set(best.long.symbol, longLeft.get(best.long.symbol)! - n);
      spreads.push({ short, long: best.long, contracts: n, perUnit: best.perUnit });
      left -= n;
    }
    if (left > 0) single.push({ ...short, contracts: left });
  }
  const groups = [...combineSpreads(spreads), ...spreads.filter((s) => s.contracts > 0).map(spreadGroup)];
  const straddles = pairStraddles(single);
  return { groups: [...groups, ...straddles.groups], single: straddles.single };
}

/** Of two longs as good for `short`, the one of its own expiry (a vertical, which can join a condor), then the nearer strike. */
function closer(short: WrittenContracts, a: LongContracts, b: LongContracts): boolean {
  const sameA = a.contract.expiry === short.contract.expiry;
  const sameB = b.contract.expiry === short.contract.expiry;
  if (sameA !== sameB) return sameA;
  const dist = (l: LongContracts) => (l.contract.strike > short.contract.strike ? l.contract.strike - short.contract.strike : short.contract.strike - l.contract.strike);
  return dist(a) < dist(b);
}

function spreadGroup(s: Spread): StrategyGroup {
  return {
    kind: s.perUnit > 0n ? "credit_spread" : "debit_spread",
    symbol: s.short.symbol,
    legs: [s.short.symbol, s.long.symbol],
    quantity: s.contracts,
    requirement: s.perUnit * BigInt(s.contracts),
  };
}

const legOf = (symbol: string, contract: WrittenContracts["contract"], side: "buy" | "sell", ratio: number): OptionLeg => ({
  kind: "option",
  symbol,
  side,
  ratio,
  contract: { kind: "option", symbol, ...contract },
});

/** The legs of one unit of two spreads, a symbol in both counted once with its net ratio. */
function unitLegs(a: Spread, b: Spread): ParsedLeg[] {
  const net = new Map<string, { contract: WrittenContracts["contract"]; ratio: number }>();
  const add = (symbol: string, contract: WrittenContracts["contract"], q: number) => net.set(symbol, { contract, ratio: (net.get(symbol)?.ratio ?? 0) + q });
  for (const s of [a, b]) {
    add(s.short.symbol, s.short.contract, -1);
    add(s.long.symbol, s.long.contract, 1);
  }
  // Puts before calls, each by strike: an iron condor reads long put, short put, short call, long call.
  const order = ([, a]: [string, { contract: WrittenContracts["contract"] }], [, b]: [string, { contract: WrittenContracts["contract"] }]) =>
    a.contract.right !== b.contract.right ? (a.contract.right === "put" ? -1 : 1) : a.contract.strike < b.contract.strike ? -1 : a.contract.strike > b.contract.strike ? 1 : 0;
  return [...net]
    .filter(([, v]) => v.ratio !== 0)
    .sort(order)
    .map(([symbol, v]) => legOf(symbol, v.contract, v.ratio > 0 ? "buy" : "sell", Math.abs(v.ratio)));
}

/** The most one unit of `legs` (one expiry) can lose at expiry, ≥ 0; null when unbounded. */
function maxLossAtExpiry(legs: readonly ParsedLeg[]): Money | null {
  const points = payoffPoints(legs);
  let worst = 0n;
  for (const p of points) {
    const v = legsValueAtExpiry(legs, p);
    if (v < worst) worst = v;
  }
  // Spreads are flat beyond their highest strike; a pair of them is too. Checked rather than assumed.
  const top = points[points.length - 1]!;
  if (legsValueAtExpiry(legs, top + 1_000_000n) < legsValueAtExpiry(legs, top)) return null;
  return -worst;
}

const oneExpiry = (s: Spread) => s.short.contract.expiry === s.long.contract.expiry;

/** Pass 2: pairs of same-expiry spreads on one underlying whose legs together can lose less than both apart. */
function combineSpreads(spreads: Spread[]): StrategyGroup[] {
  const groups: StrategyGroup[] = [];
  const order = [...spreads].sort((a, b) => desc(a.perUnit, b.perUnit) || bySymbol(a.short, b.short) || bySymbol(a.long, b.long));
  for (const a of order) {
    while (a.contracts > 0 && a.perUnit > 0n && oneExpiry(a)) {
      let best: { b: Spread; perUnit: Money; legs: ParsedLeg[] } | null = null;
      for (const b of order) {
        if (b === a || b.contracts <= 0 || !oneExpiry(b) || b.short.contract.expiry !== a.short.contract.expiry || b.short.contract.underlying !== a.short.contract.underlying) continue;
        const legs = unitLegs(a, b);
        const loss = maxLossAtExpiry(legs);
        if (loss === null) continue;
        const perUnit = minM(a.perUnit + b.perUnit, loss);
        if (perUnit >= a.perUnit + b.perUnit) continue;
        if (best === null || perUnit - (a.perUnit + b.perUnit) < best.perUnit - (best.b.perUnit + a.perUnit)) best = { b, perUnit, legs };
      }
      if (best === null) break;
      const n = Math.min(a.contracts, best.b.contracts);
      a.contracts -= n;
      best.b.contracts -= n;
      const name = recognizeStrategy(best.legs).name;
      const kind: StrategyMarginKind = name === "iron_condor" || name === "iron_butterfly" ? name : name.endsWith("_butterfly") ? "butterfly" : "combined_spreads";
      groups.push({ kind, symbol: a.short.symbol, legs: best.legs.map((l) => l.symbol), quantity: n, requirement: best.perUnit * BigInt(n) });
    }
  }
  return groups;
}

/** Pass 3: uncovered written calls and puts of one underlying and expiry, the largest requirements together. */
function pairStraddles(single: WrittenContracts[]): { groups: StrategyGroup[]; single: WrittenContracts[] } {
  const left = new Map(single.map((w) => [w, w.contracts]));
  const groups: StrategyGroup[] = [];
  const calls = single.filter((w) => w.naked && w.contract.right === "call");
  const puts = single.filter((w) => w.naked && w.contract.right === "put");
  for (const call of calls) {
    for (const put of puts) {
      if (put.contract.underlying !== call.contract.underlying || put.contract.expiry !== call.contract.expiry) continue;
      const n = Math.min(left.get(call)!, left.get(put)!);
      if (n <= 0) continue;
      left.set(call, left.get(call)! - n);
      left.set(put, left.get(put)! - n);
      const callFirst = call.perContract >= put.perContract;
      const [larger, other] = callFirst ? [call, put] : [put, call];
      const perUnit = larger.perContract + other.premium * BigInt(other.contract.multiplier);
      const kind = call.contract.strike === put.contract.strike ? "short_straddle" : "short_strangle";
      groups.push({ kind, symbol: larger.symbol, legs: [put.symbol, call.symbol], quantity: n, requirement: perUnit * BigInt(n) });
    }
  }
  return { groups, single: single.flatMap((w) => (left.get(w)! > 0 ? [{ ...w, contracts: left.get(w)! }] : [])) };
}
