import { z } from "zod";
import { list, sharesFor, usd } from "./format";
import { heldLongs, spendable } from "./sizing";
import type { PlannedOrder, Strategy } from "./types";

const params = z
  .object({
    /** Moving average and standard deviation over this many closes (the last close included). */
    window: z.number().int().min(2).max(250).default(20),
    /** Buy when the z-score is below −entryZ. */
    entryZ: z.number().positive().default(1.5),
    /** Sell a holding when its z-score is above +exitZ. */
    exitZ: z.number().min(-10).max(10).default(1.5),
    /** At most this many positions; each gets an equal share of equity. */
    maxPositions: z.number().int().min(1).max(30).default(5),
    cashFraction: z.number().gt(0).max(1).default(0.98),
  })
  .strict();
type Params = z.output<typeof params>;

const z2 = (z: number) => (z > 0 ? `+${z.toFixed(2)}` : z.toFixed(2));
const k = (z: number) => (z > 0 ? `+${z}` : `${z}`);

/** Buys symbols far below their moving average (z-score), sells holdings far above it. Long only. */
export const meanReversion: Strategy<Params> = {
  name: "mean-reversion",
  title: "Mean reversion",
  summary: "Buys dips below the moving average, sells rallies above it",
  params,
  barsNeeded: (p) => p.window,
  rule: (p) =>
    `buy when the last close is more than ${p.entryZ} standard deviations below its ${p.window}-bar average (z < −${p.entryZ}), sell a holding when z > ${k(p.exitZ)}; at most ${p.maxPositions} positions`,
  decide(s, p) {
    const stats = s.symbols.flatMap((symbol) => {
      const closes = (s.bars[symbol] ?? []).slice(-p.window).map((b) => b.c);
      if (closes.length < p.window) return [];
      const mean = closes.reduce((a, b) => a + b, 0) / closes.length;
      const sd = Math.sqrt(closes.reduce((a, c) => a + (c - mean) ** 2, 0) / (closes.length - 1));
      const price = closes[closes.length - 1]!;
      return sd > 0 ? [{ symbol, price, mean, sd, z: (price - mean) / sd }] : [];
    });
    if (stats.length === 0) {
      return { orders: [], notes: [`Warming up: mean-reversion needs ${p.window} closed bars per symbol. Holding.`] };
    }
    const byZ = [...stats].sort((a, b) => a.z - b.z || a.symbol.localeCompare(b.symbol));
    const notes = [
      `z-scores vs the ${p.window}-bar average: ${[...byZ.slice(0, 3), ...byZ.slice(3).slice(-3)].map((x) => `${x.symbol} ${z2(x.z)}`).join(", ")}${byZ.length > 6 ? " (lowest and highest)" : ""}.`,
    ];
    const describe = (x: (typeof stats)[number]) => `z ${z2(x.z)}: last close ${usd(x.price)} vs average ${usd(x.mean)} (sd ${usd(x.sd)})`;

    const orders: PlannedOrder[] = [];
    const held = heldLongs(s);
    for (const symbol of held) {
      const x = stats.find((t) => t.symbol === symbol);
      if (x && x.z > p.exitZ) {
        orders.push({ side: "sell", symbol, quantity: s.holdings[symbol]!, reason: `${describe(x)}, above ${k(p.exitZ)}` });
      }
    }
    let slots = p.maxPositions - held.length; // a sell frees its slot on a later bar
    let budget = spendable(s, p.cashFraction);
    const target = (s.equity * p.cashFraction) / p.maxPositions;
    const skipped: string[] = [];
    for (const x of byZ) {
      if (x.z >= -p.entryZ) break;
      if (held.includes(x.symbol)) continue;
      if (slots <= 0) {
        skipped.push(x.symbol);
        continue;
      }
      const quantity = sharesFor(Math.min(target, budget), x.price);
      if (quantity === 0) {
        skipped.push(x.symbol);
        continue;
      }
      budget -= quantity * x.price;
      slots--;
      orders.push({ side: "buy", symbol: x.symbol, quantity, reason: `${describe(x)}, below −${p.entryZ}` });
    }
    if (skipped.length > 0) notes.push(`Also below −${p.entryZ} but no free slot or cash: ${list(skipped)}.`);
    return { orders, notes };
  },
};
