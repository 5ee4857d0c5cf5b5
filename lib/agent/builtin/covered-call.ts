import { z } from "zod";
import { moneyToNumber, parseOccSymbol, SHORT_VOL_RETURNS } from "@/lib/engine";
import { nyDayOf } from "@/lib/market";
import { MAX_OPTION_ROWS } from "../option-tool-contract";
import type { OptionChainOutput, OptionRowOutput, OrderOutput } from "../tool-contract";
import { dollars, lastClose, list, pct, usd } from "./format";
import { longQuantity, spendable } from "./sizing";
import type { MarketSnapshot, OptionPlan, OptionStrategy, OptionView, PlannedOrder } from "./types";

const ticker = z.string().regex(/^[A-Za-z][A-Za-z0-9.-]{0,11}$/, "a ticker such as AAPL");
const params = z
  .object({
    /** The underlyings to trade (those in the session's universe); empty: the first `maxSymbols` of the universe. */
    symbols: z.array(ticker).max(30).default([]),
    maxSymbols: z.number().int().min(1).max(30).default(3),
    /** The |delta| of the call to sell, and how far from it the chain is asked (targetDelta ± deltaTolerance). */
    targetDelta: z.number().min(0.05).max(0.95).default(0.3),
    deltaTolerance: z.number().gt(0).max(0.5).default(0.1),
    /** Calendar days to the expiry wanted; the chain is read up to twice as far out. */
    targetDays: z.number().int().min(7).max(180).default(30),
    /** Only monthly (third-Friday) expiries when the chain lists one in the window. */
    preferMonthly: z.boolean().default(true),
    /** Each symbol gets equity × cashFraction / symbols; the rest covers fees and gaps at the open. */
    cashFraction: z.number().gt(0).max(1).default(0.98),
  })
  .strict();
export type CoveredCallParams = z.output<typeof params>;

/** Shares per contract. */
const LOT = 100;
/** A modelled chain needs this many daily closes (its realised volatility): fewer, and the chain is not asked. */
export const CHAIN_CLOSES = SHORT_VOL_RETURNS + 1;
const DAY_MS = 86_400_000;
const SETTLED = new Set(["assigned", "exercised", "expired_worthless", "closed_at_intrinsic"]);

const dayNumber = (day: string) => Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
const addDays = (day: string, n: number) => new Date((dayNumber(day) + n) * DAY_MS).toISOString().slice(0, 10);
const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
const lots = (n: number) => `${n} lot${n === 1 ? "" : "s"}`;
const callsText = (n: number) => `${n} call${n === 1 ? "" : "s"}`;

/**
 * Covered calls: own the underlyings in lots of 100 shares, and against every 100 shares with no call written sell one
 * call at about `targetDelta` in the expiry nearest `targetDays` out (monthly preferred), found with get_option_chain's
 * delta filter and sold with place_option_order sell_to_open. The engine settles each call at its expiry's close: in the
 * money it is assigned (the shares are sold at the strike) and the next bar buys them back; out of the money it expires
 * worthless and the next bar sells the next call (roll at expiry). Shares are never sold by the rule. Pure and
 * deterministic: the same view gives the same plan.
 */
export const coveredCall: OptionStrategy<CoveredCallParams> = {
  kind: "options",
  name: "covered-call",
  title: "Covered call",
  summary: "Owns 100-share lots and sells a 30-delta monthly call against each; rolls at expiry",
  params,
  barsNeeded: () => CHAIN_CLOSES,
  symbols: (universe, p) => {
    const wanted = [...new Set(p.symbols.map((x) => x.toUpperCase()))];
    return wanted.length > 0 ? wanted.filter((x) => universe.includes(x)) : universe.slice(0, p.maxSymbols);
  },
  rule: (p) =>
    `own ${p.symbols.length > 0 ? list(p.symbols.map((x) => x.toUpperCase())) : `the first ${p.maxSymbols} symbols of the universe`} in lots of 100 shares with an equal share of ${Math.round(p.cashFraction * 100)}% of equity each; against every 100 shares with no call written, sell one call nearest ${p.targetDelta} delta (asked ${round4(Math.max(0, p.targetDelta - p.deltaTolerance))}–${round4(Math.min(1, p.targetDelta + p.deltaTolerance))}) in the ${p.preferMonthly ? "monthly " : ""}expiry nearest ${p.targetDays} days out; a call assigned: buy the shares back the next bar; a call expired: sell the next one`,
  plan: planCoveredCall,
};

