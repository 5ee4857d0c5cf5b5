import { z } from "zod";
import { lastClose, nyClock, pct, sharesFor, usd } from "./format";
import { seededUniform } from "./rng";
import { longQuantity, spendable } from "./sizing";
import type { PlannedOrder, Strategy } from "./types";

const params = z
  .object({
    /** Overrides the model's seed. */
    seed: z.number().int().optional(),
    /** Chance that a symbol trades on a bar. */
    tradeProbability: z.number().min(0).max(1).default(0.2),
    /** A buy spends at most this fraction of equity. */
    maxPositionFraction: z.number().gt(0).max(1).default(0.1),
    cashFraction: z.number().gt(0).max(1).default(0.98),
  })
  .strict();
type Params = z.output<typeof params>;

/**
 * Seeded random trades, the baseline every strategy should beat. The generator is seeded from
 * (seed, clock), so a bar gives the same actions every time it is replayed. Long only.
 */
export const random: Strategy<Params> = {
  name: "random",
  title: "Random",
  summary: "Seeded random trades: a baseline any strategy should beat",
  params,
  barsNeeded: () => 2,
  rule: (p) =>
    `each bar, each symbol trades with probability ${pct(p.tradeProbability, 0).replace("+", "")}: a random buy of up to ${pct(p.maxPositionFraction, 0).replace("+", "")} of equity, or a random sell of part of a holding`,
  decide(s, p, ctx) {
    const seed = p.seed ?? ctx.seed;
    const next = seededUniform("random", seed, s.clock);
    let budget = spendable(s, p.cashFraction);
    const orders: PlannedOrder[] = [];
    for (const symbol of s.symbols) {
      // Three draws per symbol whatever happens, so one symbol's outcome never shifts another's.
      const [trade, side, size] = [next(), next(), next()];
      const price = lastClose(s.bars[symbol]);
      if (trade >= p.tradeProbability || price === undefined) continue;
      const held = longQuantity(s, symbol);
      if (held > 0 && side < 0.5) {
        const quantity = 1 + Math.floor(size * held);
        orders.push({ side: "sell", symbol, quantity: Math.min(quantity, held), reason: `the dice said sell (draw ${trade.toFixed(3)})` });
        continue;
      }
      const quantity = sharesFor(Math.min(size * p.maxPositionFraction * s.equity, budget), price);
      if (quantity === 0) continue;
      budget -= quantity * price;
      orders.push({ side: "buy", symbol, quantity, reason: `the dice said buy (draw ${trade.toFixed(3)}), about ${usd(quantity * price)}` });
    }
    return {
      orders,
      notes: [`Seed ${seed} at ${nyClock(s.clock)}: ${orders.length} of ${s.symbols.length} symbols drew a trade.`],
    };
  },
};
