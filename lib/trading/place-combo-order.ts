import {
  checkCombo,
  EngineError,
  failure,
  flatPosition,
  applyFillToPosition,
  formatMoney,
  marginSymbols,
  toDecimalString,
  netPriceProblem,
  parseLegs,
  MAX_PRICE_NUMBER,
  priceToMoney,
  recognizeStrategy,
  sideOfIntent,
  sideSign,
  strategyProfile,
  type EngineFailure,
  type Money,
  type OrderSide,
  type ParsedLeg,
  type PositionIntent,
  type ProposedFill,
  underlyingOf,
} from "@/lib/engine";
import type { MarketView } from "@/lib/market";
import type { BookFill, BookOrder, ComboState, PlacedOrder } from "./book";
import { reservedNow } from "./book-prices";
import { uuidFrom } from "./ids";
import { optionQuoteOn } from "./option-prices";
import { marksFor } from "./order-prices";
import { placedBefore, type BookOrderContext } from "./place-order";

const CENT = 10_000n;

/** A multi-leg order as place_order takes it with `orderClass: "mleg"` (Alpaca's shape, camelCase). */
export interface ComboOrderInput {
  readonly legs: readonly { symbol: string; side: "buy" | "sell"; ratio: number; positionIntent?: PositionIntent }[];
  /** Strategy units: each leg trades ratio × quantity. */
  readonly quantity: number;
  readonly type?: "market" | "limit";
  /** Per share of one unit, signed: + the most you pay (a debit), − the least you receive (a credit). */
  readonly limitPrice?: number;
  readonly timeInForce?: "day" | "gtc";
}

/** A leg with what it trades now: its side on the book, contracts (or shares), the price it fills at and its mark. */
interface PricedLeg {
  readonly leg: ParsedLeg;
  readonly side: OrderSide;
  readonly quantity: number;
  readonly price: Money;
  readonly mark: Money;
}

/**
 * A multi-leg order (issue #24; docs/trading.md, "Multi-leg orders") on the session's book, ALL OR NONE at the clock: the
 * legs are checked (engine parseLegs: 2 to 4 legs, whole ratios in lowest terms, one underlying), the shape recognised
 * (recognizeStrategy), each leg priced at the quote now (buys at the ask, sales at the bid; a stock leg at its price),
 * and the net per share of one unit compared with the limit; then the engine checks every leg and the cash and margin of
 * all of them together (checkCombo: the account's margin after the whole strategy, spreads paired). Filled: one parent
 * order (class mleg: the underlying, the units, the net limit, the strategy and its profile) and one filled order per
 * leg, in one bar's commit. Refused: the parent alone, rejected in words, no leg. A limit the quotes do not reach now
 * is refused (COMBO_NOT_MARKETABLE): multi-leg orders do not work across bars yet.
 */
