import { sql } from "drizzle-orm";
import {
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgPolicy,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { authenticatedRole, authUid } from "drizzle-orm/supabase";
import { intervalEnum } from "./market";
import { coreInsert } from "./roles";
import { tradingSessions } from "./trading";

/**
 * The agent's records (docs/agent.md): one `decisions` row per model decision (one per bar), and the
 * `news` the search_news tool reads through its clock gate.
 */
export const DECISION_OUTCOMES = ["traded", "held", "failed"] as const;
export const decisionOutcomeEnum = pgEnum("decision_outcome", DECISION_OUTCOMES);

/**
 * A decision: the prompt, what the model said, every tool call with its arguments and result or error,
 * token usage, cost and latency, and the outcome. Append-only (a trigger refuses UPDATE, DELETE and
 * TRUNCATE, drizzle/0007). Orders point here through `orders.decision_id` (FK deferrable, so a decision's
 * orders are written before its row, in the same transaction).
 */
export const decisions = pgTable(
  "decisions",
  {
    /** Chosen before the tool loop runs, so the orders it places can carry it. */
    id: uuid().primaryKey(),
    userId: uuid().notNull().default(sql`auth.uid()`),
    modelId: uuid().notNull(),
    sessionId: uuid().notNull(),
    /** Session clock of the bar the decision was made at. */
    clock: timestamp({ withTimezone: true }).notNull(),
    interval: intervalEnum().notNull(),
    /** The model's `llm` id at the time (e.g. builtin:momentum, openai:gpt-4.1-mini). */
    llm: text().notNull(),
    outcome: decisionOutcomeEnum().notNull(),
    instructions: text().notNull(),
    prompt: text().notNull(),
    /** Every text the model wrote, step by step, joined by blank lines. */
    text: text().notNull().default(""),
    /** [{ id, step, name, input, ok, output | error, orderId?, orderStatus?, duplicate? }] in call order. */
    toolCalls: jsonb().notNull().default([]),
    steps: integer().notNull(),
    finishReason: text(),
    /** Why the decision failed, in words ("timeout after 30 s", "provider error: …"); null otherwise. */
    error: text(),
    errorCode: text(),
    filledOrders: integer().notNull().default(0),
    rejectedOrders: integer().notNull().default(0),
    toolErrors: integer().notNull().default(0),
    inputTokens: integer(),
    outputTokens: integer(),
    /** USD at list prices when the model's price is known; 0 for built-ins; null when unknown. */
    costUsd: numeric({ precision: 20, scale: 6 }),
    latencyMs: integer().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({
      name: "decisions_session_owner_fk",
      columns: [t.sessionId, t.userId, t.modelId],
      foreignColumns: [tradingSessions.id, tradingSessions.userId, tradingSessions.modelId],
    }).onDelete("cascade"),
    // The target of orders' composite FK (drizzle/0007): an order's decision is its own session's.
    unique("decisions_owner_unique").on(t.id, t.sessionId, t.userId, t.modelId),
    index("decisions_session_clock_idx").on(t.sessionId, t.clock),
    check("decisions_failed_has_error", sql`(${t.outcome} = 'failed') = (${t.error} is not null)`),
    check(
      "decisions_counts_not_negative",
      sql`${t.filledOrders} >= 0 and ${t.rejectedOrders} >= 0 and ${t.toolErrors} >= 0 and ${t.steps} >= 0 and ${t.latencyMs} >= 0`,
    ),
    // traded ⇔ something filled, unless the decision failed (orders placed before a failure stay).
    check("decisions_outcome_matches_fills", sql`${t.outcome} = 'failed' or (${t.outcome} = 'traded') = (${t.filledOrders} > 0)`),
    pgPolicy("decisions_owner_select", { for: "select", to: authenticatedRole, using: sql`${t.userId} = ${authUid}` }),
    coreInsert("decisions_core_insert", t.userId),
  ],
).enableRLS();

/**
 * News articles: shared by all users and read-only to them, like bars. Empty by default (offline);
 * importers or a provider adapter fill it. The agent reads only articles published before the clock.
 */
export const news = pgTable(
  "news",
  {
    id: uuid().primaryKey().defaultRandom(),
    publishedAt: timestamp({ withTimezone: true }).notNull(),
    title: text().notNull(),
    summary: text().notNull().default(""),
    source: text().notNull(),
    url: text(),
    /** Tickers the article is about, upper case. */
    symbols: text().array().notNull().default(sql`'{}'::text[]`),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("news_published_idx").on(t.publishedAt),
    index("news_symbols_idx").using("gin", t.symbols),
    index("news_text_idx").using("gin", sql`to_tsvector('english', ${t.title} || ' ' || ${t.summary})`),
    uniqueIndex("news_url_unique").on(t.url),
    pgPolicy("news_read", { for: "select", to: authenticatedRole, using: sql`true` }),
  ],
).enableRLS();

/**
 * Every model call of a session's bars, recorded as it returns (drizzle/0020; docs/trading.md): a bar
 * run again replays them before asking the model anything new. Append-only (a trigger refuses UPDATE,
 * DELETE and TRUNCATE).
 */
export const modelCalls = pgTable(
  "model_calls",
  {
    id: uuid().primaryKey(),
    userId: uuid().notNull().default(sql`auth.uid()`),
    modelId: uuid().notNull(),
    sessionId: uuid().notNull(),
    barIndex: integer().notNull(),
    /** The bar's decision (derived from session and bar; no foreign key: a bar stopped before its commit has none). */
    decisionId: uuid().notNull(),
    callIndex: integer().notNull(),
    provider: text().notNull(),
    providerModel: text().notNull(),
    requestDigest: text().notNull(),
    response: jsonb().notNull(),
    inputTokens: integer(),
    outputTokens: integer(),
    latencyMs: integer().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({
      name: "model_calls_session_owner_fk",
      columns: [t.sessionId, t.userId, t.modelId],
      foreignColumns: [tradingSessions.id, tradingSessions.userId, tradingSessions.modelId],
    }).onDelete("cascade"),
    unique("model_calls_bar_call_unique").on(t.sessionId, t.barIndex, t.callIndex),
    index("model_calls_decision_idx").on(t.decisionId),
    check("model_calls_indexes_range", sql`${t.barIndex} >= 0 and ${t.callIndex} >= 0 and ${t.latencyMs} >= 0`),
    pgPolicy("model_calls_owner_select", { for: "select", to: authenticatedRole, using: sql`${t.userId} = ${authUid}` }),
    coreInsert("model_calls_core_insert", t.userId),
  ],
).enableRLS();
