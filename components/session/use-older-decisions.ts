"use client";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { getDecisionPageAction } from "@/app/(app)/sessions/actions";
import { prependDecisions } from "@/lib/viewer/fold";
import { viewerKey } from "@/lib/viewer/keys";
import { DECISION_PAGE, type ViewerState } from "@/lib/viewer/types";

/**
 * Loads the decisions older than those the page shipped, newest pages first, one page after another
 * once the page is shown (each page is small enough to parse and render within a frame budget). The
 * feed shows placeholders for rows not loaded yet. Returns an error in words, if a page failed.
 */
export function useOlderDecisions(sessionId: string, older: number): string | null {
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (older <= 0) return;
    let cancelled = false;
    const offset = Math.max(0, older - DECISION_PAGE);
    const timer = setTimeout(async () => {
      const res = await getDecisionPageAction(sessionId, offset, older - offset);
      if (cancelled) return;
      if (!res.ok) return setError(`Could not load older decisions: ${res.message}`);
      queryClient.setQueryData<ViewerState>(viewerKey(sessionId), (old) => (old ? prependDecisions(old, res.decisions, offset) : old));
    }, 30);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [sessionId, older, queryClient]);
  return error;
}
