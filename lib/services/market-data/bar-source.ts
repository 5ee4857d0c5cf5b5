import "server-only";
import type { Executor } from "@/lib/db/client";
import { selectBars } from "@/lib/db/queries/bars";
import type { BarSource } from "@/lib/market";

/** The market view's BarSource over the `bars` table. The view, not this, decides what the clock allows. */
export function createDbBarSource(db: Executor): BarSource {
  return { getBars: (query) => selectBars(db, query) };
}
