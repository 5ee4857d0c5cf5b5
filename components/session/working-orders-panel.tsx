"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { X } from "lucide-react";
import { memo } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { ScrollRegion } from "@/components/ui/scroll-region";
import { formatClock } from "@/lib/viewer/format";
import type { ViewerState, WorkingOrderView } from "@/lib/viewer/types";
import { describeOrder, describeStatus, LEG_LABEL, markCancelRequested, TIF_LABEL } from "@/lib/viewer/working-orders";
import { viewerKey } from "./use-session-events";

const SIDE: Record<string, string> = { buy: "Buy", sell: "Sell", sell_short: "Short", buy_to_cover: "Cover" };
const TYPE: Record<string, string> = { limit: "Limit", stop: "Stop", stop_limit: "Stop-limit", trailing_stop: "Trailing stop", market: "Market" };
const CLASS: Record<string, string> = { simple: "Simple", bracket: "Bracket", oco: "OCO", oto: "OTO" };
const price = (v: number | null) => (v === null ? "—" : v.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 6 }));

/** DELETE /api/v1/sessions/:id/orders/:orderId (the route's answer, or its error in words). */
async function cancelOrder(sessionId: string, orderId: string): Promise<"cancelled" | "requested"> {
  const res = await fetch(`/api/v1/sessions/${sessionId}/orders/${orderId}`, { method: "DELETE" });
  const body = (await res.json().catch(() => null)) as { order?: { outcome: "cancelled" | "requested" }; error?: { message: string } } | null;
  if (!res.ok || !body?.order) throw new Error(body?.error?.message ?? `The server answered ${res.status}`);
  return body.order.outcome;
}

/**
 * The session's working orders (docs/ui.md, "Working orders"), kept current by the `order` events, and a Cancel
 * button per row while the session has not ended. A running session's runner cancels the order at its next bar
 * (the row says "Cancel requested" until then); a paused one's is cancelled at once.
 */
export const WorkingOrdersPanel = memo(function WorkingOrdersPanel({
  sessionId,
  orders,
  interval,
  finished,
}: {
  sessionId: string;
  orders: readonly WorkingOrderView[];
  interval: "day" | "hour" | "minute";
  finished: boolean;
}) {
  const queryClient = useQueryClient();
  const cancel = useMutation({
    mutationFn: (o: WorkingOrderView) => cancelOrder(sessionId, o.id),
    onSuccess: (outcome, o) => {
      queryClient.setQueryData<ViewerState>(viewerKey(sessionId), (old) =>
        old
          ? { ...old, workingOrders: outcome === "requested" ? markCancelRequested(old.workingOrders, o.id) : old.workingOrders.filter((w) => w.id !== o.id) }
          : old,
      );
      toast.success(outcome === "requested" ? `Cancel requested: ${describeOrder(o)} is cancelled at the session's next bar` : `Order cancelled: ${describeOrder(o)}`);
    },
    onError: (err, o) => toast.error(`Could not cancel ${describeOrder(o)}: ${err.message}`),
  });
  const byId = new Map(orders.map((o) => [o.id, o]));
  if (orders.length === 0) {
    return (
      <p className="text-sm text-muted-foreground" data-testid="no-working-orders">
        No working orders. Limit, stop and trailing-stop orders and brackets show here while they work across bars.
      </p>
    );
  }
  return (
    <ScrollRegion label="Working orders (scrolls sideways)" className="overflow-x-auto">
      <table className="w-full text-sm" aria-label="Working orders">
        <thead>
          <tr className="border-b text-left text-xs text-muted-foreground">
            <th scope="col" className="py-1 pr-2 font-medium">Order</th>
            <th scope="col" className="py-1 pr-2 font-medium">Type</th>
            <th scope="col" className="py-1 pr-2 text-right font-medium">Filled</th>
            <th scope="col" className="py-1 pr-2 text-right font-medium">Limit</th>
            <th scope="col" className="py-1 pr-2 text-right font-medium">Stop</th>
            <th scope="col" className="py-1 pr-2 text-right font-medium">Trail</th>
            <th scope="col" className="py-1 pr-2 text-right font-medium">Water mark</th>
            <th scope="col" className="py-1 pr-2 font-medium">Time in force</th>
            <th scope="col" className="py-1 pr-2 font-medium">Class</th>
            <th scope="col" className="py-1 pr-2 font-medium">Status</th>
            <th scope="col" className="py-1 pr-2 font-medium">Placed</th>
            {!finished && (
              <th scope="col" className="py-1 font-medium">
                <span className="sr-only">Cancel</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {orders.map((o) => {
            const parent = o.parentId ? byId.get(o.parentId) : undefined;
            const busy = cancel.isPending && cancel.variables?.id === o.id;
            return (
              <tr key={o.id} className="border-b last:border-0" data-testid="working-order">
                <th scope="row" className="py-1 pr-2 text-left font-normal whitespace-nowrap">
                  {SIDE[o.side] ?? o.side} {o.quantity.toLocaleString("en-US")} <span className="font-mono font-medium">{o.symbol}</span>
                </th>
                <td className="py-1 pr-2 whitespace-nowrap">{TYPE[o.type] ?? o.type}</td>
                <td className="py-1 pr-2 text-right tabular-nums">{o.filledQuantity.toLocaleString("en-US")}</td>
                <td className="py-1 pr-2 text-right tabular-nums">{price(o.limitPrice)}</td>
                <td className="py-1 pr-2 text-right tabular-nums">{price(o.stopPrice)}</td>
                <td className="py-1 pr-2 text-right tabular-nums">{o.trailPercent !== null ? `${o.trailPercent}%` : price(o.trailPrice)}</td>
                <td className="py-1 pr-2 text-right tabular-nums">{price(o.waterMark)}</td>
                <td className="py-1 pr-2 whitespace-nowrap">{TIF_LABEL[o.timeInForce] ?? o.timeInForce}</td>
                <td className="py-1 pr-2 whitespace-nowrap">
                  {CLASS[o.orderClass] ?? o.orderClass}
                  {o.orderClass !== "simple" && <span className="text-muted-foreground"> · {LEG_LABEL[o.leg] ?? o.leg}</span>}
                  {o.parentId && <span className="block text-xs text-muted-foreground">of {parent ? describeOrder(parent) : "its entry"}</span>}
                </td>
                <td className="py-1 pr-2 whitespace-nowrap">
                  {describeStatus(o)}
                  {o.statusReason && <span className="block text-xs text-muted-foreground">{o.statusReason.replaceAll("_", " ")}</span>}
                </td>
                <td className="py-1 pr-2 whitespace-nowrap tabular-nums">{formatClock(o.placedAt, interval)}</td>
                {!finished && (
                  <td className="py-1 text-right">
                    <Button variant="outline" size="sm" aria-label={`Cancel ${describeOrder(o)}`} disabled={o.cancelRequested || busy} onClick={() => cancel.mutate(o)}>
                      <X className="h-4 w-4" aria-hidden />
                      Cancel
                    </Button>
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="mt-1 text-xs text-muted-foreground">
        Stop: a trailing stop&apos;s stop now (it follows the water mark, the best price since it was placed). Held: an exit that works once its entry fills. A cancel while the session runs is applied at its next bar, before the bar is matched.
      </p>
    </ScrollRegion>
  );
});
