import { z } from "zod";
import { UNBOUNDED_RESERVE_BPS } from "@/lib/engine";
import type { OrderOutput } from "../tool-contract";
import { breakoutLevels, cents, centsDown, centsUp, type BreakoutLevels } from "./breakout-levels";
import { dollars, list, usd } from "./format";
import { spendable } from "./sizing";
import type { OrderPlan, OrderStrategy, OrderView } from "./types";

const params = z
  .object({
    /** The range is the highest high of this many closed bars. */
    lookback: z.number().int().min(2).max(250).default(20),
    atrPeriod: z.number().int().min(2).max(100).default(14),
    /** A flat symbol gets an entry only when its last close is at most this many ATRs below the range high. */
    maxDistanceAtr: z.number().min(0).max(20).default(1),
    /** The buy stop sits this many ATRs above the range high. */
    entryBufferAtr: z.number().min(0).max(5).default(0.1),
    takeProfitAtr: z.number().gt(0).max(50).default(3),
    stopLossAtr: z.number().gt(0).max(50).default(1.5),
    /** Once the last close is this many ATRs above the average cost, the bracket's exits give way to a trailing stop. */
    trailAfterAtr: z.number().gt(0).max(50).default(1),
    /** The trailing stop's distance, in ATRs (trailPrice). */
    trailAtr: z.number().gt(0).max(50).default(2),
    /** At most this many positions and entries together; each gets an equal share of equity. */
    maxPositions: z.number().int().min(1).max(30).default(5),
    cashFraction: z.number().gt(0).max(1).default(0.98),
  })
  .strict();
export type BreakoutParams = z.output<typeof params>;

const WORKING = new Set(["accepted", "triggered", "partially_filled"]);
/** Cash a buy stop holds back per dollar of its stop (the engine's reserve for an unbounded price, plus a margin for slippage). */
const RESERVE_FACTOR = 1 + UNBOUNDED_RESERVE_BPS / 10_000 + 0.002;
const atrs = (x: number) => `${x.toFixed(2)} ATR`;

/** What the rule wants for one symbol this bar, before and after the quotes (the same from the same view). */
type Intent =
  | { kind: "enter"; symbol: string; entry: number; takeProfit: number; stopLoss: number; levels: BreakoutLevels; distance: number; replaces: OrderOutput | null }
  | { kind: "trail"; symbol: string; quantity: number; trailPrice: number; legs: OrderOutput[]; why: string };

/**
 * Breakout with working orders: a buy stop just above the recent range high, as a bracket (take-profit limit and
 * stop-loss stop, good till cancelled), for the flat symbols closest to breaking out; once a position has gained
 * `trailAfterAtr` ATRs its bracket exits are cancelled and a trailing stop follows the price instead. An entry whose
 * range moved is cancelled and placed again at the new level. Long only. Pure and deterministic.
 */
export const breakout: OrderStrategy<BreakoutParams> = {
  kind: "orders",
  name: "breakout",
  title: "Breakout",
  summary: "Buy stops above the recent range with a bracket; trails winners",
  params,
  barsNeeded: (p) => Math.max(p.lookback, 2 * p.atrPeriod + 1),
  rule: (p) =>
    `buy stop ${p.entryBufferAtr} ATR(${p.atrPeriod}) above the ${p.lookback}-bar high for flat symbols within ${p.maxDistanceAtr} ATR of it, as a bracket with a take-profit ${p.takeProfitAtr} ATR above and a stop-loss ${p.stopLossAtr} ATR below the entry; after a gain of ${p.trailAfterAtr} ATR, a trailing stop ${p.trailAtr} ATR behind instead; at most ${p.maxPositions} positions and entries`,
  plan: planBreakout,
};

