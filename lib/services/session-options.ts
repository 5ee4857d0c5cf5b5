import "server-only";
import { randomUUID } from "node:crypto";
import { getDb, type Db, type Tx } from "@/lib/db/client";
import { getTradingSessionById } from "@/lib/db/queries/sessions";
import { withUser } from "@/lib/db/rls";
import { AppError, notFound } from "@/lib/errors";
import type { OptionChainOutput } from "@/lib/agent/tool-contract";
import type { TradingContext } from "@/lib/trading/context";
import { createToolRuntime } from "@/lib/trading/tools";
import { createGetOptionChainTool } from "@/lib/trading/tools/get-option-chain";
import { portfolioOptionsOutput } from "@/lib/trading/tools/option-output";
import { readOptionGreeks, readOptionMargin } from "@/lib/trading/tools/portfolio";
import { moneyToNumber } from "@/lib/engine";
import type { OptionChainView, OptionGreeksView } from "@/lib/viewer/types";
import type { UserContext } from "./context";
import { assertId } from "./ids";
import { sessionClockOf, sessionContextIn } from "./session-at-clock";

/**
 * What the session viewer shows of options (docs/ui.md, "Options"): the Greeks of the contracts held and a modelled
 * chain, both at the session's clock as a reader sees it (its last processed bar), in one short transaction as the
 * user. A reader's context places nothing and records nothing: unlike the REST routes an outside agent uses, which in
 * a session it drives run on its turn and are recorded there, the viewer's refreshes never touch a turn.
 */

async function atReaderClock<T>(ctx: UserContext, sessionId: string, fn: (c: TradingContext) => Promise<T>, db: Db): Promise<T> {
  assertId(sessionId, "Session");
  return withUser(
    ctx.claims,
    async (tx: Tx) => {
      const s = await getTradingSessionById(tx, { id: sessionId, userId: ctx.userId });
      if (!s) throw notFound("Session");
      const clock = sessionClockOf(s);
      if (!clock) throw new AppError("conflict", "SESSION_HAS_NO_BARS", "this session has no bars, so there is no clock to model options at");
      const c = await sessionContextIn(tx, {
        userId: ctx.userId,
        claims: ctx.claims,
        modelId: s.modelId,
        sessionId: s.id,
        interval: s.interval,
        universe: s.symbols,
        clock,
        settings: s.settings,
      });
      return fn(c);
    },
    db,
  );
}

/** The Greeks of the session's open contracts at its clock (get_portfolio's `options`, with the chain's rate); null when none is held. */
export async function getSessionOptionGreeks(ctx: UserContext, sessionId: string, db: Db = getDb()): Promise<OptionGreeksView | null> {
  return atReaderClock(
    ctx,
    sessionId,
    async (c) => {
      const [g, margin] = await Promise.all([readOptionGreeks(c), readOptionMargin(c)]);
      if (!g) return null;
      const view: OptionGreeksView = { ...portfolioOptionsOutput(g), rate: g.rate, dividendYield: g.dividendYield };
      return margin ? { ...view, margin: { requirement: moneyToNumber(margin.requirement), excess: moneyToNumber(c.book.cash - margin.requirement) } } : view;
    },
    db,
  );
}

/** Rows of one expiry the chain view lists: the default 10 strikes below the price and 10 at or above, calls and puts. */
const CHAIN_ROWS = 40;

/** One expiry of an underlying's modelled chain at the session's clock (get_option_chain's answer): the nearest when none is named. */
export async function getSessionOptionChain(
  ctx: UserContext,
  sessionId: string,
  { underlying, expiry }: { underlying: string; expiry: string | null },
  db: Db = getDb(),
): Promise<OptionChainView> {
  // A day that is no day is refused; a real day the chain does not list (one that expired while the panel showed it)
  // falls back to the nearest listed expiry.
  if (expiry !== null && !isCalendarDay(expiry)) {
    throw new AppError("reject", "INVALID_REQUEST", `expiry must be a day "YYYY-MM-DD", e.g. "2025-10-17", got ${JSON.stringify(expiry.slice(0, 40))}`);
  }
  return atReaderClock(
    ctx,
    sessionId,
    async (c) => {
      const tool = createGetOptionChainTool(c, createToolRuntime());
      const run = (input: Record<string, unknown>) =>
        tool.execute!(input as never, { toolCallId: randomUUID(), messages: [], context: undefined as never }) as Promise<OptionChainOutput>;
      // The nearest expiry first, to know the listed ones; then the one asked for, if another.
      const first = await run({ underlying, limit: CHAIN_ROWS });
      const wanted = expiry && first.expiries.some((e) => e.expiry === expiry) ? expiry : (first.expiries[0]?.expiry ?? "");
      const chain = wanted === first.contracts[0]?.expiry ? first : await run({ underlying, expiry: wanted, limit: CHAIN_ROWS });
      return {
        underlying: chain.underlying,
        underlyingPrice: chain.underlyingPrice,
        at: chain.at,
        source: chain.source,
        expiries: first.expiries.map((e) => ({ expiry: e.expiry, kind: e.kind })),
        expiry: wanted,
        contracts: chain.contracts.map((r) => ({ symbol: r.symbol, expiry: r.expiry, right: r.right, strike: r.strike, bid: r.bid, ask: r.ask, mid: r.mid, iv: r.iv, delta: r.delta })),
      };
    },
    db,
  );
}

function isCalendarDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}
