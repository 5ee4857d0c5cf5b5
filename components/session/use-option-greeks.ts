"use client";
import { useQuery } from "@tanstack/react-query";
import { getOptionGreeksAction } from "@/app/(app)/sessions/actions";
import { isOccSymbol } from "@/lib/engine/options/occ";
import type { PositionView } from "@/lib/viewer/types";

/** How often the Greeks are asked for again while the session runs (the stream brings bars much faster). */
export const GREEKS_REFRESH_MS = 5_000;

export const holdsContracts = (positions: readonly PositionView[]) => positions.some((p) => p.quantity !== 0 && isOccSymbol(p.symbol));

/**
 * The Greeks of the session's open contracts at its clock (getOptionGreeksAction), one query shared by the panels
 * that show them. Asked only while contracts are held, and again at most every GREEKS_REFRESH_MS while the session
 * runs; a finished session's once.
 */
export function useOptionGreeks(sessionId: string, positions: readonly PositionView[], running: boolean) {
  const enabled = holdsContracts(positions);
  return useQuery({
    queryKey: ["session", sessionId, "option-greeks", running ? "running" : "ended"],
    queryFn: async () => {
      const res = await getOptionGreeksAction(sessionId);
      if (!res.ok) throw new Error(res.message);
      return res.greeks;
    },
    enabled,
    staleTime: running ? GREEKS_REFRESH_MS : Infinity,
    refetchInterval: running && enabled ? GREEKS_REFRESH_MS : false,
    refetchOnWindowFocus: false,
    retry: false,
    placeholderData: (previous) => previous,
  });
}
