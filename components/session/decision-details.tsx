"use client";
import { useQuery } from "@tanstack/react-query";
import { AlertTriangle } from "lucide-react";
import { getDecisionDetailAction } from "@/app/(app)/sessions/actions";
import { formatClock, formatClockTime } from "@/lib/viewer/format";
import { orderLife } from "@/lib/viewer/order-life";
import type { DecisionDetail, DecisionOrderView, FillView, ToolCallView } from "@/lib/viewer/types";
import { describeOrder, isWorkingStatus } from "@/lib/viewer/working-orders";
import { countOf } from "@/lib/format";
import { ScrollRegion } from "@/components/ui/scroll-region";

const json = (v: unknown) => {
  if (v === undefined) return "";
  try {
    return typeof v === "string" ? v : JSON.stringify(v, null, 2);
  } catch {
    return String(v);
  }
};

/** One part of a tool call (its arguments, result or error): a caption, then the text in a box that scrolls. */
function Part({ part, of, tone, children }: { part: "Arguments" | "Result" | "Error"; of: string; tone?: "error"; children: string }) {
  return (
    <div className="grid gap-1">
      <span className={tone === "error" ? "text-xs font-semibold text-destructive" : "text-xs font-medium text-muted-foreground"}>{part}</span>
      <ScrollRegion
        label={`${part} of ${of}`}
        className={"max-h-48 overflow-auto rounded-md border " + (tone === "error" ? "border-destructive/50 bg-destructive/10 text-destructive" : "bg-muted/50")}
      >
        <pre className="whitespace-pre-wrap break-words p-2 font-mono text-xs">{children}</pre>
      </ScrollRegion>
    </div>
  );
}

function ToolCall({ call, index, when }: { call: ToolCallView; index: number; when: string }) {
  const of = `tool call ${index + 1} (${call.name}), ${when}`;
  return (
    <li className="grid gap-1.5 rounded-md border p-2">
      <p className="flex flex-wrap items-center gap-2 text-sm">
        <span className="font-mono font-medium">
          {index + 1}. {call.name}
        </span>
        <span className="text-xs text-muted-foreground">step {call.step}</span>
        {call.ok ? (
          <span className="text-xs font-medium text-success">OK</span>
        ) : (
          <span className="inline-flex items-center gap-1 text-xs font-semibold text-destructive">
            <AlertTriangle className="h-3 w-3" aria-hidden />
            {call.invalid ? "Error: refused before running" : "Error"}
          </span>
        )}
      </p>
      <Part part="Arguments" of={of}>
        {json(call.input) || "{}"}
      </Part>
      {call.ok ? (
        <Part part="Result" of={of}>
          {json(call.output)}
        </Part>
      ) : (
        <Part part="Error" of={of} tone="error">{`Error: ${call.error ?? "unknown"}`}</Part>
      )}
      {call.note && <p className="text-xs text-amber-700 dark:text-amber-300">Note: {call.note}</p>}
    </li>
  );
}

