import "server-only";
import { accountMargin, averageCost, isOccSymbol, marginSymbols, notional, type AccountMargin, type Money } from "@/lib/engine";
import { marksFor } from "../order-prices";
import type { PortfolioPosition } from "@/lib/agent/decision/prompt";
import type { PortfolioOutput } from "@/lib/agent/tool-contract";
import type { TradingContext } from "../context";
import { fromUnknown } from "@/lib/errors";
import { reservedNow } from "../book-prices";
import { markOf } from "../option-prices";
import { bookOptionGreeks, type BookOptionGreeks } from "../option-greeks";
import { portfolioOptionsOutput } from "./option-output";
import { ToolError } from "./errors";
import { dollarsText } from "./format";

export type { PortfolioPosition };

export interface PortfolioSnapshot {
  cash: Money;
  equity: Money;
  positions: PortfolioPosition[];
  /** Cash the working orders hold back (reservations.ts); absent when none works. */
  cashHeldByOrders?: Money;
}

/** The account of ctx's session as its book holds it, marked to the latest prices the clock allows. */
export async function readPortfolio(ctx: TradingContext): Promise<PortfolioSnapshot> {
  const positions = await Promise.all(
    ctx.book.openPositions().map(async (p): Promise<PortfolioPosition> => {
      // A stock at its quote, a contract at its modelled mid (option-prices.ts).
      const price = await markOf(ctx.market, p.symbol).catch((err: unknown) => {
        throw new ToolError("MISSING_PRICE", `cannot value ${p.quantity} ${p.symbol}: ${(err as Error).message}`, fromUnknown(err).kind, { cause: err });
      });
      const marketValue = notional(p.quantity, price, p.symbol);
      return { symbol: p.symbol, quantity: p.quantity, averageCost: averageCost(p) ?? 0n, price, marketValue, unrealizedPnl: marketValue - p.costBasis };
    }),
  );
  const { cash } = ctx.book;
  const equity = positions.reduce((sum, p) => sum + p.marketValue, cash);
  if (ctx.book.working().length === 0) return { cash, equity, positions };
  const held = await reservedNow(ctx.market, ctx.book, ctx.rules);
  return { cash, equity, positions, cashHeldByOrders: held?.cash ?? 0n };
}

/** The Greeks of ctx's open contracts at its clock (option-greeks.ts); null when none is held. A contract the chain cannot quote: MISSING_PRICE, as readPortfolio says it. */
export async function readOptionGreeks(ctx: TradingContext): Promise<BookOptionGreeks | null> {
  return bookOptionGreeks(ctx.market, ctx.book.openPositions()).catch((err: unknown) => {
    throw new ToolError("MISSING_PRICE", `cannot model the Greeks of the contracts held: ${(err as Error).message}`, fromUnknown(err).kind, { cause: err });
  });
}

/**
 * What the shorts require now while contracts are written (lib/engine/account-margin.ts, re-marked at the clock); null
 * without written contracts (a book without them answers as it always did).
 */
export async function readOptionMargin(ctx: TradingContext): Promise<AccountMargin | null> {
  const positions = ctx.book.openPositions();
  if (!positions.some((p) => p.quantity < 0 && isOccSymbol(p.symbol))) return null;
  const margin = accountMargin(positions, await marksFor(ctx.market, marginSymbols(positions)), ctx.rules.settings);
  if (!margin.ok) throw new ToolError("MISSING_PRICE", `cannot value the margin of the shorts: ${margin.error.message}`);
  return margin.value;
}

/** The contract's get_portfolio result; `options` only while contracts are held, `margin` while some are written (an equity book's answer is as before). */
export function portfolioOutput(p: PortfolioSnapshot, universe: readonly string[], options: BookOptionGreeks | null = null, margin: AccountMargin | null = null): PortfolioOutput {
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
    ...(p.cashHeldByOrders === undefined ? {} : { cashHeldByOrders: dollarsText(p.cashHeldByOrders) }),
    ...(options === null ? {} : { options: portfolioOptionsOutput(options) }),
    ...(margin === null
      ? {}
      : {
          margin: {
            requirement: dollarsText(margin.requirement),
            excess: dollarsText(p.cash - margin.requirement),
            lines: margin.lines.map((l) => ({ symbol: l.symbol, kind: l.kind, quantity: l.quantity, requirement: dollarsText(l.requirement) })),
          },
        }),
  };
}
