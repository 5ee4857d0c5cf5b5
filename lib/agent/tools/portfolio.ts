import "server-only";
import { getSessionHoldings, type SessionHoldings } from "@/lib/db/queries/positions";
import { averageCost, parseMoney, priceToMoney, type Money } from "@/lib/engine";
import { notFound } from "@/lib/errors";
import type { PortfolioOutput } from "../tool-contract";
import type { AgentContext } from "./context";
import { ToolError } from "./errors";
import { dollarsText } from "./format";

export interface PortfolioPosition {
  symbol: string;
  quantity: number;
  averageCost: Money;
  price: Money;
  marketValue: Money;
  unrealizedPnl: Money;
}

export interface PortfolioSnapshot {
  cash: Money;
  equity: Money;
  positions: PortfolioPosition[];
}

/**
 * The holdings read per context (one decision, one transaction), until a trade tool runs: the prompt and
 * the get_portfolio call of the same decision share one read, and every order forgets it.
 */
const holdingsRead = new WeakMap<AgentContext, Promise<SessionHoldings | undefined>>();

export function forgetHoldings(ctx: AgentContext): void {
  holdingsRead.delete(ctx);
}

function holdingsOf(ctx: AgentContext): Promise<SessionHoldings | undefined> {
  let read = holdingsRead.get(ctx);
  if (!read) {
    read = getSessionHoldings(ctx.db, { sessionId: ctx.sessionId, userId: ctx.userId });
    holdingsRead.set(ctx, read);
    read.catch(() => forgetHoldings(ctx));
  }
  return read;
}

/**
 * The account of ctx's session, marked to the latest prices the clock allows. Reads through ctx.db (the
 * caller's transaction, as the user); the session must be ctx's user's and model's.
 */
export async function readPortfolio(ctx: AgentContext): Promise<PortfolioSnapshot> {
  const account = await holdingsOf(ctx);
  if (!account || account.modelId !== ctx.modelId) throw notFound("Trading session");
  const positions = await Promise.all(
    account.positions.map(async (p): Promise<PortfolioPosition> => {
      const quote = await ctx.market.quote(p.symbol).catch((err: unknown) => {
        throw new ToolError("MISSING_PRICE", `cannot value ${p.quantity} ${p.symbol}: ${(err as Error).message}`);
      });
      const price = priceToMoney(quote.price);
      const costBasis = parseMoney(p.costBasis);
      const position = { symbol: p.symbol, quantity: p.quantity, costBasis, realizedPnl: 0n, feesPaid: 0n };
      const marketValue = BigInt(p.quantity) * price;
      return { symbol: p.symbol, quantity: p.quantity, averageCost: averageCost(position) ?? 0n, price, marketValue, unrealizedPnl: marketValue - costBasis };
    }),
  );
  const cash = parseMoney(account.cash);
  const equity = positions.reduce((sum, p) => sum + p.marketValue, cash);
  return { cash, equity, positions };
}

/** The contract's get_portfolio result. */
export function portfolioOutput(p: PortfolioSnapshot, universe: readonly string[]): PortfolioOutput {
  return {
    cash: dollarsText(p.cash),
    equity: dollarsText(p.equity),
    positions: p.positions.map((x) => ({
      symbol: x.symbol,
      quantity: x.quantity,
      averageCost: dollarsText(x.averageCost),
      marketValue: dollarsText(x.marketValue),
      unrealizedPnl: dollarsText(x.unrealizedPnl),
    })),
    universe: [...universe],
  };
}