interface WrittenCall {
  symbol: string;
  contracts: number;
  expiry: string;
  strike: number;
}

/** The short calls on `underlying` the portfolio holds (OCC symbols, negative contracts). */
export function writtenCalls(s: MarketSnapshot, underlying: string): WrittenCall[] {
  return Object.entries(s.holdings).flatMap(([symbol, quantity]) => {
    const c = parseOccSymbol(symbol);
    if (!c.ok || quantity >= 0 || c.value.underlying !== underlying || c.value.right !== "call") return [];
    return [{ symbol, contracts: -quantity, expiry: c.value.expiry, strike: moneyToNumber(c.value.strike) }];
  });
}

export function planCoveredCall(view: OptionView, p: CoveredCallParams): OptionPlan {
  const s = view.snapshot;
  const today = nyDayOf(new Date(s.clock));
  const notes: string[] = view.settlements.flatMap((o) => describeSettlement(o, view.settlements));
  const trades: PlannedOrder[] = [];
  const chains: OptionPlan["chains"] = [];
  const options: OptionPlan["options"] = [];

  const outside = p.symbols.map((x) => x.toUpperCase()).filter((x) => !s.symbols.includes(x));
  if (outside.length > 0) notes.push(`${list(outside)} ${outside.length === 1 ? "is" : "are"} not in this session's universe: not traded.`);
  if (s.symbols.length === 0) return { trades, chains, options, notes: [...notes, "No symbol to trade."] };

  const share = (s.equity * p.cashFraction) / s.symbols.length;
  let budget = spendable(s, p.cashFraction);
  for (const symbol of s.symbols) {
    const bars = s.bars[symbol] ?? [];
    const price = lastClose(bars);
    if (price === undefined) {
      notes.push(`${symbol}: no daily close to size on${s.barErrors[symbol] ? ` (${s.barErrors[symbol]})` : ""}: nothing done.`);
      continue;
    }
    const held = longQuantity(s, symbol);
    const written = writtenCalls(s, symbol);
    const writtenCount = written.reduce((n, c) => n + c.contracts, 0);
    const heldLots = Math.floor(held / LOT);
    const fit = share / (LOT * price);
    const settled = settlementsOn(view.settlements, symbol);
    const calledAway = settled.filter((o) => o.symbol === symbol && o.reason === "assigned" && o.side === "sell").reduce((n, o) => n + (o.quantity ?? 0), 0);
    const want = Math.max(Math.floor(fit), writtenCount, heldLots + Math.floor(calledAway / LOT));
    const sizing = `its equal share ${usd(share)} at the last close ${usd(price)} is ${fit.toFixed(2)} lots of 100`;

    // Shares: up to the target in whole lots, the lots called away at this bar's expiry back, enough to cover any call written; never sold.
    let buyLots = 0;
    if (heldLots < want) {
      buyLots = Math.min(want - heldLots, Math.floor(budget / (LOT * price)));
      if (buyLots > 0) {
        budget -= buyLots * LOT * price;
        const why = calledAway > 0
          ? `buy back the ${calledAway} shares called away at the expiry (${sizing}, ${heldLots} held)`
          : writtenCount > heldLots
            ? `cover the ${callsText(writtenCount)} written against ${lots(heldLots)}`
            : `${sizing}, ${heldLots} held`;
        trades.push({ side: "buy", symbol, quantity: buyLots * LOT, reason: why });
      }
      if (buyLots < want - heldLots) notes.push(`${symbol}: ${lots(want - heldLots)} wanted (${sizing}), free cash ${usd(Math.max(0, budget))} buys ${lots(buyLots)}.`);
    } else if (want === 0 && heldLots === 0) {
      notes.push(`${symbol}: 100 shares at the last close ${usd(price)} cost ${usd(LOT * price)}, more than its equal share ${usd(share)}: not traded.`);
    }

    // Calls: one per 100 shares with none written against them, at the target delta and expiry.
    const heldNow = view.bought === null ? heldLots + buyLots : Math.floor((held + (view.bought[symbol] ?? 0)) / LOT);
    const open = heldNow - writtenCount;
    if (open <= 0) {
      if (written.length > 0) notes.push(`${symbol}: ${heldLots * LOT} shares covered by ${list(written.map((c) => `${c.contracts} ${c.symbol} (the ${usd(c.strike)} call of ${c.expiry}, ${dayNumber(c.expiry) - dayNumber(today)} days out)`))}.`);
      continue;
    }
    if (bars.length < CHAIN_CLOSES) {
      notes.push(`${symbol}: ${bars.length} daily close${bars.length === 1 ? "" : "s"} so far; the modelled chain needs ${CHAIN_CLOSES}: no call yet.`);
      continue;
    }
    if (view.chains === null) {
      chains.push({
        underlying: symbol,
        right: "call",
        expiryFrom: addDays(today, 1),
        expiryTo: addDays(today, 2 * p.targetDays),
        minDelta: round4(Math.max(0, p.targetDelta - p.deltaTolerance)),
        maxDelta: round4(Math.min(1, p.targetDelta + p.deltaTolerance)),
        limit: MAX_OPTION_ROWS,
      });
      continue;
    }
    const answer = view.chains[symbol];
    if (answer === undefined) {
      notes.push(`${symbol}: ${lots(open)} with no call written, but its chain was not read: no call this bar.`);
      continue;
    }
    if (!answer.ok) {
      notes.push(`${symbol}: get_option_chain failed (${answer.error}): no call this bar.`);
      continue;
    }
    const pick = pickCall(answer.value, today, p);
    if ("why" in pick) {
      notes.push(`${symbol}: ${pick.why}: no call this bar.`);
      continue;
    }
    const { row, days, kind } = pick;
    const spot = answer.value.underlyingPrice;
    const covered = writtenCount > 0 ? `${heldNow * LOT} shares, ${callsText(writtenCount)} written against them` : `${heldNow * LOT} shares with no call written against them`;
    const expired = settled.filter((o) => o.reason === "expired_worthless").reduce((n, o) => n + (o.quantity ?? 0), 0);
    const rolled = expired > 0 ? ` (${callsText(expired)} expired worthless at the expiry: rolled to the next)` : "";
    options.push({
      input: { symbol: row.symbol, side: "sell", positionIntent: "sell_to_open", quantity: open },
      reason:
        `${covered}${rolled}: the ${usd(row.strike)} call of ${row.expiry} (${kind}, ${days} days out, nearest ${p.targetDays}) has delta ${row.delta.toFixed(2)} (nearest ${p.targetDelta}), ` +
        `bid ${usd(row.bid)} (${usd(row.bid * LOT * open)} for ${callsText(open)}); the shares are called away if ${symbol} closes above ${usd(row.strike)} on ${row.expiry}, ${pct(row.strike / spot - 1)} from ${usd(spot)}`,
    });
    if (answer.value.truncated) notes.push(`${symbol}: the chain listed ${answer.value.contracts.length} of ${answer.value.matched} calls in the delta range; chose among those.`);
  }
  return { trades, chains, options, notes };
}