export async function placeComboOrderOnBook(ctx: BookOrderContext & { market: MarketView }, input: ComboOrderInput, key: string, request: string): Promise<PlacedOrder> {
  const { book } = ctx;
  const again = await placedBefore(ctx, key);
  if (again) return again;

  const placedAt = ctx.clock.now();
  const id = uuidFrom(`order:${ctx.sessionId}:${key}`);
  const type = input.type ?? "market";
  const timeInForce = input.timeInForce ?? "day";
  const limit = signedMoney(input.limitPrice);
  const parent = (status: "filled" | "rejected", strategy: Record<string, unknown>, underlying: string | null, e?: EngineFailure): BookOrder => ({
    id,
    idempotencyKey: key,
    decisionId: ctx.decisionId,
    symbol: underlying,
    side: null,
    quantity: input.quantity,
    status,
    referencePrice: null,
    rejectCode: e?.code ?? null,
    rejectMessage: e?.message ?? null,
    request,
    placedAt,
    combo: { type, timeInForce, netLimit: type === "limit" ? limit : null, strategy } satisfies ComboState,
  });
  const refuse = (e: EngineFailure, strategy: Record<string, unknown> = {}, underlying: string | null = null) => book.record(parent("rejected", strategy, underlying, e), null);

  if (type !== "market" && type !== "limit") return refuse(failure("INVALID_ORDER_TYPE", `a multi-leg order is a market or a limit order (a net price), not ${String(type)}`));
  if (type === "market" && input.limitPrice !== undefined) return refuse(failure("INVALID_ORDER_PRICE", "a market multi-leg order takes no limitPrice: send type \"limit\" to name a net price"));
  if (type === "limit" && (limit === null || limit === 0n || limit % CENT !== 0n)) {
    return refuse(failure("INVALID_ORDER_PRICE", `a multi-leg limit order needs a net limitPrice in whole cents per share of one unit, not 0: positive the most you pay (a debit), negative the least you receive (a credit); got ${input.limitPrice ?? "none"}`));
  }
  if (!Number.isSafeInteger(input.quantity) || input.quantity < 1) return refuse(failure("INVALID_QUANTITY", `quantity is the number of strategy units, a whole number ≥ 1; got ${input.quantity}`));

  const parsed = parseLegs(input.legs.map(({ symbol, side, ratio }) => ({ symbol, side, ratio })));
  if (!parsed.ok) return refuse(parsed.error);
  const legs = parsed.value;
  const underlying = underlyingOf(legs);
  const shape = recognizeStrategy(legs);
  const described = { name: shape.name, label: shape.label };
  if (!ctx.market.universe.includes(underlying)) {
    return refuse(failure("UNKNOWN_SYMBOL", `the legs' underlying ${underlying} is not in this session's universe (${ctx.market.universe.join(", ")})`), described, underlying);
  }
  if (limit !== null) {
    const wrongSign = netPriceProblem(legs, limit);
    if (wrongSign) return refuse(failure("INVALID_ORDER_PRICE", wrongSign), described, underlying);
  }

  // Each leg at the quote now: the side it trades on the book (its positionIntent), buys at the ask, sales at the bid.
  const priced: PricedLeg[] = [];
  for (const [i, leg] of legs.entries()) {
    const intent = input.legs[i]!.positionIntent;
    const side = sideOf(leg, intent, book.positions.get(leg.symbol)?.quantity ?? 0);
    if (!side.ok) return refuse(failure(side.error.code, `leg ${i + 1} (${leg.symbol}): ${side.error.message}`), described, underlying);
    const quantity = leg.ratio * input.quantity;
    const buying = side.value === "buy" || side.value === "buy_to_cover";
    try {
      if (leg.kind === "option") {
        const quote = await optionQuoteOn(ctx.market, leg.symbol);
        const price = buying ? quote.ask : quote.bid;
        if (price <= 0n) return refuse(failure("MARKET_CLOSED", `leg ${i + 1} (${leg.symbol}) has no bid now: it cannot be sold or written`), described, underlying);
        priced.push({ leg, side: side.value, quantity, price, mark: quote.mid });
      } else {
        const quote = await ctx.market.quote(leg.symbol);
        if (!quote || quote.basis === "close") return refuse(failure("MARKET_CLOSED", `${leg.symbol} does not trade now: nothing opens at this point of the session`), described, underlying);
        const price = priceToMoney(quote.price, leg.symbol);
        priced.push({ leg, side: side.value, quantity, price, mark: price });
      }
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (code === "INVALID_REQUEST" || code === "NO_DATA" || code === "NOT_ENOUGH_BARS") {
        return refuse(failure("MARKET_CLOSED", `leg ${i + 1} (${leg.symbol}): ${(e as Error).message}`), described, underlying);
      }
      throw e;
    }
  }
  const net = netPerUnit(priced);
  const profile = strategyProfile(legs, net);
  const strategy = { ...described, netPrice: toDecimalString(net), ...profileJson(profile) };
  if (limit !== null && net > limit) {
    return refuse(
      failure("COMBO_NOT_MARKETABLE", `the ${shape.label} trades at ${signed(net)} a share of one unit at the quotes now, worse than your limit, ${signed(limit)}; multi-leg orders fill now or not at all (they do not work across bars yet)`),
      strategy,
      underlying,
    );
  }

  // The margin check values every short after the strategy (and every written contract's underlying) at its mark now.
  const after = new Map([...book.positions].map(([s, p]) => [s, { symbol: s, quantity: p.quantity }]));
  for (const p of priced) after.set(p.leg.symbol, { symbol: p.leg.symbol, quantity: (after.get(p.leg.symbol)?.quantity ?? 0) + sideSign(p.side) * p.quantity });
  const legSymbols = new Set(priced.map((p) => p.leg.symbol));
  const marks = await marksFor(ctx.market, marginSymbols([...book.positions.values(), ...after.values()]).filter((s) => !legSymbols.has(s)));
  for (const p of priced) marks.set(p.leg.symbol, p.mark);
  const checked = checkCombo({
    legs: priced.map((p) => ({ symbol: p.leg.symbol, side: p.side, quantity: p.quantity, price: p.price })),
    label: shape.label,
    account: { cash: book.cash, positions: book.positions },
    marks,
    fees: ctx.rules.fees,
    symbols: new Set(priced.map((p) => p.leg.symbol)),
    settings: ctx.rules.settings,
    reserved: await reservedNow(ctx.market, book, ctx.rules),
  });
  if (!checked.ok) {
    const failed = EngineError.from(checked.error);
    if (failed.kind === "halt") throw failed;
    return refuse(checked.error, strategy, underlying);
  }
  return book.recordCombo(parent("filled", strategy, underlying), checked.value.map((f: ProposedFill, i: number) => legOrder(ctx, { key, parentId: id, placedAt, index: i, request }, f, book)));
}

