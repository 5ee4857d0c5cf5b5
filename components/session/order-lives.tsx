import { formatClock, formatClockTime } from "@/lib/viewer/format";
import { orderLife } from "@/lib/viewer/order-life";
import type { DecisionOrderView, FillView } from "@/lib/viewer/types";
import { describeOrder } from "@/lib/viewer/working-orders";

export type Interval = "day" | "hour" | "minute";

/** One order the decision placed and its life so far: placed, triggered, filled, cancelled, each at its bar. */
function OrderLife({ order: o, orders, fills, interval }: { order: DecisionOrderView; orders: DecisionOrderView[]; fills: FillView[]; interval: Interval }) {
  const combo = o.orderClass === "mleg";
  const entryOf = combo ? (o.parentId ? " (strategy leg)" : "") : o.orderClass !== "simple" && o.leg === "entry" ? ` (${o.orderClass} entry)` : "";
  const title =
    combo && !o.parentId && o.symbol && o.quantity !== null
      ? `${capitalize(o.strategy?.label ?? "multi-leg strategy")} on ${o.symbol} × ${o.quantity}`
      : o.side && o.symbol && o.quantity !== null
        ? describeOrder({ ...o, side: o.side, symbol: o.symbol, quantity: o.quantity }) + entryOf
        : "Order (unparsed)";
  const status = STATUS[o.status] ?? o.status.replaceAll("_", " ");
  return (
    <li className="grid gap-0.5 rounded-md border p-2">
      <p className="flex flex-wrap items-baseline gap-x-2">
        <span className="font-medium">{title}</span>
        <span className={o.status === "rejected" ? "text-xs font-semibold text-destructive" : "text-xs text-muted-foreground"}>{status}</span>
      </p>
      {o.strategy && o.status === "filled" && <p className="text-xs text-muted-foreground" data-testid="strategy-profile">{profileText(o.strategy)}</p>}
      <ol aria-label={`Life of: ${title}`} className="grid gap-0.5 pl-3 text-xs">
        {orderLife(o, orders, fills).map((s, i) => (
          <li key={i} className={s.tone === "error" ? "font-medium text-destructive" : "text-muted-foreground"}>
            {s.at ? <time dateTime={s.at}>{interval === "minute" ? formatClockTime(s.at) : formatClock(s.at, interval)}</time> : o.statusReason === "session_end" ? "At the end" : "Between bars"}
            {" · "}
            <span>{s.text}</span>
          </li>
        ))}
      </ol>
    </li>
  );
}

const STATUS: Record<string, string> = {
  new: "working",
  accepted: "working",
  held: "held",
  triggered: "triggered",
  partially_filled: "partially filled",
  filled: "filled",
  cancelled: "cancelled",
  expired: "expired",
  replaced: "replaced",
  rejected: "rejected",
};

/**
 * The orders one decision placed, each with its life so far (lib/viewer/order-life.ts): the viewer's decision
 * details and the audit's decision page. Renders on the server or in the browser alike.
 */
export function OrderLives({ orders, fills, interval, label }: { orders: DecisionOrderView[]; fills: FillView[]; interval: Interval; label?: string }) {
  return (
    <ul className="grid gap-2" aria-label={label}>
      {orders.map((o) => (
        <OrderLife key={o.id} order={o} orders={orders} fills={fills} interval={interval} />
      ))}
    </ul>
  );
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const dollars = (v: number) => `$${Math.abs(v).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** "Net credit $0.37 a share · per unit: max profit $37.00, max loss $163.00 · breakevens $47.63, $52.37". */
function profileText(s: NonNullable<DecisionOrderView["strategy"]>): string {
  const net = s.netPrice === null ? "" : `Net ${s.netPrice < 0 ? "credit" : "debit"} ${dollars(s.netPrice)} a share · `;
  const side = (v: number | null) => (v === null ? "unlimited" : dollars(v));
  const even = s.breakevens.length > 0 ? ` · breakeven${s.breakevens.length > 1 ? "s" : ""} ${s.breakevens.map(dollars).join(", ")}` : "";
  return `${net}per unit: max profit ${side(s.maxProfit)}, max loss ${side(s.maxLoss)}${even}`;
}