/**
 * The call to sell from a chain asked with a delta range: the expiry nearest `targetDays` (monthly ones when
 * `preferMonthly` and the chain lists one; the earlier on a tie) that has a call with a bid, then its call nearest
 * `targetDelta` (the higher strike on a tie).
 */
export function pickCall(chain: OptionChainOutput, today: string, p: CoveredCallParams): { row: OptionRowOutput; days: number; kind: string } | { why: string } {
  const expiries = chain.expiries.map((e) => ({ ...e, days: dayNumber(e.expiry) - dayNumber(today) })).filter((e) => e.days >= 1);
  const monthly = expiries.filter((e) => e.kind === "monthly");
  const pool = p.preferMonthly && monthly.length > 0 ? monthly : expiries;
  pool.sort((a, b) => Math.abs(a.days - p.targetDays) - Math.abs(b.days - p.targetDays) || a.days - b.days);
  for (const e of pool) {
    const calls = chain.contracts.filter((c) => c.expiry === e.expiry && c.right === "call" && c.bid > 0);
    if (calls.length === 0) continue;
    calls.sort((a, b) => Math.abs(Math.abs(a.delta) - p.targetDelta) - Math.abs(Math.abs(b.delta) - p.targetDelta) || b.strike - a.strike);
    return { row: calls[0]!, days: e.days, kind: e.kind };
  }
  const range = `${round4(Math.max(0, p.targetDelta - p.deltaTolerance))}–${round4(Math.min(1, p.targetDelta + p.deltaTolerance))}`;
  return pool.length === 0
    ? { why: `the chain lists no expiry from tomorrow to ${2 * p.targetDays} days out` }
    : { why: `no call with a bid and a delta of ${range} in the expiries listed (${list(pool.map((e) => e.expiry))})` };
}

