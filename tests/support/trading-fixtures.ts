import { randomUUID } from "node:crypto";
import type postgres from "postgres";
import type { Db } from "@/lib/db/client";
import { insertAccount } from "@/lib/db/queries/accounts";
import { insertTradingSession } from "@/lib/db/queries/sessions";
import { withCore } from "@/lib/db/rls";
import { createStaticPriceSource, type PriceSource } from "@/lib/trading/price-source";
import type { UserOrderContext } from "@/lib/services/place-order";
import type { TradingSettingsInput } from "@/lib/trading/trading-settings";
import type { TestUser } from "./database";

/** The session clock of the trading tests: 2026-03-02 14:30 UTC (09:30 New York, a bar opens). */
export const OPEN_AT = new Date("2026-03-02T14:30:00Z");

export interface TradingFixture {
  user: TestUser;
  modelId: string;
  sessionId: string;
  accountId: string;
}

/** A model, a session and its account for `user`, written by the trading core as that user (withCore: RLS and grants apply). */
export async function createTradingFixture(
  db: Db,
  admin: postgres.Sql,
  user: TestUser,
  { startingCash = "10000", settings = {} }: { startingCash?: string; settings?: TradingSettingsInput } = {},
): Promise<TradingFixture> {
  const signature = `m-${randomUUID().slice(0, 8)}`;
  const [model] = await admin<{ id: string }[]>`
    insert into models (user_id, name, signature, llm, starting_cash)
    values (${user.id}, 'Test model', ${signature}, 'builtin:momentum', ${startingCash}) returning id`;
  return withCore(
    user.claims,
    async (tx) => {
      const session = await insertTradingSession(tx, {
        userId: user.id,
        values: { modelId: model!.id, kind: "backtest", interval: "day", status: "running", settings, startingCash, llm: "builtin:momentum", instructions: "" },
      });
      const account = await insertAccount(tx, { userId: user.id, modelId: model!.id, sessionId: session.id, startingCash });
      return { user, modelId: model!.id, sessionId: session.id, accountId: account.id };
    },
    db,
  );
}

export const market = (prices: Record<string, number | null> = { AAPL: 100, MSFT: 400, TSLA: 200 }, at = OPEN_AT) =>
  createStaticPriceSource(prices, at);

export function contextFor(f: TradingFixture, source: PriceSource = market(), now = OPEN_AT): UserOrderContext {
  return { userId: f.user.id, modelId: f.modelId, sessionId: f.sessionId, claims: f.user.claims, clock: { now: () => now }, market: source };
}

let keys = 0;
export const nextKey = (label = "call") => `${label}_${Date.now().toString(36)}_${(keys++).toString(36)}`;

/** The ledger rows of a session, read as the table owner. */
export async function ledgerOf(admin: postgres.Sql, sessionId: string) {
  const [account] = await admin<{ cash: string; fees_paid: string; realized_pnl: string }[]>`
    select cash, fees_paid, realized_pnl from accounts where session_id = ${sessionId}`;
  const orders = await admin<{ status: string; reject_code: string | null }[]>`
    select status, reject_code, symbol, side, quantity::int as quantity, request from orders where session_id = ${sessionId} order by created_at`;
  const fills = await admin`select * from fills where session_id = ${sessionId} order by created_at`;
  const positions = await admin<{ symbol: string; quantity: string; cost_basis: string; realized_pnl: string; fees_paid: string }[]>`
    select symbol, quantity, cost_basis, realized_pnl, fees_paid from positions where session_id = ${sessionId} order by symbol`;
  return { account: account!, orders, fills, positions };
}
