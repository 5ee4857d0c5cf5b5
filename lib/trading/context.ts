import type { BarInterval } from "@/lib/agent/tool-contract";
import type { Tx } from "@/lib/db/client";
import type { Claims } from "@/lib/db/rls";
import type { Clock, MarketView } from "@/lib/market";
import type { NewsView } from "@/lib/market/news";
import type { SessionTradingRules } from "./trading-settings";
import type { SessionBook } from "./book";

/**
 * THE trading context (docs/ARCHITECTURE.md, "the one idea"): who trades (user, claims, model), where
 * (session, its book and rules), when (the session clock, the market view at it, the bar's decision).
 * Built by the session's runner from the session row, or for a chat from the authenticated request;
 * never from tool input. Every tool closes over one; no tool has a parameter that could name another
 * model, user, session or time.
 */
export interface TradingContext {
  readonly userId: string;
  readonly modelId: string;
  readonly sessionId: string;
  /** The verified claims of `userId`: every database read and write runs as them. */
  readonly claims: Claims;
  /** The session clock: the only "now". */
  readonly clock: Clock;
  /** The session's market view at the clock. */
  readonly market: MarketView;
  /** The session's cash, positions and this bar's orders (book.ts); trade tools fill against it. */
  readonly book: SessionBook;
  readonly rules: SessionTradingRules;
  /** The bar's decision: its orders carry it. */
  readonly decisionId: string;
  /** The session's bar interval: get_bars' default. */
  readonly interval: BarInterval;
  /** A short read as the user (news, an order stored by an earlier run): one transaction, held for that read only. */
  readonly read: <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;
  /** Optional news view; by default the `news` table through the news gate at `clock`. */
  readonly news?: NewsView;
}