/** The settlement orders of `underlying`'s contracts and shares this bar. */
function settlementsOn(settlements: readonly OrderOutput[], underlying: string): OrderOutput[] {
  return settlements.filter((o) => {
    const c = parseOccSymbol(o.symbol);
    return o.symbol === underlying || (c.ok && c.value.underlying === underlying);
  });
}

/** "AAPL250718C00215000 (the $215.00 call of 2025-07-18) was assigned at the expiry's close: 100 AAPL sold at $215.00 ($21,500.00)." */
function describeSettlement(o: OrderOutput, all: readonly OrderOutput[]): string[] {
  const c = parseOccSymbol(o.symbol);
  if (!c.ok || !SETTLED.has(o.reason ?? "")) return [];
  const { underlying, expiry, right } = c.value;
  const what = `${o.symbol} (the ${usd(moneyToNumber(c.value.strike))} ${right} of ${expiry})`;
  const quantity = `${o.quantity ?? "?"} contract${o.quantity === 1 ? "" : "s"}`;
  const price = dollars(o.fills[0]?.price);
  if (o.reason === "expired_worthless") return [`${quantity} ${what} expired worthless at the expiry's close: the premium is kept, the shares stay.`];
  if (o.reason === "closed_at_intrinsic") return [`${quantity} ${what} closed at its intrinsic value ${usd(price)} at the expiry (the shares could not be delivered).`];
  const delivery = all.filter((d) => d.symbol === underlying && d.reason === o.reason);
  const moved = delivery.map((d) => {
    const at = dollars(d.fills[0]?.price);
    const verb = d.side === "buy" || d.side === "buy_to_cover" ? "bought" : "sold";
    return `${d.quantity} ${underlying} ${verb} at ${usd(at)} (${usd(at * (d.quantity ?? 0))})`;
  });
  const was = o.quantity === 1 ? "was" : "were";
  return [`${quantity} ${what} ${was} ${o.reason === "assigned" ? "assigned" : "exercised"} at the expiry's close: ${moved.length > 0 ? list(moved) : "no delivery shown"}.`];
}

/** The expiry settlements of the bar at `clock` among get_orders' orders (the engine places them at the bar's start). */
export function settlementsAt(orders: readonly OrderOutput[], clock: string): OrderOutput[] {
  const at = Date.parse(clock);
  return orders.filter((o) => SETTLED.has(o.reason ?? "") && Date.parse(o.placedAt) === at && o.status === "filled");
}
