import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  date,
  integer,
  foreignKey,
  index,
  jsonb,
  numeric,
  pgEnum,
  pgPolicy,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";
import { authenticatedRole, authUid } from "drizzle-orm/supabase";
import { ORDER_CLASSES, ORDER_SIDES, ORDER_TYPES, TIME_IN_FORCE } from "../../engine/order";
import { ORDER_STATUSES } from "../../engine/order-state";
import { intervalEnum } from "./market";
import { models } from "./models";
import { profiles } from "./profiles";
import { coreInsert, coreUpdate } from "./roles";

/**
 * The trading ledger (docs/ledger.md): a session per model run, its cash account, orders, append-only
 * fills and positions. Money is numeric(20,6), exactly the engine's micro-dollars; quantities are signed
 * whole shares. `user_id`, `model_id` and `session_id` are repeated on every row for RLS and audit, and
 * a composite foreign key to trading_sessions keeps the three consistent.
 */
export const sessionKindEnum = pgEnum("trading_session_kind", ["backtest", "replay", "paper"]);
export const sessionStatusEnum = pgEnum("trading_session_status", ["queued", "pending", "running", "paused", "completed", "failed", "cancelled"]);
export const orderSideEnum = pgEnum("order_side", ORDER_SIDES);
export const orderTypeEnum = pgEnum("order_type", ORDER_TYPES);
export const orderStatusEnum = pgEnum("order_status", ORDER_STATUSES);
export const orderTimeInForceEnum = pgEnum("order_time_in_force", TIME_IN_FORCE);
/** The engine's classes, and mleg: a multi-leg order (issue #24), a parent row whose legs are its children. */
export const orderClassEnum = pgEnum("order_class", [...ORDER_CLASSES, "mleg"]);
/** Which part of its request an order is: the entry, or a bracket's/oto's/oco's take-profit or stop-loss leg. */
export const ORDER_LEGS = ["entry", "take_profit", "stop_loss"] as const;
export const orderLegEnum = pgEnum("order_leg", ORDER_LEGS);

const money = () => numeric({ precision: 20, scale: 6 });
const shares = () => bigint({ mode: "number" });
const createdAt = () => timestamp({ withTimezone: true }).notNull().defaultNow();
/** The owner reads (and so does the trading core, a member of `authenticated`); only the core writes (roles.ts). */
const ownerSelect = (name: string, userId: AnyPgColumn) => pgPolicy(name, { for: "select", to: authenticatedRole, using: sql`${userId} = ${authUid}` });

