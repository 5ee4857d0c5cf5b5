import { cn } from "@/lib/utils";
import type { StreamState } from "./use-session-events";

const TEXT: Record<StreamState, string> = { connecting: "Connecting…", live: "Live", reconnecting: "Reconnecting…", closed: "Not live" };

/** Whether the page is receiving the session's events, in words. */
export function StreamIndicator({ state, finished }: { state: StreamState; finished: boolean }) {
  if (finished) return null;
  return (
    <span role="status" className="inline-flex items-center gap-1.5 text-xs text-muted-foreground" data-testid="stream-state">
      <span aria-hidden className={cn("h-2 w-2 rounded-full", state === "live" ? "bg-success" : state === "closed" ? "bg-muted-foreground" : "bg-amber-500")} />
      {TEXT[state]}
    </span>
  );
}