/** One order the decision placed and its life so far: placed, triggered, filled, cancelled, each at its bar. */
function OrderLife({ order: o, orders, fills, interval }: { order: DecisionOrderView; orders: DecisionOrderView[]; fills: FillView[]; interval: Interval }) {
  const entryOf = o.orderClass !== "simple" && o.leg === "entry" ? ` (${o.orderClass} entry)` : "";
  const title = o.side && o.symbol && o.quantity !== null ? describeOrder({ ...o, side: o.side, symbol: o.symbol, quantity: o.quantity }) + entryOf : "Order (unparsed)";
  const status = STATUS[o.status] ?? o.status.replaceAll("_", " ");
  return (
    <li className="grid gap-0.5 rounded-md border p-2">
      <p className="flex flex-wrap items-baseline gap-x-2">
        <span className="font-medium">{title}</span>
        <span className={o.status === "rejected" ? "text-xs font-semibold text-destructive" : "text-xs text-muted-foreground"}>{status}</span>
      </p>
      <ol aria-label={`Life of: ${title}`} className="grid gap-0.5 pl-3 text-xs">
        {orderLife(o, orders, fills).map((s, i) => (
          <li key={i} className={s.tone === "error" ? "font-medium text-destructive" : "text-muted-foreground"}>
            {s.at ? <time dateTime={s.at}>{interval === "minute" ? formatClockTime(s.at) : formatClock(s.at, interval)}</time> : o.statusReason === "session_end" ? "At the end" : "Between bars"}
            {" · "}
            {s.text}
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

function Body({ d, when, interval }: { d: DecisionDetail; when: string; interval: Interval }) {
  return (
    <div className="grid gap-3 text-sm">
      {d.error && (
        <p role="alert" className="flex items-start gap-2 rounded-md border border-destructive/50 bg-destructive/10 p-2 text-destructive">
          <AlertTriangle className="mt-0.5 h-4 w-4 shrink-0" aria-hidden />
          <span>
            <strong>Failed{d.errorCode ? ` (${d.errorCode})` : ""}:</strong> {d.error}
          </span>
        </p>
      )}
      <section aria-label={`Model text, ${when}`} className="grid gap-1">
        <h3 className="text-xs font-semibold uppercase tracking-wide text-muted-foreground">Model text</h3>
        {d.fullText ? (
          <ScrollRegion label={`The model's text, ${when}`} className="max-h-60 overflow-auto">
            <p className="whitespace-pre-wrap break-words">{d.fullText}</p>
          </ScrollRegion>
        ) : <p className="text-muted-foreground">The model wrote no text.</p>}
      </section>
      <section aria-label={`Tool calls, ${when}`} className="grid gap-1">
        <h3 className="text-xs font-semibold uppercase tracking-wide text-muted-foreground">Tool calls ({d.tools.length})</h3>
        {d.tools.length === 0 ? (
          <p className="text-muted-foreground">No tool calls.</p>
        ) : (
          <ol className="grid gap-2">
            {d.tools.map((c, i) => (
              <ToolCall key={`${c.id}-${i}`} call={c} index={i} when={when} />
            ))}
          </ol>
        )}
      </section>
      <section aria-label={`Model calls, ${when}`} className="grid gap-1">
        <h3 className="text-xs font-semibold uppercase tracking-wide text-muted-foreground">Model calls ({d.modelCalls.length})</h3>
        {d.modelCalls.length === 0 ? (
          <p className="text-muted-foreground">No model call was recorded.</p>
        ) : (
          <ol className="grid gap-1">
            {d.modelCalls.map((c) => (
              <li key={c.index} className="text-xs">
                <span className="font-medium">Call {c.index + 1}</span> · {c.provider} {c.model} · {c.latencyMs} ms
                {c.inputTokens !== null && ` · ${c.inputTokens} in / ${c.outputTokens ?? 0} out tokens`}
                {" · "}
                {c.toolCalls.length > 0 ? `asked for ${c.toolCalls.join(", ")}` : c.text ? "answered" : `ended (${c.finishReason ?? "no reason"})`}
              </li>
            ))}
          </ol>
        )}
      </section>
      <section aria-label={`Orders and fills, ${when}`} className="grid gap-1">
        <h3 className="text-xs font-semibold uppercase tracking-wide text-muted-foreground">Orders and fills</h3>
        {d.orders.length === 0 ? (
          <p className="text-muted-foreground">No orders.</p>
        ) : (
          <ul className="grid gap-2">
            {d.orders.map((o) => (
              <OrderLife key={o.id} order={o} orders={d.orders} fills={d.fills} interval={interval} />
            ))}
          </ul>
        )}
      </section>
      <p className="text-xs text-muted-foreground">
        {d.llm} · {countOf(d.steps, "step")} · {d.latencyMs} ms
        {d.inputTokens !== null && ` · ${d.inputTokens} in / ${d.outputTokens ?? 0} out tokens`}
        {d.costUsd !== null && ` · $${Number(d.costUsd).toFixed(4)}`}
      </p>
    </div>
  );
}

type Interval = "day" | "hour" | "minute";

/** While an order of the decision still works, its details are read again this often (its life goes on at later bars). */
const WORKING_REFRESH_MS = 3_000;

/**
 * A decision's full record, loaded when its feed entry opens. A decision never changes, but the orders it placed
 * live on at later bars: the details are read again while one still works, else cached for good.
 */
export function DecisionDetails({ sessionId, decisionId, when, interval }: { sessionId: string; decisionId: string; when: string; interval: Interval }) {
  const q = useQuery({
    queryKey: ["decision", decisionId],
    queryFn: async () => {
      const res = await getDecisionDetailAction(sessionId, decisionId);
      if (!res.ok) throw new Error(res.message);
      return res.decision;
    },
    staleTime: Infinity,
    refetchInterval: (query) => (query.state.data?.orders.some((o) => isWorkingStatus(o.status)) ? WORKING_REFRESH_MS : false),
  });
  if (q.isPending) return <p className="text-sm text-muted-foreground">Loading the decision…</p>;
  if (q.isError) return <p role="alert" className="text-sm text-destructive">Could not load this decision: {q.error.message}</p>;
  return <Body d={q.data} when={when} interval={interval} />;
}
