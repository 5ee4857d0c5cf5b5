import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { barShapeArb, barsFrom, fieldsFor, finerBarsOf, orderIntentArb, type OrderIntent } from "@/tests/support/working-order-arbitraries";
import { applyFill, createAccount, type AccountState } from "./account";
import { cancelWorkingOrder } from "./cancel-working-order";
import { checkWorkingOrder } from "./check-working-order";
import type { FeeModel } from "./fees";
import { matchBar, type FillBar } from "./fill-model";
import type { ModelFill } from "./fill-model-events";
import { marginRequirement, shortValueAfter } from "./margin";
import type { Money } from "./money";
import { isBuySide, ORDER_SIDES, ORDER_TYPES, type OrderClass, type OrderSide, type OrderType } from "./order";
import { buildOrderRequest } from "./order-contract-rules";
import { flatPosition } from "./position";
import { replaceWorkingOrder, type ReplaceChanges } from "./replace-working-order";
import { reservedBy } from "./reservations";
import type { WorkingOrder } from "./working-orders";

/**
 * Random orders (every type, time in force and class) placed on random bars, cancelled and replaced at random (new
 * quantities and prices, engine/replace-working-order.ts), matched bar by bar with the account, their fills applied
 * (seeded: failures reproduce). Checked after every step:
 * - at acceptance, cash less all reserved cash covers the collateral of the open shorts; promised shares ≤ held;
 * - every fill's bar price lies in its bar's [low, high] (and its price too without slippage); a limit never
 *   fills worse than its limit; nothing fills on a bar before the one it was placed at;
 * - stops fill only once triggered; of a one-cancels-other pair at most one leg fills; an exit fills only after
 *   its entry filled, never more than the entry; a bar's fills stay within the participation cap;
 * - ioc and fok end on their first bar, opg after a day's first bar, day and cls at a day's last bar;
 * - applyFill accepts every fill (no side rule broken, no id twice) and cash never goes below 0;
 * - a replaced order never fills again; a replacement's acceptance keeps the reservations within the account as a new
 *   order's does (the old one's released), and its legs and pairs keep the rules above;
 * - all of this with and without finer bars to settle a pair whose legs both act in one bar.
 * With bounded buys only (limits, stop-limits) and no shorts, reservations are exact: no fill is ever cancelled
 * because cash or shares were missing, and cash ≥ reserved cash after every bar.
 */
const FEES_ARB = fc.record({
  perShare: fc.bigInt({ min: 0n, max: 10_000n }),
  perOrder: fc.bigInt({ min: 0n, max: 1_000_000n }),
  minimum: fc.bigInt({ min: 0n, max: 1_000_000n }),
  notionalBps: fc.integer({ min: 0, max: 5 }),
}) as fc.Arbitrary<FeeModel>;

interface ReplaceIntent {
  pick: number;
  /** A new quantity, in percent of the old (an entry only). */
  quantityPct: number | null;
  /** A price moved by this many bps (rounded to a cent), or null. */
  priceBps: number | null;
  limitNotStop: boolean;
}
type Action = { kind: "place"; intent: OrderIntent } | { kind: "cancel"; pick: number } | { kind: "replace"; intent: ReplaceIntent };

const replaceIntentArb: fc.Arbitrary<ReplaceIntent> = fc.record({
  pick: fc.nat(),
  quantityPct: fc.option(fc.integer({ min: 20, max: 200 }), { nil: null }),
  priceBps: fc.option(fc.integer({ min: -600, max: 600 }), { nil: null }),
  limitNotStop: fc.boolean(),
});

/** The fields a replace intent changes on `o` (possibly none: the engine refuses that in words). */
function changesFor(o: WorkingOrder, c: ReplaceIntent): ReplaceChanges {
  const shift = (p: Money): Money => {
    const v = (p * BigInt(10_000 + (c.priceBps ?? 0))) / 10_000n;
    const cents = v - (v % 10_000n);
    return cents > 0n ? cents : 10_000n;
  };
  const out: { -readonly [K in keyof ReplaceChanges]: ReplaceChanges[K] } = {};
  if (c.quantityPct !== null && o.role === "entry") out.quantity = Math.max(1, Math.round((o.quantity * c.quantityPct) / 100));
  if (c.priceBps !== null) {
    if (o.limitPrice !== undefined && (o.type === "limit" || (o.type === "stop_limit" && c.limitNotStop))) out.limitPrice = shift(o.limitPrice);
    else if (o.stopPrice !== undefined && (o.type === "stop" || o.type === "stop_limit")) out.stopPrice = shift(o.stopPrice);
    else if (o.trail?.kind === "price") out.trail = { kind: "price", amount: shift(o.trail.amount) };
    else if (o.trail?.kind === "percent") out.trail = { kind: "percent", bps: Math.min(9_900, Math.max(1, o.trail.bps + Math.round(c.priceBps / 4))) };
  }
  return out;
}

