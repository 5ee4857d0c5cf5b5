import { z } from "zod";
import { lastClose, list, pct, sharesFor, usd } from "./format";
import { heldLongs, spendable } from "./sizing";
import type { PlannedOrder, Strategy } from "./types";

const params = z
  .object({
    /** Return over this many bars ranks the symbols. */
    lookback: z.number().int().min(1).max(250).default(20),
    /** How many winners to hold, equal weight. */
    top: z.number().int().min(1).max(30).default(3),
    /** Only symbols whose return is above this (a fraction: 0 = any gain) are held. */
    minReturn: z.number().min(-1).default(0),
    /** Top a holding up only when it is more than this fraction below its target. */
    rebalanceBand: z.number().min(0).max(1).default(0.05),
    cashFraction: z.number().gt(0).max(1).default(0.98),
  })
  .strict();
type Params = z.output<typeof params>;

/** Holds the top k symbols by N-bar return (equal weight) and sells holdings that drop out. */
export const momentum: Strategy<Params> = {
  name: "momentum",
  title: "Momentum",
  summary: "Buys recent winners, sells losers",
  params,
  barsNeeded: (p) => p.lookback + 1,
  rule: (p) =>
    `hold the top ${p.top} symbols by ${p.lookback}-bar return (only those above ${pct(p.minReturn)}), equal weight; sell holdings that drop out`,
  decide(s, p) {
    const ranked = s.symbols
      .flatMap((symbol) => {
        const bars = s.bars[symbol] ?? [];
        if (bars.length < p.lookback + 1) return [];
        const last = bars[bars.length - 1]!.c;
        const first = bars[bars.length - 1 - p.lookback]!.c;
        return first > 0 ? [{ symbol, ret: last / first - 1, price: last }] : [];
      })
      .sort((a, b) => b.ret - a.ret || a.symbol.localeCompare(b.symbol));
    if (ranked.length === 0) {
      const have = Math.max(0, ...s.symbols.map((sym) => s.bars[sym]?.length ?? 0));
      return { orders: [], notes: [`Warming up: momentum needs ${p.lookback + 1} closed bars per symbol, has at most ${have}. Holding.`] };
    }
    const winners = ranked.filter((r) => r.ret > p.minReturn).slice(0, p.top);
    const winnerSet = new Set(winners.map((w) => w.symbol));
    const notes = [
      winners.length > 0
        ? `Top ${winners.length} by ${p.lookback}-bar return: ${winners.map((w) => `${w.symbol} ${pct(w.ret)}`).join(", ")}.`
        : `No symbol returned more than ${pct(p.minReturn)} over ${p.lookback} bars: nothing to hold.`,
    ];

    const orders: PlannedOrder[] = [];
    for (const symbol of heldLongs(s)) {
      const r = ranked.find((x) => x.symbol === symbol);
      if (!r || winnerSet.has(symbol)) continue;
      orders.push({
        side: "sell",
        symbol,
        quantity: s.holdings[symbol]!,
        reason: `${symbol} returned ${pct(r.ret)} over ${p.lookback} bars, out of the top ${p.top}`,
      });
    }

    let budget = spendable(s, p.cashFraction);
    const target = (s.equity * p.cashFraction) / p.top;
    const underfunded: string[] = [];
    winners.forEach((w, i) => {
      const value = Math.max(0, s.holdings[w.symbol] ?? 0) * w.price;
      const deficit = target - value;
      if (deficit <= p.rebalanceBand * target) return;
      const quantity = sharesFor(Math.min(deficit, budget), w.price);
      if (quantity === 0) {
        underfunded.push(w.symbol);
        return;
      }
      budget -= quantity * w.price;
      orders.push({
        side: "buy",
        symbol: w.symbol,
        quantity,
        reason: `rank ${i + 1} at ${pct(w.ret)}; target ${usd(target)}, held ${usd(value)}, last close ${usd(lastClose(s.bars[w.symbol])!)}`,
      });
    });
    if (underfunded.length > 0) notes.push(`Not enough spare cash to add to ${list(underfunded)} this bar.`);
    return { orders, notes };
  },
};
