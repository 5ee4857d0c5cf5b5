import { z } from "zod";
import { lastClose, list, pct, sharesFor, usd } from "./format";
import { heldLongs, spendable } from "./sizing";
import type { Strategy } from "./types";

const params = z
  .object({
    /** Share of cash to invest on the first bar; the rest covers fees and slippage. */
    cashFraction: z.number().gt(0).max(1).default(0.98),
  })
  .strict();
type Params = z.output<typeof params>;

/** Buys an equal-weight basket of the universe on the first bar with no positions, then holds it. */
export const buyAndHold: Strategy<Params> = {
  name: "buy-and-hold",
  title: "Buy and hold",
  summary: "Buys an equal-weight basket on the first bar and holds it",
  params,
  barsNeeded: () => 2,
  rule: (p) =>
    `on the first bar with no positions, buy every symbol of the universe with an equal share of ${pct(p.cashFraction, 0).replace("+", "")} of cash, then hold`,
  decide(s, p) {
    const held = heldLongs(s);
    if (held.length > 0 || Object.values(s.holdings).some((q) => q !== 0)) {
      return {
        orders: [],
        notes: [`Already invested (${held.length} positions, equity ${usd(s.equity)}): buy-and-hold keeps holding.`],
      };
    }
    const priced = s.symbols.filter((sym) => lastClose(s.bars[sym]) !== undefined);
    const missing = s.symbols.filter((sym) => !priced.includes(sym));
    const notes: string[] = [];
    if (missing.length > 0) notes.push(`No price for ${list(missing)}: left out of the basket.`);
    if (priced.length === 0) return { orders: [], notes: [...notes, "Nothing to buy yet."] };
    const budget = spendable(s, p.cashFraction);
    const each = budget / priced.length;
    notes.unshift(
      `First bar with no positions: ${usd(budget)} of ${usd(s.cash)} cash split equally across ${priced.length} symbols (${usd(each)} each).`,
    );
    const orders = priced.flatMap((symbol) => {
      const price = lastClose(s.bars[symbol])!;
      const quantity = sharesFor(each, price);
      return quantity > 0
        ? [{ side: "buy" as const, symbol, quantity, reason: `equal weight of ${usd(each)} at the last close ${usd(price)}` }]
        : [];
    });
    if (orders.length < priced.length) notes.push("Some symbols cost more than one equal share of the budget: skipped.");
    return { orders, notes };
  },
};
