import {
  checkCombo,
  EngineError,
  failure,
  formatMoney,
  marginSymbols,
  toDecimalString,
  netPriceOf,
  netPriceProblem,
  parseLegs,
  MAX_PRICE_NUMBER,
  priceToMoney,
  recognizeStrategy,
  sideOfIntent,
  withLegs,
  strategyProfile,
  type EngineFailure,
  type Money,
  type OrderSide,
  type ParsedLeg,
  type Position,
  type PositionIntent,
  type ProposedFill,
  type Result,
  err,
  ok,
  underlyingOf,
} from "@/lib/engine";
import { createHash } from "node:crypto";
import { optionQuoteAt, type MarketView, type OptionChainRow } from "@/lib/market";
import type { BookOrder, ComboState, PlacedOrder } from "./book";
import { reservedNow } from "./book-prices";
import { uuidFrom } from "./ids";
import { quoteMoney, unpricedBecause } from "./option-prices";
import { marksFor } from "./order-prices";
import { placedBefore, recordFilled, type BookOrderContext } from "./place-order";

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

/**
 * A leg with what it trades now: its side on the book, contracts (or shares), the price it fills at, its quote and mark,
 * and an option leg's chain row at the clock (its Greeks and source) with the underlying's price it was priced at.
 */
export interface PricedLeg {
  readonly leg: ParsedLeg;
  readonly side: OrderSide;
  readonly quantity: number;
  readonly price: Money;
  readonly mark: Money;
  readonly bid: Money;
  readonly ask: Money;
  readonly row: OptionChainRow | null;
  readonly spot: number;
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
    // A limit refused for its price (0, not whole cents) is not stored as one: the row keeps the request.
    combo: { type, timeInForce, netLimit: type === "limit" && limit !== null && limit !== 0n && limit % CENT === 0n ? limit : null, strategy } satisfies ComboState,
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

  const legsNow = await priceLegs({ positions: book.positions, market: ctx.market }, legs, input.legs.map((l) => l.positionIntent), input.quantity);
  if (!legsNow.ok) return refuse(legsNow.error, described, underlying);
  const priced = legsNow.value;
  const net = netPriceOf(legs, (l) => priced.find((p) => p.leg === l)!.price);
  if (!net.ok) throw EngineError.from(net.error, "halt"); // every leg was priced above
  const profile = strategyProfile(legs, net.value);
  const strategy = { ...described, netPrice: toDecimalString(net.value), ...profileJson(profile) };
  if (limit !== null && net.value > limit) {
    return refuse(
      failure("COMBO_NOT_MARKETABLE", `the ${shape.label} trades at ${signed(net.value)} a share of one unit at the quotes now, worse than your limit, ${signed(limit)}; multi-leg orders fill now or not at all (they do not work across bars yet)`),
      strategy,
      underlying,
    );
  }

  const marks = await comboMarks(ctx.market, book.positions, priced);
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
  // The parent first, then each leg's order and fill (its key and id derived from the parent's: legKeyOf): one bar's commit.
  const placed = book.record(parent("filled", strategy, underlying), null);
  placed.legs = checked.value.map((f: ProposedFill, i: number) => {
    const legKey = legKeyOf(key, i);
    const legBase = { id: uuidFrom(`order:${ctx.sessionId}:${legKey}`), idempotencyKey: legKey, decisionId: ctx.decisionId, placedAt, request: null, comboParentId: id };
    return recordFilled(book, ctx.sessionId, legBase, f).order;
  });
  return placed;
}

/**
 * The prices the margin of `positions` and of `positions` with the legs filled needs (engine accountMargin): every short
 * before and after, and every written contract's underlying, at its mark now; each leg at its own mark (an option's mid).
 */
export async function comboMarks(market: MarketView, positions: ReadonlyMap<string, Position>, priced: readonly PricedLeg[]): Promise<Map<string, Money>> {
  const legs = priced.map((p) => ({ symbol: p.leg.symbol, side: p.side, quantity: p.quantity }));
  const legSymbols = new Set(legs.map((l) => l.symbol));
  const marks = await marksFor(market, marginSymbols([...positions.values(), ...withLegs(positions, legs)]).filter((s) => !legSymbols.has(s)));
  for (const p of priced) marks.set(p.leg.symbol, p.mark);
  return marks;
}

