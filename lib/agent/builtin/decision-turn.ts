import { isTradingToolName } from "../tool-contract";
import { narrateDecision } from "./narrate";
import type { ParsedPrompt } from "./prompt";
import { textReply, type Reply } from "./reply";
import { buildSnapshot, MAX_SYMBOLS, readPortfolio, symbolOf } from "./snapshot";
import type { Strategy } from "./types";

export interface TurnInput<P> {
  parsed: ParsedPrompt & { clock: string };
  strategy: Strategy<P>;
  modelId: string;
  params: P;
  paramNote: string | null;
  seed: number;
  /** Tools offered to the model on this call. */
  tools: ReadonlySet<string>;
}

/** Decision prompt: gather (portfolio + bars) → trade → explain. Each call looks at what the turn already has. */
export function decisionTurn<P>(t: TurnInput<P>): Reply {
  const { parsed, strategy, params } = t;
  const note = t.paramNote ? `${t.paramNote} ` : "";
  const barsCall = (symbol: string) => ({
    toolName: "get_bars",
    input: {
      symbol,
      limit: Math.min(500, Math.max(2, strategy.barsNeeded(params))),
      ...(parsed.interval ? { interval: parsed.interval } : {}),
    },
  });

  const portfolioCall = parsed.calls.find((c) => c.name === "get_portfolio");
  if (!portfolioCall) {
    const missing = ["get_portfolio", "get_bars"].filter((n) => !t.tools.has(n));
    if (missing.length > 0) return textReply(`${note}I need the ${missing.join(" and ")} tools to decide, and they were not offered. No trades.`);
    const symbols = (parsed.universe ?? []).slice(0, MAX_SYMBOLS);
    return { kind: "tool-calls", calls: [{ toolName: "get_portfolio", input: {} }, ...symbols.map(barsCall)], warnings: [] };
  }

  const portfolio = readPortfolio(parsed.results.find((r) => r.id === portfolioCall.id));
  if (!portfolio.ok) return textReply(`${note}I could not read the portfolio (${portfolio.error}), so I made no trades this bar.`);

  const symbols = (parsed.universe ?? portfolio.value.universe.map((s) => s.toUpperCase())).slice(0, MAX_SYMBOLS);
  const barCalls = parsed.calls.filter((c) => c.name === "get_bars");
  if (barCalls.length === 0 && symbols.length > 0 && parsed.step < 8) {
    return { kind: "tool-calls", calls: symbols.map(barsCall), warnings: [] };
  }

  const snapshot = buildSnapshot(parsed, parsed.clock, symbols, portfolio.value);
  const decision = strategy.decide(snapshot, params, { seed: t.seed });
  const tradeCalls = parsed.calls.filter((c) => isTradingToolName(c.name));
  if (tradeCalls.length === 0 && parsed.step < 8) {
    const orders = decision.orders.filter((o) => t.tools.has(o.side));
    if (orders.length > 0) {
      return {
        kind: "tool-calls",
        calls: orders.map((o) => ({ toolName: o.side, input: { symbol: o.symbol, quantity: o.quantity } })),
        warnings: [],
      };
    }
  }
  return textReply(
    narrateDecision({
      modelId: t.modelId,
      rule: strategy.rule(params),
      paramNote: t.paramNote,
      snapshot,
      decision,
      tradeCalls: tradeCalls.map((c) => ({ call: c, symbol: symbolOf(c.input), result: parsed.results.find((r) => r.id === c.id) })),
      tools: t.tools,
    }),
  );
}
