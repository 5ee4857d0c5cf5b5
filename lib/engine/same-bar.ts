import { evaluateOrder, type BarPrices, type Execution } from "./fill-rules";
import type { WorkingOrder } from "./working-orders";

const acts = (e: Execution) => e.triggers || e.fillAt !== null;

/**
 * Two legs of a one-cancels-other pair that could both act in one bar: which acted first. null when at most one
 * acts (nothing to settle). With finer bars (minutes) they are walked in order and the first leg to act wins,
 * at that finer bar's price; if both act in the same finer bar, or no finer bars are given, the conservative
 * rule picks the stop-loss (the loss before the profit). A pair of two non-stop legs keeps list order.
 */
export function resolveSameBar(
  a: WorkingOrder,
  aExec: Execution,
  b: WorkingOrder,
  bExec: Execution,
  finerBars: readonly BarPrices[] | undefined,
): { order: WorkingOrder; execution: Execution } | null {
  if (!acts(aExec) || !acts(bExec)) return null;
  const stopFirst = b.role === "stop_loss" && a.role !== "stop_loss" ? { order: b, execution: bExec } : { order: a, execution: aExec };
  for (const fine of finerBars ?? []) {
    const bar = { ...fine, firstOfDay: false, lastOfDay: false };
    const fa = evaluateOrder(a, bar, "bar");
    const fb = evaluateOrder(b, bar, "bar");
    if (acts(fa) && acts(fb)) return stopFirst.order === a ? { order: a, execution: fa } : { order: b, execution: fb };
    if (acts(fa)) return { order: a, execution: fa };
    if (acts(fb)) return { order: b, execution: fb };
  }
  return stopFirst;
}
