"use client";
import { Progress } from "@/components/ui/progress";
import { useNow } from "@/components/use-now";
import { formatEta, progressOf } from "@/lib/viewer/derive";
import type { SessionView } from "@/lib/viewer/types";

/** Bars done / total, the bar and the ETA at the pace so far (from the browser's clock, once hydrated). */
export function SessionProgress({ session }: { session: SessionView }) {
  const now = useNow();
  const p = progressOf(session, now ?? undefined);
  const eta = session.status === "running" ? (now === null ? null : formatEta(p.etaMs)) : session.status === "paused" ? "paused" : session.status === "queued" ? "queued: starts when one of your running sessions ends" : null;
  return (
    <div className="grid gap-1">
      <Progress value={p.done} max={p.total || 1} label={`Progress of session ${session.modelName}`} />
      <p className="flex flex-wrap justify-between gap-x-3 text-xs text-muted-foreground">
        <span data-testid="bars-done">
          {p.done.toLocaleString("en-US")} / {p.total.toLocaleString("en-US")} bars
        </span>
        {eta && <span>{eta}</span>}
      </p>
    </div>
  );
}
