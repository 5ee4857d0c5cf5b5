import "server-only";
import type { Executor } from "@/lib/db/client";
import { runPrepared } from "@/lib/db/prepared";

/** The leaderboard's rows: the user's finished sessions with their stored metrics (docs/ui.md). */
export interface LeaderboardRow {
  id: string;
  modelId: string;
  modelName: string;
  llm: string;
  kind: "backtest" | "replay" | "paper";
  interval: "day" | "hour" | "minute";
  symbols: string[];
  rangeStart: string | null;
  rangeEnd: string | null;
  totalBars: number;
  startingCash: string;
  finishedAt: string | null;
  metrics: Record<string, unknown> | null;
  benchmark: { kind?: string; metrics?: Record<string, unknown> } | null;
}

const COMPLETED = `
select s.id, s.model_id as "modelId", m.name as "modelName", m.llm, s.kind, s.interval, s.symbols,
       s.range_start::text as "rangeStart", s.range_end::text as "rangeEnd", s.total_bars as "totalBars",
       s.starting_cash::text as "startingCash", s.finished_at::text as "finishedAt", s.metrics,
       case when s.benchmark is null then null
            else jsonb_build_object('kind', s.benchmark->'kind', 'metrics', s.benchmark->'metrics') end as benchmark
from trading_sessions s
join models m on m.id = s.model_id
where s.user_id = $1 and s.status = 'completed' and s.metrics is not null
order by s.finished_at desc
limit $2`;

/** Completed sessions with metrics, newest first (the benchmark's curve is left out: it is per bar). */
export function listCompletedSessionsByUser(tx: Executor, { userId, limit }: { userId: string; limit: number }): Promise<LeaderboardRow[]> {
  return runPrepared<LeaderboardRow>(tx, COMPLETED, [userId, limit]);
}

const NOT_RANKED = `
select count(*)::int as n from trading_sessions where user_id = $1 and not (status = 'completed' and metrics is not null)`;

/** Sessions that are not on the leaderboard (yet): running, paused, failed, cancelled. */
export async function countUnrankedSessionsByUser(tx: Executor, { userId }: { userId: string }): Promise<number> {
  const [row] = await runPrepared<{ n: number }>(tx, NOT_RANKED, [userId]);
  return row?.n ?? 0;
}