function scenarioArb(sides: readonly OrderSide[], types: readonly OrderType[], classes: readonly OrderIntent["orderClass"][]) {
  const action: fc.Arbitrary<Action> = fc.oneof(
    { weight: 4, arbitrary: orderIntentArb({ sides, types, classes }).map((intent) => ({ kind: "place" as const, intent })) },
    { weight: 1, arbitrary: fc.nat().map((pick) => ({ kind: "cancel" as const, pick })) },
    { weight: 2, arbitrary: replaceIntentArb.map((intent) => ({ kind: "replace" as const, intent })) },
  );
  return fc.record({
    cashCents: fc.integer({ min: 100_000, max: 5_000_000 }),
    held: fc.integer({ min: 0, max: 200 }),
    fees: FEES_ARB,
    slippageBps: fc.constantFrom(0, 0, 5, 25),
    participationBps: fc.option(fc.integer({ min: 100, max: 10_000 }), { nil: undefined }),
    barsPerDay: fc.constantFrom(1, 3, 7),
    allowShort: fc.boolean(),
    marginBps: fc.integer({ min: 10_000, max: 20_000 }),
    bars: fc.array(fc.record({ shape: barShapeArb, actions: fc.array(action, { maxLength: 3 }) }), { minLength: 1, maxLength: 30 }),
  });
}

type Scenario = ReturnType<typeof scenarioArb> extends fc.Arbitrary<infer S> ? S : never;

interface Outcome {
  stats: Map<string, number>;
  cancelledFor: Map<string, number>;
}