/** One run of a model (the sessions issue extends it). `settings`: see lib/services/trading-settings.ts. */
export const tradingSessions = pgTable(
  "trading_sessions",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .default(sql`auth.uid()`)
      .references(() => profiles.id, { onDelete: "cascade" }),
    modelId: uuid()
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    kind: sessionKindEnum().notNull(),
    interval: intervalEnum().notNull(),
    status: sessionStatusEnum().notNull().default("pending"),
    settings: jsonb().notNull().default({}),
    startingCash: money().notNull(),
    /** The model's llm and strategy prompt when the session was created: the run decides with these, not with later edits of the model. */
    llm: text().notNull(),
    instructions: text().notNull(),
    /** The user's name for this run ("prompt v2"), shown beside the model's on the dashboard and the leaderboard. */
    label: text(),
    // ---- What to run (docs/sessions.md); fixed at creation. ----
    /** The universe, upper case. */
    symbols: text().array().notNull().default(sql`'{}'::text[]`),
    /** New York trading days; a replay has start = end = its day. */
    rangeStart: date({ mode: "string" }),
    rangeEnd: date({ mode: "string" }),
    /** Replays: decide every N minute bars. */
    decideEvery: integer().notNull().default(1),
    /** The bar times to decide at, ISO instants, oldest first (fixed at creation: new imports never shift a cursor). */
    schedule: jsonb().$type<string[]>().notNull().default([]),
    totalBars: integer().notNull().default(0),
    /** Index of the next bar to run; advanced in the same transaction as that bar's writes. */
    cursor: integer().notNull().default(0),
    /** Seeds the model (built-in `random`, LLM sampling where supported). */
    seed: integer().notNull().default(42),
    maxSteps: integer().notNull().default(8),
    decisionTimeoutMs: integer().notNull().default(60_000),
    /** The least wall time per bar, ms (0: as fast as the model decides); paces a replay for watching. */
    paceMs: integer().notNull().default(0),
    /** Replayed exactly from this session's model-call record (drizzle/0020): no provider is asked anything. */
    replayOf: uuid().references((): AnyPgColumn => tradingSessions.id, { onDelete: "set null" }),
    // ---- Who decides (drizzle/0030; docs/sessions.md, "Sessions an outside agent drives"). ----
    /** 'model': the session's model, run in process by the runner; 'external': an outside agent with a model API token. */
    driver: text().$type<"model" | "external">().notNull().default("model"),
    /** The model API token driving an external session ("driven by: <token name>"); FK to model_tokens, on delete set null. */
    driverTokenId: uuid(),
    /** An external session's turn in progress: the bar (= cursor) and the agent's tool calls at it, in order. */
    turnBar: integer(),
    turnCalls: jsonb().notNull().default([]),
    // ---- Runner state. ----
    /** The last session_events.seq written (events are numbered under this row's lock). */
    eventSeq: bigint({ mode: "number" }).notNull().default(0),
    /** Fencing token: the job that owns the session now; a runner whose token was replaced stops. */
    runnerId: text(),
    /** Last bar committed (wall time). */
    heartbeatAt: timestamp({ withTimezone: true }),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
    errorCode: text(),
    error: text(),
    /** lib/engine SessionMetrics (money as decimal strings) and the benchmark's, stored on completion. */
    metrics: jsonb(),
    benchmark: jsonb(),
    createdAt: createdAt(),
    updatedAt: timestamp({ withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [
    // The target of the ledger tables' composite foreign keys.
    unique("trading_sessions_owner_unique").on(t.id, t.userId, t.modelId),
    // The target of session_events' and session_equity's foreign keys (session, owner).
    unique("trading_sessions_id_user_unique").on(t.id, t.userId),
    index("trading_sessions_user_status_idx").on(t.userId, t.status),
    check("trading_sessions_cursor_range", sql`${t.cursor} >= 0 and ${t.cursor} <= ${t.totalBars}`),
    check("trading_sessions_decide_every_range", sql`${t.decideEvery} between 1 and 60`),
    check("trading_sessions_pace_range", sql`${t.paceMs} between 0 and 10000`),
    check("trading_sessions_label_length", sql`${t.label} is null or char_length(${t.label}) between 1 and 80`),
    index("trading_sessions_user_created_idx").on(t.userId, t.createdAt),
    index("trading_sessions_model_idx").on(t.modelId),
    check("trading_sessions_starting_cash_positive", sql`${t.startingCash} > 0`),
    pgPolicy("trading_sessions_owner_select", { for: "select", to: authenticatedRole, using: sql`${t.userId} = ${authUid}` }),
    // Writes must also name one of the caller's own models (the subquery runs under the caller's RLS).
    coreInsert("trading_sessions_core_insert", t.userId, sql`exists (select 1 from public.models m where m.id = ${t.modelId})`),
    // The owner's updates: the user's (the label) and the core's (status, cursor, results), as their column
    // grants allow (drizzle/0020); the core is a member of `authenticated`, so this policy is its too.
    pgPolicy("trading_sessions_owner_update", {
      for: "update",
      to: authenticatedRole,
      using: sql`${t.userId} = ${authUid}`,
      withCheck: sql`${t.userId} = ${authUid} and exists (select 1 from public.models m where m.id = ${t.modelId})`,
    }),
  ],
).enableRLS();

/** Composite key (session, user, model) → trading_sessions, shared by every ledger table. */
const sessionOwnerKey = (name: string, t: { sessionId: AnyPgColumn; userId: AnyPgColumn; modelId: AnyPgColumn }) =>
  foreignKey({
    name,
    columns: [t.sessionId, t.userId, t.modelId],
    foreignColumns: [tradingSessions.id, tradingSessions.userId, tradingSessions.modelId],
  }).onDelete("cascade");

/**
 * The cash account of one session. `cash` may go below zero only by stock borrow fees (engine rule), so
 * the check is cash + borrow_fees_paid ≥ 0: no order can ever overdraw it. `equity` is the last mark to
 * market (cash + Σ quantity × price at `equity_at`), written by the valuation step, not by placeOrder.
 */
export const accounts = pgTable(
  "accounts",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid().notNull().default(sql`auth.uid()`),
    modelId: uuid().notNull(),
    sessionId: uuid().notNull(),
    startingCash: money().notNull(),
    cash: money().notNull(),
    equity: money().notNull(),
    equityAt: timestamp({ withTimezone: true }),
    feesPaid: money().notNull().default("0"),
    borrowFeesPaid: money().notNull().default("0"),
    realizedPnl: money().notNull().default("0"),
    createdAt: createdAt(),
    updatedAt: timestamp({ withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [
    unique("accounts_session_unique").on(t.sessionId),
    sessionOwnerKey("accounts_session_owner_fk", t),
    check("accounts_cash_not_overdrawn", sql`${t.cash} + ${t.borrowFeesPaid} >= 0`),
    check("accounts_starting_cash_positive", sql`${t.startingCash} > 0`),
    check("accounts_fees_not_negative", sql`${t.feesPaid} >= 0 and ${t.borrowFeesPaid} >= 0`),
    ownerSelect("accounts_owner_select", t.userId),
    coreInsert("accounts_core_insert", t.userId),
    coreUpdate("accounts_core_update", t.userId),
  ],
).enableRLS();

/**
 * Every order request, accepted or not (audit). A request that failed validation keeps its sanitized
 * input in `request` and null symbol/side/quantity. Working orders (drizzle/0026, docs/trading.md) carry
 * their type, prices, time in force, class and leg (`parent_order_id`: a bracket's or oto's entry;
 * `oco_order_id`: the other leg of a one-cancels-other pair) and are moved on by the trading core only
 * (status, filled quantity and notional, trailing stop and water mark); an ended order never changes
 * (a trigger). `instrument`: null = the equity `symbol` (option contracts later).
 */
export const orders = pgTable(
  "orders",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid().notNull().default(sql`auth.uid()`),
    modelId: uuid().notNull(),
    sessionId: uuid().notNull(),
    idempotencyKey: text().notNull(),
    decisionId: uuid(),
    parentOrderId: uuid().references((): AnyPgColumn => orders.id),
    symbol: text(),
    instrument: jsonb(),
    side: orderSideEnum(),
    type: orderTypeEnum().notNull().default("market"),
    quantity: shares(),
    limitPrice: money(),
    /** stop, stop_limit: the trigger; trailing_stop: the current stop level (it moves with the water mark). */
    stopPrice: money(),
    timeInForce: orderTimeInForceEnum().notNull().default("day"),
    orderClass: orderClassEnum().notNull().default("simple"),
    leg: orderLegEnum().notNull().default("entry"),
    trailPrice: money(),
    trailPercent: numeric({ precision: 5, scale: 2 }),
    /** trailing_stop: the best price since placing (highs for a sell, lows for a buy). */
    waterMark: money(),
    /** Σ quantity × price of its fills (the fee of its next fill depends on it). */
    filledNotional: money().notNull().default("0"),
    /** Its stop was reached (stays true through partial fills). */
    triggered: boolean().notNull().default(false),
    /** Start of the bar that triggered it (stop, stop_limit, trailing_stop); set once (drizzle/0027). */
    triggeredAt: timestamp({ withTimezone: true }),
    /** Session clock of a working order's end (the bar that filled, cancelled or expired it; a model's cancel or replace); set once (drizzle/0031). */
    endedAt: timestamp({ withTimezone: true }),
    ocoOrderId: uuid().references((): AnyPgColumn => orders.id),
    /** replace_order: the order this one replaced (set when inserted; a rejected replacement keeps it too). */
    replacesOrderId: uuid().references((): AnyPgColumn => orders.id),
    /** replace_order: the order that replaced this one (set when it ends `replaced`; drizzle/0028). */
    replacedByOrderId: uuid().references((): AnyPgColumn => orders.id),
    /** Why it ended when not by a fill: requested (the model), requested_by_user (a person), oco, parent_ended, parent_replaced, day, session_end, … */
    statusReason: text(),
    status: orderStatusEnum().notNull(),
    filledQuantity: shares().notNull().default(0),
    /** The price the decision saw (open of the current bar); null when there was none. */
    referencePrice: money(),
    rejectCode: text(),
    rejectMessage: text(),
    request: jsonb(),
    /** A multi-leg parent (order_class mleg): the strategy recognised at placement and its profile (drizzle/0036). */
    strategy: jsonb(),
    /** Session clock time of the order, not now(). */
    placedAt: timestamp({ withTimezone: true }).notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("orders_model_idempotency_key_unique").on(t.modelId, t.idempotencyKey),
    sessionOwnerKey("orders_session_owner_fk", t),
    index("orders_session_placed_idx").on(t.sessionId, t.placedAt),
    index("orders_replaces_idx").on(t.replacesOrderId).where(sql`${t.replacesOrderId} is not null`),
    check("orders_idempotency_key_length", sql`char_length(${t.idempotencyKey}) between 1 and 200`),
    check("orders_quantity_positive", sql`${t.quantity} is null or ${t.quantity} > 0`),
    check("orders_filled_quantity_range", sql`${t.filledQuantity} >= 0 and ${t.filledQuantity} <= coalesce(${t.quantity}, 0)`),
    check(
      "orders_parsed_unless_rejected",
      sql`${t.status} = 'rejected' or (${t.symbol} is not null and ${t.quantity} is not null and (${t.side} is not null or (${t.orderClass}::text = 'mleg' and ${t.parentOrderId} is null)))`,
    ),
    check("orders_strategy_only_mleg", sql`${t.strategy} is null or ${t.orderClass}::text = 'mleg'`),
    check("orders_rejection_has_code", sql`(${t.status} = 'rejected') = (${t.rejectCode} is not null)`),
    check("orders_triggered_at_only_triggered", sql`${t.triggeredAt} is null or ${t.triggered}`),
    check("orders_ended_at_only_ended", sql`${t.endedAt} is null or ${t.status} in ('filled', 'cancelled', 'expired', 'replaced', 'rejected')`),
    check("orders_replaced_has_link", sql`(${t.status} = 'replaced') = (${t.replacedByOrderId} is not null) and ${t.replacesOrderId} is distinct from ${t.id} and ${t.replacedByOrderId} is distinct from ${t.id}`),
    check("orders_market_has_no_limit", sql`${t.type} <> 'market' or (${t.limitPrice} is null and ${t.stopPrice} is null)`),
    ownerSelect("orders_owner_select", t.userId),
    coreInsert("orders_core_insert", t.userId),
    coreUpdate("orders_core_update", t.userId),
  ],
).enableRLS();

/**
 * Executions. Append-only: a trigger refuses UPDATE, DELETE and TRUNCATE, even for the table owner
 * (drizzle/0005). `cash_after` and `quantity_after` are the account's cash and the position after it.
 */
export const fills = pgTable(
  "fills",
  {
    id: uuid().primaryKey().defaultRandom(),
    orderId: uuid()
      .notNull()
      .references(() => orders.id),
    userId: uuid().notNull().default(sql`auth.uid()`),
    modelId: uuid().notNull(),
    sessionId: uuid().notNull(),
    symbol: text().notNull(),
    instrument: jsonb(),
    side: orderSideEnum().notNull(),
    quantity: shares().notNull(),
    /** Fill price per share after slippage. */
    price: money().notNull(),
    referencePrice: money().notNull(),
    fee: money().notNull(),
    cashDelta: money().notNull(),
    cashAfter: money().notNull(),
    /** P&L this fill realized, gross of its fee; null for opening fills. */
    realizedPnl: money(),
    quantityAfter: shares().notNull(),
    /** Session clock time of the fill. */
    filledAt: timestamp({ withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    sessionOwnerKey("fills_session_owner_fk", t),
    index("fills_order_idx").on(t.orderId),
    index("fills_session_filled_idx").on(t.sessionId, t.filledAt),
    check("fills_quantity_positive", sql`${t.quantity} > 0`),
    // A contract expiring worthless closes at 0 (drizzle/0033).
    check("fills_price_positive", sql`(${t.price} > 0 and ${t.referencePrice} > 0) or (public.contract_multiplier(${t.symbol}) = 100 and ${t.price} >= 0 and ${t.referencePrice} >= 0)`),
    check("fills_fee_not_negative", sql`${t.fee} >= 0`),
    pgPolicy("fills_owner_select", { for: "select", to: authenticatedRole, using: sql`${t.userId} = ${authUid}` }),
    coreInsert("fills_core_insert", t.userId),
  ],
).enableRLS();

/**
 * Current position per session and symbol, kept in step with fills by placeOrder under the account lock
 * (a view folding fills would cost O(fills) per order). `cost_basis` is exact and signed like
 * `quantity` (docs/engine.md); flat rows stay so realized P&L survives.
 */
export const positions = pgTable(
  "positions",
  {
    sessionId: uuid().notNull(),
    symbol: text().notNull(),
    userId: uuid().notNull().default(sql`auth.uid()`),
    modelId: uuid().notNull(),
    instrument: jsonb(),
    quantity: shares().notNull(),
    costBasis: money().notNull(),
    realizedPnl: money().notNull().default("0"),
    feesPaid: money().notNull().default("0"),
    /** Session clock time of the last fill. */
    lastFillAt: timestamp({ withTimezone: true }).notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp({ withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [
    primaryKey({ name: "positions_pkey", columns: [t.sessionId, t.symbol] }),
    sessionOwnerKey("positions_session_owner_fk", t),
    check("positions_flat_has_no_basis", sql`${t.quantity} <> 0 or ${t.costBasis} = 0`),
    check("positions_fees_not_negative", sql`${t.feesPaid} >= 0`),
    ownerSelect("positions_owner_select", t.userId),
    coreInsert("positions_core_insert", t.userId),
    coreUpdate("positions_core_update", t.userId),
  ],
).enableRLS();
