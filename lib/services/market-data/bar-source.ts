import "server-only";
import type { Executor } from "@/lib/db/client";
import { selectBars } from "@/lib/db/queries/bars";
import { selectLatestOptionQuotes } from "@/lib/db/queries/option-quotes";
import type { BarSource } from "@/lib/market";

/** The market view's source over the `bars` and `option_quotes` tables. The view, not this, decides what the clock allows. */
export function createDbBarSource(db: Executor): BarSource {
  return { getBars: (query) => selectBars(db, query), getOptionQuotes: (query) => selectLatestOptionQuotes(db, query) };
}