export function planBreakout(view: OrderView, p: BreakoutParams): OrderPlan {
  const { intents, cancels, notes } = intentsOf(view, p);
  if (view.quotes === null) {
    const quotes = intents.flatMap((i) => (i.kind === "enter" ? [i.symbol] : []));
    return { cancels, quotes, places: [], notes };
  }
  const cancelled = view.cancelled ?? new Set<string>();
  const s = view.snapshot;
  const freed = cancels.reduce((sum, c) => {
    const o = view.orders.find((x) => x.orderId === c.orderId);
    return sum + (o && o.leg === "entry" && cancelled.has(o.orderId) ? (o.quantity ?? 0) * dollars(o.stopPrice) * RESERVE_FACTOR : 0);
  }, 0);
  let budget = Math.max(0, spendable(s, p.cashFraction) - dollars(s.portfolio.cashHeldByOrders ?? "0")) + freed;
  const target = (s.equity * p.cashFraction) / p.maxPositions;
  const places: OrderPlan["places"] = [];
  const skipped: string[] = [];
  for (const i of intents) {
    const pending = i.kind === "enter" ? (i.replaces ? [i.replaces] : []) : i.legs;
    if (pending.some((o) => !cancelled.has(o.orderId))) {
      notes.push(`${i.symbol}: ${pending.map((o) => o.orderId).join(" and ")} did not cancel, so nothing new was placed for it.`);
      continue;
    }
    if (i.kind === "trail") {
      places.push({
        input: { symbol: i.symbol, side: "sell", quantity: i.quantity, type: "trailing_stop", trailPrice: i.trailPrice, timeInForce: "gtc" },
        reason: i.why,
      });
      continue;
    }
    const open = view.quotes[i.symbol];
    if (open === undefined) {
      notes.push(`${i.symbol}: no price now, so no entry.`);
      continue;
    }
    if (open >= i.entry) {
      notes.push(`${i.symbol} opened at ${usd(open)}, at or above the entry ${usd(i.entry)}: no chasing a gap.`);
      continue;
    }
    const quantity = Math.min(Math.floor(target / i.entry), Math.floor(budget / (i.entry * RESERVE_FACTOR)));
    if (quantity < 1) {
      skipped.push(i.symbol);
      continue;
    }
    budget -= quantity * i.entry * RESERVE_FACTOR;
    places.push({
      input: {
        symbol: i.symbol, side: "buy", quantity, type: "stop", stopPrice: i.entry, timeInForce: "gtc", orderClass: "bracket",
        takeProfit: { limitPrice: i.takeProfit }, stopLoss: { stopPrice: i.stopLoss },
      },
      reason: `${i.symbol} closed at ${usd(i.levels.lastClose)}, ${atrs(i.distance)} below the ${p.lookback}-bar high ${usd(i.levels.rangeHigh)} (ATR ${usd(i.levels.atr)})`,
    });
  }
  if (skipped.length > 0) notes.push(`Not enough free cash for an entry in ${list(skipped)}.`);
  return { cancels: [], quotes: [], places, notes };
}

