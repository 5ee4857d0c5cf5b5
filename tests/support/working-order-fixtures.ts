import { FREE_FEES } from "@/lib/engine/fees";
import { matchBar, type FillBar, type FillModelSettings, type MatchBarInput } from "@/lib/engine/fill-model";
import type { ModelFill, OrderBookEvent } from "@/lib/engine/fill-model-events";
import type { OrderRequest } from "@/lib/engine/order";
import { workingOrdersFor, type WorkingOrder } from "@/lib/engine/working-orders";
import { usd } from "./engine-helpers";

/** 2025-10-01 14:00 UTC, the start of the first test bar; bars are an hour apart. */
export const T0 = Date.UTC(2025, 9, 1, 14);
export const HOUR = 3_600_000;

export const NO_COSTS: FillModelSettings = { fees: FREE_FEES, slippageBps: 0 };

/** An AAPL bar at T0 + i hours with prices in dollars; volume 1,000,000 and mid-day unless `extra` says otherwise. */
export function bar(i: number, open: number, high: number, low: number, close: number, extra: Partial<FillBar> = {}): FillBar {
  return {
    symbol: "AAPL",
    time: T0 + i * HOUR,
    volume: 1_000_000,
    open: usd(open),
    high: usd(high),
    low: usd(low),
    close: usd(close),
    firstOfDay: false,
    lastOfDay: false,
    ...extra,
  };
}

/** The working orders `request` becomes when placed at bar i whose open is `last` dollars. */
export function place(request: OrderRequest, last: number, i = 0, id = "o1"): WorkingOrder[] {
  return workingOrdersFor(request, { id, placedAt: T0 + i * HOUR, lastPrice: usd(last) });
}

/** matchBar over `bars` in order, carrying the working orders; everything that happened, in order. */
export function runBars(
  orders: readonly WorkingOrder[],
  bars: readonly FillBar[],
  settings: FillModelSettings = NO_COSTS,
  extra: Partial<Pick<MatchBarInput, "finerBars">> = {},
): { orders: WorkingOrder[]; fills: ModelFill[]; events: OrderBookEvent[] } {
  let working = [...orders];
  const fills: ModelFill[] = [];
  const events: OrderBookEvent[] = [];
  for (const b of bars) {
    const r = matchBar({ orders: working, bar: b, settings, ...extra });
    working = r.orders;
    fills.push(...r.fills);
    events.push(...r.events);
  }
  return { orders: working, fills, events };
}

/** "kind:orderId" for each event, to compare lifecycles in one line. */
export function lifecycle(events: readonly OrderBookEvent[]): string[] {
  return events.map((e) => `${e.kind}:${e.orderId}`);
}
