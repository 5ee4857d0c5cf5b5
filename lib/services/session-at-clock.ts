import "server-only";
import { randomUUID } from "node:crypto";
import type { BarInterval } from "@/lib/agent/tool-contract";
import type { Tx } from "@/lib/db/client";
import type { TradingSessionRow } from "@/lib/db/queries/sessions";
import type { Claims } from "@/lib/db/rls";
import { createMarketView } from "@/lib/market";
import type { TradingContext } from "@/lib/trading/context";
import { loadBook } from "@/lib/trading/load-book";
import { parseTradingSettings } from "@/lib/trading/trading-settings";
import { createDbBarSource } from "./market-data/bar-source";

/**
 * A session seen from outside its runner (the chat, an outside agent over MCP): its book as committed, its market
 * view, at one clock. What it is bound to comes from the authenticated request or the token, never from tool input.
 */
export interface SessionAtClock {
  userId: string;
  claims: Claims;
  modelId: string;
  sessionId: string;
  interval: BarInterval;
  universe: readonly string[];
  clock: Date;
  /** The session's trading settings as stored (its rules). */
  settings: unknown;
}

/** The session's "now" for readers outside its runner: its last processed bar; before it starts, its first bar; null: no bars. */
export function sessionClockOf(session: Pick<TradingSessionRow, "schedule" | "cursor">): Date | null {
  const schedule = session.schedule ?? [];
  const at = session.cursor > 0 ? schedule[Math.min(session.cursor, schedule.length) - 1] : schedule[0];
  return at ? new Date(at) : null;
}

/**
 * A real trading context over `tx` (one short transaction as the user): the session's book as committed, the market
 * view at `c.clock`. Readers build one per tool call and hold no transaction between calls. The decision id is fresh:
 * such a context places no order that a bar would commit.
 */
export async function sessionContextIn(tx: Tx, c: SessionAtClock): Promise<TradingContext> {
  const clock = { now: () => c.clock };
  return {
    userId: c.userId,
    claims: c.claims,
    modelId: c.modelId,
    sessionId: c.sessionId,
    interval: c.interval,
    clock,
    decisionId: randomUUID(),
    rules: parseTradingSettings(JSON.stringify(c.settings ?? {})),
    market: createMarketView({ clock, universe: c.universe, source: createDbBarSource(tx), intervals: [c.interval] }),
    book: await loadBook(tx, { sessionId: c.sessionId, userId: c.userId, modelId: c.modelId }),
    read: (fn) => fn(tx),
  };
}
