import { tool, type ToolSet } from "ai";
import {
  toolInputSchemas,
  type BarOutput,
  type PortfolioOutput,
  type TradeOutput,
  type TradingToolName,
} from "@/lib/agent/tool-contract";

/**
 * A tiny in-memory desk for testing the built-ins through `generateText`: contract-shaped tool results,
 * fills at the last close with no fee, cash checks like the engine's (rejected, never negative).
 */

export const CLOCK = "2025-10-30T14:00:00.000Z";
const DAY = 86_400_000;

/** 30 daily closes per symbol, oldest first, ending the day before CLOCK. */
export function closesFixture(): Record<string, number[]> {
  const n = 30;
  const range = (f: (i: number) => number) => Array.from({ length: n }, (_, i) => Math.round(f(i) * 100) / 100);
  return {
    AAA: range((i) => 100 + i), // steady climb: +~24% over 20 bars
    BBB: range((i) => (i < n - 1 ? 50 + (i % 2) * 0.5 : 45)), // flat, then a sharp dip (z ≪ −1.5)
    CCC: range((i) => 80 - i * 0.5), // falling
    DDD: range((i) => 20 + i * 0.4), // climbing fast: +~45% over 20 bars
    EEE: range((i) => 40 + (i % 3) * 0.1 + (i === n - 1 ? 3 : 0)), // flat, then a spike (z ≫ +1.5)
  };
}

export interface DeskState {
  cash: number;
  positions: Record<string, number>;
  closes: Record<string, number[]>;
  calls: { toolName: string; toolCallId: string; input: unknown }[];
  /** Make every trade rejected (e.g. to test the final text). */
  rejectAll?: boolean;
  failBarsFor?: string[];
  failPortfolio?: boolean;
}

export function createDesk(over: Partial<DeskState> = {}): DeskState {
  return { cash: 100_000, positions: {}, closes: closesFixture(), calls: [], ...over };
}

const last = (xs: number[]) => xs[xs.length - 1]!;
const money = (n: number) => n.toFixed(2);

export function portfolioOf(d: DeskState): PortfolioOutput {
  const positions = Object.entries(d.positions)
    .filter(([, q]) => q !== 0)
    .map(([symbol, quantity]) => {
      const price = last(d.closes[symbol]!);
      return { symbol, quantity, averageCost: money(price), marketValue: money(quantity * price), unrealizedPnl: "0.00" };
    });
  const equity = d.cash + positions.reduce((a, p) => a + Number(p.marketValue), 0);
  return { cash: money(d.cash), equity: money(equity), positions, universe: Object.keys(d.closes) };
}

function barsOf(d: DeskState, symbol: string, limit: number): BarOutput[] {
  const closes = d.closes[symbol];
  if (!closes) throw new Error(`NOT_IN_UNIVERSE: ${symbol} is not in this session's universe (${Object.keys(d.closes).join(", ")})`);
  const start = Date.parse(CLOCK) - closes.length * DAY;
  return closes
    .map((c, i) => ({ t: new Date(start + i * DAY).toISOString(), o: c, h: c, l: c, c, v: 1000 }))
    .slice(-limit);
}

function trade(d: DeskState, side: TradingToolName, symbol: string, quantity: number, id: string): TradeOutput {
  const base = { orderId: `order-${id}`, symbol, side, quantity, duplicate: false };
  const price = last(d.closes[symbol] ?? [0]);
  const held = d.positions[symbol] ?? 0;
  if (d.rejectAll || (side === "buy" && quantity * price > d.cash)) {
    return { ...base, status: "rejected", rejectCode: "INSUFFICIENT_CASH", message: `need ${money(quantity * price)}, have ${money(d.cash)}` };
  }
  if (side === "sell" && quantity > held) {
    return { ...base, status: "rejected", rejectCode: "INSUFFICIENT_SHARES", message: `hold ${held} ${symbol}` };
  }
  const sign = side === "buy" || side === "cover" ? 1 : -1;
  d.cash -= sign * quantity * price;
  d.positions[symbol] = held + sign * quantity;
  return { ...base, status: "filled", price: money(price), fee: "0.00", message: `${side} ${quantity} ${symbol} filled` };
}

export function deskTools(d: DeskState): ToolSet {
  const record = (toolName: string, toolCallId: string, input: unknown) => d.calls.push({ toolName, toolCallId, input });
  const tradeTool = (side: TradingToolName) =>
    tool({
      description: side,
      inputSchema: toolInputSchemas[side],
      execute: async (input, { toolCallId }) => {
        record(side, toolCallId, input);
        return trade(d, side, input.symbol.toUpperCase(), input.quantity, toolCallId);
      },
    });
  return {
    get_portfolio: tool({
      description: "portfolio",
      inputSchema: toolInputSchemas.get_portfolio,
      execute: async (input, { toolCallId }) => {
        record("get_portfolio", toolCallId, input);
        if (d.failPortfolio) throw new Error("database unavailable");
        return portfolioOf(d);
      },
    }),
    get_bars: tool({
      description: "bars",
      inputSchema: toolInputSchemas.get_bars,
      execute: async (input, { toolCallId }) => {
        record("get_bars", toolCallId, input);
        const symbol = input.symbol.toUpperCase();
        if (d.failBarsFor?.includes(symbol)) throw new Error(`NO_DATA: no bars for ${symbol}`);
        return { symbol, interval: input.interval ?? "day", bars: barsOf(d, symbol, input.limit ?? 50) };
      },
    }),
    get_quote: tool({
      description: "quote",
      inputSchema: toolInputSchemas.get_quote,
      execute: async (input, { toolCallId }) => {
        record("get_quote", toolCallId, input);
        const symbol = input.symbol.toUpperCase();
        const closes = d.closes[symbol];
        if (!closes) throw new Error(`NOT_IN_UNIVERSE: ${symbol}`);
        return { symbol, price: last(closes), at: CLOCK, basis: "open" as const, derived: false, source: "synthetic" };
      },
    }),
    buy: tradeTool("buy"),
    sell: tradeTool("sell"),
    short: tradeTool("short"),
    cover: tradeTool("cover"),
  };
}

export function decisionPrompt(universe = ["AAA", "BBB", "CCC", "DDD", "EEE"], clock = CLOCK): string {
  return `Clock: ${clock}\nInterval: day\nUniverse: ${universe.join(", ")}\nDecide what to trade at this bar.`;
}
