import { EXERCISE_THRESHOLD, failure, formatPrice, inTheMoney, parseOccSymbol, priceToMoney, remainingQuantity, settleExpiries, type EngineFailure } from "@/lib/engine";
import type { MarketView } from "@/lib/market";
import type { PlacedOrder } from "./book";
import { bookSettlementFill, deliveryProblem } from "./delivery";
import { uuidFrom } from "./ids";
import { placedBefore, reject, type BookOrderContext } from "./place-order";

/** An early exercise as the tool takes it (lib/agent/option-tool-contract.ts, exercise_option), checked for shape. */
export interface ExerciseInput {
  readonly symbol: string;
  readonly quantity: number;
}

/** The contract's close (at 0, reason exercised) and the shares delivered at the strike; or the refused request alone. */
export interface Exercised {
  readonly order: PlacedOrder;
  readonly deliveries: readonly PlacedOrder[];
}

/**
 * exercise_option (issue #23 item 4): a model exercises contracts it holds long before expiry, at the clock (American
 * exercise; the modelled chain prices American contracts). As at expiry (settle-expiries.ts), the contracts close at 0
 * and 100 shares a contract change hands at the strike, no fee: a call buys them, a put sells them (shares held first,
 * then short, which needs shorting and margin). Refused in words, as a rejected order and nothing else: a contract not
 * held long or fewer than asked, one not in the money by $0.01 at the underlying's price now (exercising it would
 * trade worse than the market: sell it instead), a delivery the cash or shares cannot take. The same key answers the
 * first result. Early assignment of written contracts is not modelled (docs/trading.md).
 */
export async function exerciseOptionOnBook(ctx: BookOrderContext & { market: MarketView }, input: ExerciseInput, key: string, request: string): Promise<Exercised> {
  const again = await placedBefore(ctx, key);
  if (again) {
    const deliveries: PlacedOrder[] = [];
    for (let n = 1; ; n++) {
      const d = await placedBefore(ctx, `${key}:${n}`);
      if (!d) break;
      deliveries.push(d);
    }
    return { order: again, deliveries };
  }
  const { book } = ctx;
  const placedAt = ctx.clock.now();
  const base = { id: uuidFrom(`order:${ctx.sessionId}:${key}`), idempotencyKey: key, decisionId: ctx.decisionId, placedAt, request };
  // Contracts promised to working sales (sell_to_close limits) are not there to exercise.
  const promised = book.working().filter((o) => o.symbol === input.symbol && o.side === "sell").reduce((n, o) => n + remainingQuantity(o), 0);
  const held = (book.positions.get(input.symbol)?.quantity ?? 0) - promised;
  const order = { symbol: input.symbol, side: "sell" as const, quantity: input.quantity, type: "market" as const };
  const refuse = (e: EngineFailure): Exercised => ({ order: reject(book, base, order, e), deliveries: [] });

  const parsed = parseOccSymbol(input.symbol);
  if (!parsed.ok) return refuse(parsed.error);
  const contract = parsed.value;
  if (held < input.quantity) {
    const of = promised > 0 ? ` not promised to working sales (${promised} ${promised === 1 ? "is" : "are"})` : "";
    const have = held > 0 ? `you hold ${held} ${input.symbol} long${of}` : held < 0 && promised === 0 ? `you are short ${-held} ${input.symbol}: written contracts are assigned, not exercised` : `you hold no ${input.symbol}${of}`;
    return refuse(failure(held < 0 ? "POSITION_CONFLICT" : "INSUFFICIENT_SHARES", `cannot exercise ${input.quantity}: ${have}`));
  }
  const quote = await ctx.market.quote(contract.underlying).catch((e: unknown) => {
    if ((e as { code?: unknown }).code === "NO_DATA") return null;
    throw e;
  });
  if (!quote || quote.basis === "close") return refuse(failure("MARKET_CLOSED", `${contract.underlying} has no price now: contracts are exercised at the open of a bar`));
  const spot = priceToMoney(quote.price, contract.underlying);
  const itm = inTheMoney(contract, spot);
  if (itm < EXERCISE_THRESHOLD) {
    return refuse(
      failure(
        "INVALID_REQUEST",
        `${input.symbol} is not in the money: ${contract.underlying} is at ${formatPrice(spot)}, the strike is ${formatPrice(contract.strike)}; exercising would ${contract.right === "call" ? "buy above" : "sell below"} the market (sell the contract with place_option_order sell_to_close instead)`,
      ),
    );
  }
  const shares = book.positions.get(contract.underlying)?.quantity ?? 0;
  const [settlement] = settleExpiries([{ contract, quantity: input.quantity }], spot, shares);
  const [close, ...delivery] = settlement!.fills;
  const problem = await deliveryProblem(ctx, input.symbol, delivery);
  if (problem) return refuse({ code: problem.code, message: `exercising ${input.quantity} ${input.symbol} delivers ${delivery.map((f) => `${f.side} ${f.quantity} ${f.symbol} at ${formatPrice(f.price)}`).join(" and ")}, which this account cannot take: ${problem.message}` });

  const as = (n: number) => ({ key: n === 0 ? key : `${key}:${n}`, decisionId: ctx.decisionId, placedAt, reason: "exercised", request: n === 0 ? request : null });
  return {
    order: bookSettlementFill(ctx, close!, as(0)),
    deliveries: delivery.map((f, i) => bookSettlementFill(ctx, f, as(i + 1))),
  };
}
