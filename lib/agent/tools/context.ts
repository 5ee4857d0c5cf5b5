import type { Tx } from "@/lib/db/client";
import type { Claims } from "@/lib/db/rls";
import type { Clock, MarketView } from "@/lib/market";
import type { NewsView } from "@/lib/market/news";
import type { BarInterval } from "../tool-contract";

/**
 * The explicit context every agent tool closes over (docs/agent.md). Built by the caller (the session
 * runner) from the authenticated user and the session, never from tool input. No tool has a parameter
 * that could name another model, user, session or time.
 */
export interface AgentContext {
  readonly userId: string;
  readonly modelId: string;
  readonly sessionId: string;
  /** The verified claims of `userId`; `db` already acts as them (withUser). */
  readonly claims: Claims;
  /** The session clock: the only "now". */
  readonly clock: Clock;
  /** The session's market view at the clock (lib/market createMarketView). */
  readonly market: MarketView;
  /**
   * ONE transaction already running as the user (withUser). Tools write through it and never open
   * their own, so the caller can commit a bar's decision, orders and bookkeeping together.
   */
  readonly db: Tx;
  /** Chosen before the tool loop runs: orders carry it, the decisions row gets it. */
  readonly decisionId: string;
  /** The session's bar interval: get_bars' default. */
  readonly interval: BarInterval;
  /** Optional news view; by default the `news` table through the news gate at `clock`. */
  readonly news?: NewsView;
}