/** The rule applied to the view: what to cancel, and what each symbol should get. */
function intentsOf(view: OrderView, p: BreakoutParams): { intents: Intent[]; cancels: OrderPlan["cancels"]; notes: string[] } {
  const s = view.snapshot;
  const working = view.orders.filter((o) => WORKING.has(o.status));
  const levels = new Map(s.symbols.flatMap((sym) => {
    const l = breakoutLevels(s.bars[sym] ?? [], p.lookback, p.atrPeriod);
    return l ? [[sym, l] as const] : [];
  }));
  if (levels.size === 0) {
    return { intents: [], cancels: [], notes: [`Warming up: breakout needs ${Math.max(p.lookback, p.atrPeriod + 1)} closed bars per symbol. Holding.`] };
  }
  const intents: Intent[] = [];
  const cancels: OrderPlan["cancels"] = [];
  const notes: string[] = [];
  const trailing: string[] = [];

  // Positions: keep the bracket until the gain is worth trailing; protect a position that has no exit at all.
  for (const [symbol, quantity] of Object.entries(s.holdings)) {
    const l = levels.get(symbol);
    if (quantity <= 0 || !l) continue;
    const exits = working.filter((o) => o.symbol === symbol && o.side === "sell");
    if (exits.some((o) => o.type === "trailing_stop")) {
      trailing.push(symbol);
      continue;
    }
    const trailPrice = cents(p.trailAtr * l.atr);
    const cost = dollars(s.portfolio.positions.find((x) => x.symbol.toUpperCase() === symbol)?.averageCost);
    const gain = (l.lastClose - cost) / l.atr;
    const legs = exits.filter((o) => o.leg === "take_profit" || o.leg === "stop_loss");
    if (exits.length === 0) {
      intents.push({ kind: "trail", symbol, quantity, trailPrice, legs: [], why: `${quantity} ${symbol} had no working exit: a trailing stop ${usd(trailPrice)} behind the best price` });
    } else if (legs.length === exits.length && gain >= p.trailAfterAtr && trailPrice < l.lastClose) {
      const why = `${symbol} closed at ${usd(l.lastClose)}, ${atrs(gain)} above its average cost ${usd(cost)}: the bracket gives way to a trailing stop ${usd(trailPrice)} (${p.trailAtr} ATR) behind the best price`;
      for (const o of legs) cancels.push({ orderId: o.orderId, symbol, reason: why });
      intents.push({ kind: "trail", symbol, quantity, trailPrice, legs, why });
    }
  }
  if (trailing.length > 0) notes.push(`Trailing stops protect ${list(trailing)}.`);

  // Flat symbols: the closest to their range high get a bracketed buy stop, within the free slots.
  const held = Object.values(s.holdings).filter((q) => q > 0).length;
  const candidates = [...levels].flatMap(([symbol, l]) => {
    if ((s.holdings[symbol] ?? 0) !== 0) return [];
    const distance = (l.rangeHigh - l.lastClose) / l.atr;
    const entry = centsUp(l.rangeHigh + p.entryBufferAtr * l.atr);
    const stopLoss = centsDown(entry - p.stopLossAtr * l.atr);
    if (distance > p.maxDistanceAtr || stopLoss < 0.01) return [];
    return [{ symbol, l, distance, entry, stopLoss, takeProfit: cents(entry + p.takeProfitAtr * l.atr) }];
  });
  candidates.sort((a, b) => a.distance - b.distance || a.symbol.localeCompare(b.symbol));
  const entries = working.filter((o) => o.leg === "entry" && o.side === "buy" && o.symbol !== null);
  let slots = p.maxPositions - held;
  const chosen = new Set<string>();
  for (const c of candidates) {
    if (slots <= 0) break;
    slots--;
    chosen.add(c.symbol);
    const existing = entries.find((o) => o.symbol === c.symbol) ?? null;
    const same = existing !== null && Math.abs(dollars(existing.stopPrice) - c.entry) < 0.005;
    if (same || existing?.status === "partially_filled" || existing?.status === "triggered") continue;
    if (existing) cancels.push({ orderId: existing.orderId, symbol: c.symbol, reason: `the ${p.lookback}-bar range moved: the entry goes from ${usd(dollars(existing.stopPrice))} to ${usd(c.entry)}` });
    intents.push({ kind: "enter", symbol: c.symbol, entry: c.entry, takeProfit: c.takeProfit, stopLoss: c.stopLoss, levels: c.l, distance: c.distance, replaces: existing });
  }
  // Entries of symbols no longer among the chosen: the setup is gone.
  for (const o of entries) {
    if (chosen.has(o.symbol!) || o.status !== "accepted" || (s.holdings[o.symbol!] ?? 0) !== 0) continue;
    cancels.push({ orderId: o.orderId, symbol: o.symbol!, reason: `${o.symbol} is no longer within ${p.maxDistanceAtr} ATR of its ${p.lookback}-bar high among the ${p.maxPositions} closest` });
  }
  if (candidates.length === 0) notes.push(`No flat symbol closed within ${p.maxDistanceAtr} ATR of its ${p.lookback}-bar high.`);
  else notes.push(`Closest to their ${p.lookback}-bar high: ${candidates.slice(0, 5).map((c) => `${c.symbol} ${atrs(c.distance)} below`).join(", ")}.`);
  return { intents, cancels, notes };
}