/**
 * A leg's idempotency key: the parent's with " leg N" (a space no caller's key holds: REST keys are printable without
 * spaces, tool keys are ids), the parent's digest in its place when that would pass the 200 characters a key may have.
 */
export function legKeyOf(key: string, index: number): string {
  const stem = key.length <= 180 ? key : `sha256-${createHash("sha256").update(key).digest("hex")}`;
  return `${stem} leg ${index + 1}`;
}

/** A net price (signed dollars) in money; null when absent or not a finite amount within the price bounds (refused below). */
function signedMoney(price: number | undefined): Money | null {
  if (price === undefined || !Number.isFinite(price) || Math.abs(price) > MAX_PRICE_NUMBER) return null;
  const m = priceToMoney(Math.abs(price));
  return price < 0 ? -m : m;
}

/** A leg's side on the book: its positionIntent when given (required for contracts), else buy/sell of shares. */
function sideOf(leg: ParsedLeg, intent: PositionIntent | undefined, held: number): Result<OrderSide> {
  if (intent !== undefined) return sideOfIntent(leg.side, intent);
  if (leg.kind === "option") return err(failure("INVALID_LEGS", "an option leg needs a positionIntent (buy_to_open, buy_to_close, sell_to_open or sell_to_close)"));
  // Shares: a sale beyond what is held is a short, a purchase while short a cover.
  return ok(leg.side === "buy" ? (held < 0 ? "buy_to_cover" : "buy") : held > 0 ? "sell" : "sell_short");
}

/**
 * Each leg at the quote now (the market view's: quoted or modelled): the side it trades on the book (its positionIntent),
 * contracts or shares for `units`, bought at the ask and sold at the bid (shares at their price), and its mark (an
 * option's mid). A leg with no quote, or no bid to sell at, is MARKET_CLOSED in words.
 */
export async function priceLegs(
  ctx: { positions: ReadonlyMap<string, { quantity: number }>; market: MarketView },
  legs: readonly ParsedLeg[],
  intents: readonly (PositionIntent | undefined)[],
  units: number,
): Promise<Result<PricedLeg[]>> {
  const priced: PricedLeg[] = [];
  for (const [i, leg] of legs.entries()) {
    const side = sideOf(leg, intents[i], ctx.positions.get(leg.symbol)?.quantity ?? 0);
    if (!side.ok) return err(failure(side.error.code, `leg ${i + 1} (${leg.symbol}): ${side.error.message}`));
    const quantity = leg.ratio * units;
    const buying = side.value === "buy" || side.value === "buy_to_cover";
    try {
      if (leg.kind === "option") {
        const { row, chain } = await optionQuoteAt(ctx.market, leg.symbol);
        const quote = quoteMoney(row);
        const price = buying ? quote.ask : quote.bid;
        if (price <= 0n) return err(failure("MARKET_CLOSED", `leg ${i + 1} (${leg.symbol}) has no bid now: it cannot be sold or written`));
        priced.push({ leg, side: side.value, quantity, price, mark: quote.mid, bid: quote.bid, ask: quote.ask, row, spot: chain.spot });
      } else {
        const quote = await ctx.market.quote(leg.symbol);
        if (!quote || quote.basis === "close") return err(failure("MARKET_CLOSED", `${leg.symbol} does not trade now: nothing opens at this point of the session`));
        const price = priceToMoney(quote.price, leg.symbol);
        priced.push({ leg, side: side.value, quantity, price, mark: price, bid: price, ask: price, row: null, spot: quote.price });
      }
    } catch (e) {
      const why = unpricedBecause(e);
      if (why === null) throw e;
      return err(failure("MARKET_CLOSED", `leg ${i + 1} (${leg.symbol}): ${why}`));
    }
  }
  return ok(priced);
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
