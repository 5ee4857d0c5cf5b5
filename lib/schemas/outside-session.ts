import { z } from "zod";

/**
 * What an outside agent sends to start or end its turn-by-turn session (MCP start_session and end_turn, REST
 * POST /api/v1/sessions/:id/advance; docs/mcp.md). Strict: an unknown field is refused in words. The shapes only:
 * start_session's fields are then checked with the very schema of every session request (lib/schemas/session.ts),
 * as a backtest of the token's model with driver "external".
 */
export const startSessionInputSchema = z
  .object({
    interval: z.enum(["day", "hour"], { error: 'interval must be "day" or "hour"' }).optional(),
    start: z.string({ error: "start must be a date as YYYY-MM-DD" }).optional(),
    end: z.string({ error: "end must be a date as YYYY-MM-DD" }).optional(),
    symbols: z.array(z.string({ error: "each symbol must be a ticker such as AAPL" }), { error: 'symbols must be a list of tickers, e.g. ["AAPL"]' }).optional(),
    label: z.string({ error: "label must be text" }).optional(),
    settings: z.record(z.string(), z.unknown(), { error: 'settings must be an object such as {"slippageBps": 5}' }).optional(),
  })
  .strict();
export type StartSessionInput = z.output<typeof startSessionInputSchema>;

/** end_turn takes nothing; REST advance may name the bar it ends (a retry then cannot end the next one). */
export const endTurnInputSchema = z.object({}).strict();
export const advanceInputSchema = z
  .object({ bar: z.number({ error: "bar must be the index of the bar whose turn to end (a whole number)" }).int("bar must be a whole number").min(0, "bar must be 0 or more").optional() })
  .strict();

export const START_SESSION_DESCRIPTION =
  "Start a backtest that you drive, as this token's model: the clock stands at its first bar until you call end_turn, and then at the next. At each bar use the session tools (get_quote, get_bars, get_portfolio, buy, sell, place_order, …): they act at that bar and see nothing after it. All fields are optional: interval (day or hour, default day), start and end (YYYY-MM-DD, default: the suggested range of the stored data), symbols (default: every imported symbol), label, settings (fees, slippage, shorting). Only for a token bound to no session; one session at a time per token.";
export const END_TURN_DESCRIPTION =
  "End your turn at the current bar of the session you drive: its working orders are matched, it is marked to market, the bar is recorded with your calls as its decision, and the clock moves to the next bar (at the last bar the session completes, with its metrics). Takes no arguments. Answers the bar ended, the next bar, progress and equity.";
