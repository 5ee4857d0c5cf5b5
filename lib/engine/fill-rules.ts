import { maxMoney, minMoney, type Money } from "./money";
import { isBuySide } from "./order";
import type { WorkingOrder } from "./working-orders";

/** One bar's prices and where it sits in its trading day. */
export interface BarPrices {
  readonly open: Money;
  readonly high: Money;
  readonly low: Money;
  readonly close: Money;
  readonly firstOfDay: boolean;
  readonly lastOfDay: boolean;
}

/**
 * How an order became active on this bar. "bar": it was working when the bar opened (or was placed at its open),
 * so it sees the whole bar. `{ after }`: a bracket or oto exit whose entry filled inside this bar, after the open,
 * at the bar price `after`: that price is its open, and only what must have followed the entry is allowed.
 */
export type Activation = "bar" | { readonly after: Money };

/** What one order does on one bar, before quantities (caps, fok) and cash are applied. */
export interface Execution {
  /** The stop was reached on this bar (it was not before). */
  readonly triggers: boolean;
  /** The price the order fills at before slippage, within the bar's range; null when it does not fill. */
  readonly fillAt: Money | null;
}

const NOTHING: Execution = { triggers: false, fillAt: null };

/**
 * The price rules (docs/engine.md, "Fill rules"), buy side; sell sides mirror:
 * - market: the open (opg: the open of a day's first bar; cls: the close of a day's last bar).
 * - limit L: when low ≤ L, at min(open, L): a gap below the limit fills at the open.
 *   opg / cls / ioc / fok: at that one price (open, close, open, open) if it is ≤ L, else not at all.
 * - stop S: triggers when high ≥ S; fills at max(open, S): a gap through the stop fills at the open.
 *   Once triggered (a remainder left by the participation cap) it is a market order: the next bar's open.
 * - stop_limit S, L: triggers like a stop. Gap trigger (open ≥ S): a limit from the open, min(open, L) when
 *   low ≤ L. Intrabar trigger (open < S ≤ high): the price is S at the trigger, so it fills at S when S ≤ L;
 *   when L < S it would need the price to come back after the touch of S, which a bar cannot tell: it rests
 *   as a limit from the next bar.
 * - trailing_stop: a stop at its current stop level (from the water mark of earlier bars); the mark moves
 *   with this bar's extreme only after the check (fill-model.ts).
 * - exits activated inside the bar (`{ after: E }`, E the entry's bar price): neither the open nor anything in
 *   the bar before the entry belongs to them. A stop-loss triggers when the range reaches its stop and fills at
 *   the worse of E and the stop (a stop the entry price already passed fills at E; a stop-limit's own limit
 *   must allow that price, else it rests). For a limit entry this is certain: the price passed E on its way to
 *   the low. For a stop entry the low may have come first; counting it is the conservative choice (the loss).
 *   A take-profit waits for the next bar (its price may have come before the entry).
 */
export function evaluateOrder(o: WorkingOrder, bar: BarPrices, activation: Activation): Execution {
  const buy = isBuySide(o.side);
  const reaches = (price: Money) => (buy ? bar.low <= price : bar.high >= price); // a limit at `price` can fill
  const better = (a: Money, b: Money) => (buy ? minMoney(a, b) : maxMoney(a, b));
  const worse = (a: Money, b: Money) => (buy ? maxMoney(a, b) : minMoney(a, b));
  const marketable = (price: Money, limit: Money) => (buy ? price <= limit : price >= limit);
  const touches = (stop: Money) => (buy ? bar.high >= stop : bar.low <= stop);
  const gapsThrough = (stop: Money) => (buy ? bar.open >= stop : bar.open <= stop);

  if (activation !== "bar") {
    if (o.role !== "stop_loss" || o.stopPrice === undefined || !touches(o.stopPrice)) return NOTHING;
    const at = worse(activation.after, o.stopPrice);
    const limitOk = o.limitPrice === undefined || marketable(at, o.limitPrice);
    return { triggers: true, fillAt: limitOk ? at : null };
  }

  switch (o.type) {
    case "market":
      return { triggers: false, fillAt: atSessionEdge(o, bar) ?? null };
    case "limit": {
      const limit = o.limitPrice as Money;
      const edge = atSessionEdge(o, bar);
      if (edge !== undefined) return { triggers: false, fillAt: edge !== null && marketable(edge, limit) ? edge : null };
      return { triggers: false, fillAt: reaches(limit) ? better(bar.open, limit) : null };
    }
    case "stop":
    case "trailing_stop": {
      if (o.triggered) return { triggers: false, fillAt: bar.open };
      const stop = o.stopPrice as Money;
      return touches(stop) ? { triggers: true, fillAt: worse(bar.open, stop) } : NOTHING;
    }
    case "stop_limit": {
      const limit = o.limitPrice as Money;
      if (o.triggered) return { triggers: false, fillAt: reaches(limit) ? better(bar.open, limit) : null };
      const stop = o.stopPrice as Money;
      if (!touches(stop)) return NOTHING;
      if (gapsThrough(stop)) return { triggers: true, fillAt: reaches(limit) ? better(bar.open, limit) : null };
      return { triggers: true, fillAt: marketable(stop, limit) ? stop : null };
    }
  }
}

/**
 * Orders that act at one instant: the price there, null on a bar that is not theirs (they wait), undefined for
 * the others (day and gtc limits use the whole bar). opg: the open of a day's first bar; cls: the close of a
 * day's last bar; ioc and fok: the open of their first bar, the price they were placed at ("immediately"). A
 * market day or gtc order fills at the open of its first bar.
 */
function atSessionEdge(o: WorkingOrder, bar: BarPrices): Money | null | undefined {
  switch (o.timeInForce) {
    case "opg":
      return bar.firstOfDay ? bar.open : null;
    case "cls":
      return bar.lastOfDay ? bar.close : null;
    case "ioc":
    case "fok":
      return bar.open;
    default:
      return o.type === "market" ? bar.open : undefined;
  }
}
