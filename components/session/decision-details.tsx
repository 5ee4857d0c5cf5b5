"use client";
import { useQuery } from "@tanstack/react-query";
import { AlertTriangle } from "lucide-react";
import { getDecisionDetailAction } from "@/app/(app)/sessions/actions";
import type { DecisionDetail, ToolCallView } from "@/lib/viewer/types";
import { isWorkingStatus } from "@/lib/viewer/working-orders";
import { OrderLives, type Interval } from "./order-lives";
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
          <OrderLives orders={d.orders} fills={d.fills} interval={interval} />
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
