import { randomUUID } from "node:crypto";
import path from "node:path";
import type postgres from "postgres";
import type { BarInterval } from "@/lib/agent/tool-contract";
import type { TradingContext } from "@/lib/trading/tools";
import type { Db } from "@/lib/db/client";
import { writeBarTrades } from "@/lib/db/queries/bar-trades";
import { insertDecision } from "@/lib/db/queries/decisions";
import { insertAccount } from "@/lib/db/queries/accounts";
import { getModelById, type ModelRow } from "@/lib/db/queries/models";
import type { MarketView } from "@/lib/market";
import { insertTradingSession } from "@/lib/db/queries/sessions";
import { withCore, withUser } from "@/lib/db/rls";
import { decide, type DecideOptions, type DecisionResult } from "@/lib/trading/decide";
import { tradesOf } from "@/lib/trading/commit-bar";
import { loadBook } from "@/lib/trading/load-book";
import { createMarketView } from "@/lib/market";
import { createDbBarSource } from "@/lib/services/market-data/bar-source";
import { parseTradingSettings, type TradingSettingsInput } from "@/lib/trading/trading-settings";
import type { TestUser } from "./database";

/** The real NASDAQ-100 files (Alpha Vantage), shared by the team in ../shared/data. */
export const NASDAQ_DIR = path.resolve(process.cwd(), "../shared/data/nasdaq100");
export const DAILY_FILE = path.join(NASDAQ_DIR, "daily-2025-06-10_2025-10-30.jsonl");
export const HOURLY_FILE = path.join(NASDAQ_DIR, "hourly-2025-10-01_2025-11-10.jsonl");

/** 2025-10-01 09:30 New York: a day bar opens (the daily file has bars from 2025-06-10). */
export const DAY_OPEN = new Date("2025-10-01T13:30:00Z");
export const UNIVERSE = ["AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "META", "TSLA", "AVGO", "COST", "NFLX"];

export interface AgentFixture {
  user: TestUser;
  model: ModelRow;
  sessionId: string;
  interval: BarInterval;
  /** The session's trading settings as stored (JSON). */
  settings?: string;
}

/** A model with `llm`, a running session and its account, for `user` (written as the user where RLS applies). */
export async function createAgentFixture(
  db: Db,
  admin: postgres.Sql,
  user: TestUser,
  {
    llm = "builtin:momentum",
    instructions = "",
    startingCash = "100000",
    interval = "day",
    settings = {},
  }: { llm?: string; instructions?: string; startingCash?: string; interval?: BarInterval; settings?: TradingSettingsInput } = {},
): Promise<AgentFixture> {
  const signature = `m-${randomUUID().slice(0, 8)}`;
  const [row] = await admin<{ id: string }[]>`
    insert into models (user_id, name, signature, llm, instructions, starting_cash)
    values (${user.id}, ${`Model ${llm}`}, ${signature}, ${llm}, ${instructions}, ${startingCash}) returning id`;
  return withCore(
    user.claims,
    async (tx) => {
      const model = (await getModelById(tx, { id: row!.id, userId: user.id }))!;
      const session = await insertTradingSession(tx, {
        userId: user.id,
        values: { modelId: model.id, kind: "backtest", interval, status: "running", settings, startingCash, llm: model.llm, instructions: model.instructions },
      });
      await insertAccount(tx, { userId: user.id, modelId: model.id, sessionId: session.id, startingCash });
      return { user, model, sessionId: session.id, interval, settings: JSON.stringify(settings) };
    },
    db,
  );
}

/** The fixture's session at `at`, over its book as stored (read as the user), as the runner builds it per bar. */
export async function contextOf(db: Db, f: AgentFixture, at: Date = DAY_OPEN, universe: readonly string[] = UNIVERSE): Promise<TradingContext> {
  const clock = { now: () => at };
  const book = await withUser(f.user.claims, (tx) => loadBook(tx, { sessionId: f.sessionId, userId: f.user.id, modelId: f.model.id }), db);
  const settings = f.settings ?? "{}";
  return {
    userId: f.user.id,
    claims: f.user.claims,
    modelId: f.model.id,
    sessionId: f.sessionId,
    interval: f.interval,
    clock,
    market: createMarketView({ clock, universe, source: createDbBarSource(db) }),
    book,
    rules: parseTradingSettings(settings),
    decisionId: randomUUID(),
    read: (fn) => withUser(f.user.claims, fn, db),
  };
}

/** Writes what a context's book added and the decision as the trading core for the user, as the runner's bar commit does (without the cursor). */
export async function writeDecision(db: Db, ctx: TradingContext, result: DecisionResult | null, at: Date): Promise<void> {
  await withCore(
    ctx.claims,
    async (tx) => {
      await writeBarTrades(tx, { sessionId: ctx.sessionId, userId: ctx.userId, modelId: ctx.modelId, barIndex: 0, runnerId: null, ...tradesOf(ctx.book, at) });
      if (result) await insertDecision(tx, { ...result.decision, userId: ctx.userId });
    },
    db,
  );
  ctx.book.committed();
}

/** One decision as the session runner makes it: outside any transaction, on the book, then written whole. */
export async function decideAt(
  db: Db,
  f: AgentFixture,
  options: Omit<DecideOptions, "model"> & {
    at?: Date;
    universe?: readonly string[];
    model?: ModelRow;
    /** E.g. a slow market, to test timeouts while a tool runs. */
    wrapMarket?: (market: MarketView) => MarketView;
  } = {},
): Promise<DecisionResult & { ctx: TradingContext }> {
  const { at = DAY_OPEN, universe, model, wrapMarket, ...rest } = options;
  const base = await contextOf(db, f, at, universe);
  const ctx = wrapMarket ? { ...base, market: wrapMarket(base.market) } : base;
  const result = await decide(ctx, { model: model ?? f.model, ...rest });
  await writeDecision(db, ctx, result, at);
  return { ...result, ctx };
}

/** The decision row and its orders and fills, read as the table owner. */
export async function decisionRecord(admin: postgres.Sql, decisionId: string) {
  const [decision] = await admin`select * from decisions where id = ${decisionId}`;
  const orders = await admin`select * from orders where decision_id = ${decisionId} order by created_at, idempotency_key`;
  const fills = await admin`select f.* from fills f join orders o on o.id = f.order_id where o.decision_id = ${decisionId}`;
  return { decision: decision!, orders, fills };
}
