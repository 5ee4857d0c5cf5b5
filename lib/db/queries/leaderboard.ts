import "server-only";
import type { Executor } from "@/lib/db/client";
import { runPrepared } from "@/lib/db/prepared";
import { drivenBySql } from "./driven-by";

/** The leaderboard's rows: the user's finished sessions with their stored metrics (docs/ui.md). */
export interface LeaderboardRow {
  id: string;
  modelId: string;
  modelName: string;
  label: string | null;
  llm: string;
  /** A session an outside agent drives: its token's name; null for a session its model runs. */
  drivenBy: string | null;
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

/** $2 a model id or null, $3 an interval or null: one prepared statement for every filter. */
const RANKED_WHERE = `
where s.user_id = $1 and s.status = 'completed' and s.metrics is not null
  and ($2::uuid is null or s.model_id = $2::uuid) and ($3::bar_interval is null or s.interval = $3::bar_interval)`;

const COMPLETED = `
select s.id, s.model_id as "modelId", m.name as "modelName", s.label, s.llm, s.kind, s.interval, s.symbols,
       s.range_start::text as "rangeStart", s.range_end::text as "rangeEnd", s.total_bars as "totalBars",
       s.starting_cash::text as "startingCash", s.finished_at::text as "finishedAt", s.metrics,
       ${drivenBySql("s")} as "drivenBy",
       case when s.benchmark is null then null
            else jsonb_build_object('kind', s.benchmark->'kind', 'metrics', s.benchmark->'metrics') end as benchmark
from trading_sessions s
join models m on m.id = s.model_id
${RANKED_WHERE}
order by s.finished_at desc, s.id desc
limit $4`;

const COMPLETED_COUNT = `select count(*)::int as n from trading_sessions s ${RANKED_WHERE}`;

export interface LeaderboardQuery {
  userId: string;
  modelId?: string;
  interval?: LeaderboardRow["interval"];
  limit: number;
}

/**
 * Completed sessions with metrics, most recently finished first (the benchmark's curve is left out: it is
 * per bar), and how many match in all.
 */
export async function listCompletedSessionsByUser(tx: Executor, q: LeaderboardQuery): Promise<{ rows: LeaderboardRow[]; total: number }> {
  const filter = [q.userId, q.modelId ?? null, q.interval ?? null];
  const [rows, [count]] = await Promise.all([runPrepared<LeaderboardRow>(tx, COMPLETED, [...filter, q.limit]), runPrepared<{ n: number }>(tx, COMPLETED_COUNT, filter)]);
  return { rows, total: count!.n };
}

const NOT_RANKED = `
select count(*)::int as n from trading_sessions where user_id = $1 and not (status = 'completed' and metrics is not null)`;

/** Sessions that are not on the leaderboard (yet): running, paused, failed, cancelled. */
export async function countUnrankedSessionsByUser(tx: Executor, { userId }: { userId: string }): Promise<number> {
  const [row] = await runPrepared<{ n: number }>(tx, NOT_RANKED, [userId]);
  return row?.n ?? 0;
}