/** A net price (signed dollars) in money; null when absent or not a finite amount within the price bounds (refused below). */
function signedMoney(price: number | undefined): Money | null {
  if (price === undefined || !Number.isFinite(price) || Math.abs(price) > MAX_PRICE_NUMBER) return null;
  const m = priceToMoney(Math.abs(price));
  return price < 0 ? -m : m;
}

/** A leg's side on the book: its positionIntent when given (required for contracts), else buy/sell of shares. */
function sideOf(leg: ParsedLeg, intent: PositionIntent | undefined, held: number) {
  if (intent !== undefined) return sideOfIntent(leg.side, intent);
  if (leg.kind === "option") return { ok: false as const, error: failure("INVALID_LEGS", `an option leg needs a positionIntent (buy_to_open, buy_to_close, sell_to_open or sell_to_close)`) };
  // Shares: a sale beyond what is held is a short, a purchase while short a cover.
  return { ok: true as const, value: (leg.side === "buy" ? (held < 0 ? "buy_to_cover" : "buy") : held > 0 ? "sell" : "sell_short") as OrderSide };
}

/** The net per share of one unit, + paid, − received: contracts at their price × ratio, shares at theirs × ratio / 100. */
function netPerUnit(legs: readonly PricedLeg[]): Money {
  let net = 0n;
  for (const p of legs) {
    const per = p.leg.kind === "option" ? p.price * BigInt(p.leg.ratio) : (p.price * BigInt(p.leg.ratio)) / 100n;
    net += p.side === "buy" || p.side === "buy_to_cover" ? per : -per;
  }
  return net;
}

function profileJson(p: ReturnType<typeof strategyProfile>) {
  return {
    maxProfit: p.maxProfit === null ? null : toDecimalString(p.maxProfit),
    maxLoss: p.maxLoss === null ? null : toDecimalString(p.maxLoss),
    breakevens: p.breakevens.map(toDecimalString),
    ...(p.note ? { note: p.note } : {}),
  };
}

const signed = (m: Money) => `${m < 0n ? "a credit of " : "a debit of "}${formatMoney(m < 0n ? -m : m)}`;

/** One leg's filled order: a child of the parent, its key derived from the parent's. */
function legOrder(
  ctx: BookOrderContext,
  p: { key: string; parentId: string; placedAt: Date; index: number; request: string },
  f: ProposedFill,
  book: BookOrderContext["book"],
): { order: BookOrder; fill: BookFill; position: ReturnType<typeof flatPosition> } {
  const key = `${p.key}#leg${p.index + 1}`;
  const id = uuidFrom(`order:${ctx.sessionId}:${key}`);
  const fillId = uuidFrom(`fill:${ctx.sessionId}:${key}`);
  const before = book.positions.get(f.symbol) ?? flatPosition(f.symbol);
  const applied = applyFillToPosition(before, { id: fillId, symbol: f.symbol, side: f.side, quantity: f.quantity, price: f.price, fee: f.fee });
  if (!applied.ok) throw EngineError.from(applied.error, "halt");
  return {
    order: {
      id,
      idempotencyKey: key,
      decisionId: ctx.decisionId,
      symbol: f.symbol,
      side: f.side,
      quantity: f.quantity,
      status: "filled",
      referencePrice: f.referencePrice,
      rejectCode: null,
      rejectMessage: null,
      request: null,
      placedAt: p.placedAt,
      comboParentId: p.parentId,
    },
    fill: {
      id: fillId,
      orderId: id,
      symbol: f.symbol,
      side: f.side,
      quantity: f.quantity,
      referencePrice: f.referencePrice,
      price: f.price,
      fee: f.fee,
      cashDelta: f.cashDelta,
      cashAfter: f.cashAfter,
      realizedPnl: applied.value.realizedPnl,
      quantityAfter: applied.value.position.quantity,
      filledAt: p.placedAt,
    },
    position: applied.value.position,
  };
}