function run(s: Scenario, exact: boolean): Outcome {
  const stats = new Map<string, number>();
  const count = (k: string) => stats.set(k, (stats.get(k) ?? 0) + 1);
  const cancelledFor = new Map<string, number>();
  const bars = barsFrom(s.bars.map((b) => b.shape), s.barsPerDay);
  const position = { ...flatPosition("AAPL"), quantity: s.held, costBasis: BigInt(s.held) * 100_000_000n };
  let account: AccountState = createAccount(BigInt(s.cashCents) * 10_000n, { positions: new Map(s.held ? [["AAPL", position]] : []) });
  const settings = { allowShort: s.allowShort, shortMarginRequirementBps: s.marginBps };
  const reserveSettings = { fees: s.fees, slippageBps: s.slippageBps, shortMarginRequirementBps: s.marginBps };
  const fillSettings = { fees: s.fees, slippageBps: s.slippageBps, ...(s.participationBps === undefined ? {} : { participationBps: s.participationBps }) };
  let working: WorkingOrder[] = [];
  const known = new Map<string, WorkingOrder>();
  const filled = new Map<string, number>();
  const firstFill = new Map<string, number>();
  const triggered = new Set<string>();
  const replaced = new Set<string>();
  const classOf = new Map<string, OrderClass>();
  let n = 0;
  let fillSeq = 0;

  bars.forEach((bar, i) => {
    const lastPrices = new Map<string, Money>([["AAPL", bar.open]]);
    for (const action of s.bars[i]?.actions ?? []) {
      if (action.kind === "cancel") {
        const target = working[action.pick % Math.max(1, working.length)];
        if (!target) continue;
        const before = reservedBy(working, lastPrices, reserveSettings);
        const r = cancelWorkingOrder(working, target.id, bar.time);
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        working = r.value.orders;
        const after = reservedBy(working, lastPrices, reserveSettings);
        if (before.ok && after.ok) expect(after.value.cash <= before.value.cash).toBe(true);
        count("cancel");
        continue;
      }
      if (action.kind === "replace") {
        const target = working[action.intent.pick % Math.max(1, working.length)];
        if (!target) continue;
        const newId = `o${++n}`;
        const r = replaceWorkingOrder({
          working, targetId: target.id, orderClass: classOf.get(target.id) ?? "simple", changes: changesFor(target, action.intent), newId,
          placedAt: bar.time, account, lastPrices, fees: s.fees, slippageBps: s.slippageBps, symbols: new Set(["AAPL"]), settings,
        });
        if (!r.ok) {
          count(`replace-refused:${r.error.code}`);
          continue;
        }
        count(`replace:${target.role}`);
        const ended = new Set(r.value.ended.map((e) => e.order.id));
        const relinked = new Map(r.value.relinked.map((o) => [o.id, o]));
        working = [...working.filter((o) => !ended.has(o.id)).map((o) => relinked.get(o.id) ?? o), ...r.value.orders];
        for (const id of ended) replaced.add(id);
        for (const o of [...r.value.orders, ...r.value.relinked]) {
          known.set(o.id, o);
          classOf.set(o.id, r.value.orderClass);
        }
        // The new orders reserve within the account as a new order's do: with what they hold, cash less all reservations
        // still covers the open shorts' collateral, and no more shares are promised than held.
        const reserved = reservedBy(working, lastPrices, reserveSettings);
        expect(reserved.ok).toBe(true);
        if (!reserved.ok) continue;
        const before = reservedBy(working.filter((o) => !r.value.orders.includes(o)), lastPrices, reserveSettings);
        const shorts = shortValueAfter(account.positions, lastPrices, "", 0, 0n);
        if (shorts.ok && before.ok && reserved.value.cash > before.value.cash) {
          expect(account.cash - reserved.value.cash >= marginRequirement(shorts.value, s.marginBps)).toBe(true);
        }
        const held = account.positions.get("AAPL")?.quantity ?? 0;
        expect(reserved.value.sellShares.get("AAPL") ?? 0).toBeLessThanOrEqual(Math.max(0, held));
        expect(reserved.value.coverShares.get("AAPL") ?? 0).toBeLessThanOrEqual(Math.max(0, -held));
        continue;
      }
      const built = buildOrderRequest(fieldsFor(action.intent, bar.open));
      if (!built.ok) {
        count(`contract:${built.error.code}`);
        continue;
      }
      const id = `o${++n}`;
      const r = checkWorkingOrder({
        request: built.value, id, placedAt: bar.time, account, working, lastPrices,
        fees: s.fees, slippageBps: s.slippageBps, symbols: new Set(["AAPL"]), settings,
      });
      if (!r.ok) {
        count(`reject:${r.error.code}`);
        continue;
      }
      count(`accept:${built.value.type}:${built.value.orderClass ?? "simple"}`);
      working = [...working, ...r.value.orders];
      for (const o of r.value.orders) {
        known.set(o.id, o);
        classOf.set(o.id, built.value.orderClass ?? "simple");
      }
      // Reserved ≤ available: cash less all reservations covers the collateral of the open shorts.
      const shorts = shortValueAfter(account.positions, lastPrices, "", 0, 0n);
      expect(shorts.ok).toBe(true);
      if (shorts.ok) expect(account.cash - r.value.reserved.cash >= marginRequirement(shorts.value, s.marginBps)).toBe(true);
      const held = account.positions.get("AAPL")?.quantity ?? 0;
      expect(r.value.reserved.sellShares.get("AAPL") ?? 0).toBeLessThanOrEqual(Math.max(0, held));
      expect(r.value.reserved.coverShares.get("AAPL") ?? 0).toBeLessThanOrEqual(Math.max(0, -held));
    }

    const finer = s.bars[i]?.shape.finer ?? "none";
    const result = matchBar({ orders: working, bar, settings: fillSettings, account, ...(finer === "none" ? {} : { finerBars: finerBarsOf(bar, finer) }) });
    for (const e of result.events) {
      count(`event:${e.kind}`);
      if (e.kind === "triggered") triggered.add(e.orderId);
      if (e.kind === "cancelled") cancelledFor.set(e.reason, (cancelledFor.get(e.reason) ?? 0) + 1);
      if (e.kind === "filled" || e.kind === "partially_filled") checkFill(e.fill, bar);
    }
    if (s.participationBps !== undefined) {
      const total = result.fills.reduce((t, f) => t + f.quantity, 0);
      expect(total).toBeLessThanOrEqual(Math.floor((bar.volume * s.participationBps) / 10_000));
    }
    for (const f of result.fills) {
      const applied = applyFill(account, { id: f.id, symbol: f.symbol, side: f.side, quantity: f.quantity, price: f.price, fee: f.fee });
      expect(applied.ok ? null : applied.error).toBeNull();
      if (applied.ok) account = applied.value.account;
      expect(account.cash >= 0n).toBe(true);
    }
    working = result.orders;
    checkTimeInForce(working, bar);
    if (exact) {
      const reserved = reservedBy(working, lastPrices, reserveSettings);
      expect(reserved.ok && account.cash >= reserved.value.cash).toBe(true);
    }
  });
  return { stats, cancelledFor };

  function checkFill(f: ModelFill, bar: FillBar) {
    const o = known.get(f.orderId) as WorkingOrder;
    expect(replaced.has(o.id), `${o.id} filled after it was replaced`).toBe(false);
    fillSeq++;
    count(`fill:${o.type}:${o.role}`);
    expect(f.time).toBe(bar.time);
    expect(f.time >= o.placedAt).toBe(true);
    expect(bar.low <= f.referencePrice && f.referencePrice <= bar.high).toBe(true);
    if (s.slippageBps === 0) expect(bar.low <= f.price && f.price <= bar.high).toBe(true);
    if (o.limitPrice !== undefined && (o.type === "limit" || o.type === "stop_limit")) {
      expect(isBuySide(o.side) ? f.price <= o.limitPrice : f.price >= o.limitPrice).toBe(true);
    }
    if (o.type === "stop" || o.type === "stop_limit" || o.type === "trailing_stop") expect(triggered.has(o.id)).toBe(true);
    if (o.ocoWith !== undefined) expect(filled.get(o.ocoWith) ?? 0).toBe(0);
    if (o.parentId !== undefined) {
      expect(firstFill.has(o.parentId)).toBe(true);
      expect((filled.get(o.id) ?? 0) + f.quantity).toBeLessThanOrEqual(filled.get(o.parentId) ?? 0);
    }
    filled.set(o.id, (filled.get(o.id) ?? 0) + f.quantity);
    if (!firstFill.has(o.id)) firstFill.set(o.id, fillSeq);
    expect(filled.get(o.id)).toBeLessThanOrEqual(o.quantity);
  }
}

