import "server-only";
import type { Db } from "../client";
import { oneStatementAsUser, type Claims } from "../rls";
import type { TradingSessionRow } from "./sessions";

/**
 * What a finished run's results are computed from, in ONE statement as the owner (a read transaction
 * that never waits for this process): the session's bar times and universe, its account, equity curve
 * and fills. Money as text, never a JSON number.
 */
const SESSION_RESULTS = `
select s.interval, s.symbols, s.schedule, s.starting_cash::text as "startingCash",
       (select json_build_object('startingCash', a.starting_cash::text, 'feesPaid', a.fees_paid::text)
          from accounts a where a.session_id = s.id and a.user_id = s.user_id) as account,
       (select coalesce(json_agg(json_build_object('at', e.at, 'equity', e.equity::text) order by e.bar_index), '[]'::json)
          from session_equity e where e.session_id = s.id and e.user_id = s.user_id) as equity,
       (select coalesce(json_agg(f.realized_pnl::text order by f.filled_at, f.created_at) filter (where f.realized_pnl is not null), '[]'::json)
          from fills f where f.session_id = s.id and f.user_id = s.user_id) as "closingPnls",
       (select count(*)::int from fills f where f.session_id = s.id and f.user_id = s.user_id) as "tradeCount"
from trading_sessions s
where s.id = $1 and s.user_id = $2`;

export interface SessionResultsRow {
  interval: TradingSessionRow["interval"];
  symbols: string[];
  schedule: string[];
  startingCash: string;
  /** Null before the run opened its account. */
  account: { startingCash: string; feesPaid: string } | null;
  /** `at` as JSON prints a timestamptz. */
  equity: { at: string; equity: string }[];
  closingPnls: string[];
  tradeCount: number;
}

/** Undefined when the session is not the claims' user's. */
export async function readSessionResults(db: Db, claims: Claims, { id }: { id: string }): Promise<SessionResultsRow | undefined> {
  const [row] = await oneStatementAsUser<SessionResultsRow>(claims, SESSION_RESULTS, [id, claims.sub], db);
  return row;
}