function checkTimeInForce(working: readonly WorkingOrder[], bar: FillBar) {
  for (const o of working) {
    expect(["held", "accepted", "triggered", "partially_filled"]).toContain(o.status);
    if (o.placedAt > bar.time) continue;
    expect(o.timeInForce === "ioc" || o.timeInForce === "fok").toBe(false);
    if (bar.firstOfDay) expect(o.timeInForce).not.toBe("opg");
    if (bar.lastOfDay) expect(["day", "cls"]).not.toContain(o.timeInForce);
  }
}

const ALL_CLASSES = ["simple", "simple", "simple", "bracket", "oco", "oto"] as const;

describe("fill model properties (random orders on random bars)", () => {
  it("every type, time in force and class: prices in the bar, no look-ahead, oco exclusive, exits after entries, cash ≥ 0", () => {
    const totals = new Map<string, number>();
    fc.assert(
      fc.property(scenarioArb(ORDER_SIDES, ORDER_TYPES, ALL_CLASSES), (s) => {
        for (const [k, v] of run(s, false).stats) totals.set(k, (totals.get(k) ?? 0) + v);
      }),
      { seed: 22, numRuns: 300 },
    );
    // Every path was exercised, not just allowed.
    for (const key of ["fill:market:entry", "fill:limit:entry", "fill:stop:entry", "fill:stop_limit:entry", "fill:trailing_stop:entry", "fill:limit:take_profit", "fill:stop:stop_loss", "fill:stop_limit:stop_loss", "event:expired", "event:activated", "event:partially_filled", "event:water_mark_moved", "cancel", "replace:entry", "replace:take_profit", "replace:stop_loss", "replace-refused:INVALID_ORDER_PRICE"]) {
      expect(totals.get(key) ?? 0, key).toBeGreaterThan(10);
    }
    // Triggered and partly filled orders come up rarely in random books, but they do, and are refused.
    expect(totals.get("replace-refused:ORDER_NOT_REPLACEABLE") ?? 0).toBeGreaterThan(3);
  });

  it("bounded buys, no shorts: reservations are exact, no fill is ever cancelled for cash or shares", () => {
    const cancelled = new Map<string, number>();
    let fills = 0;
    fc.assert(
      fc.property(scenarioArb(["buy", "sell"], ["limit", "stop_limit"], ALL_CLASSES), (s) => {
        const o = run({ ...s, allowShort: false }, true);
        for (const [k, v] of o.cancelledFor) cancelled.set(k, (cancelled.get(k) ?? 0) + v);
        for (const [k, v] of o.stats) if (k.startsWith("fill:")) fills += v;
        expect(o.cancelledFor.get("insufficient_cash") ?? 0).toBe(0);
        expect(o.cancelledFor.get("insufficient_shares") ?? 0).toBe(0);
      }),
      { seed: 23, numRuns: 300 },
    );
    expect(fills).toBeGreaterThan(500);
  });
});
