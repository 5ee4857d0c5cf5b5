import "server-only";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { countUnrankedSessionsByUser, listCompletedSessionsByUser, type LeaderboardRow } from "@/lib/db/queries/leaderboard";
import { listBenchmarksOfSessions, listEquityOfSessions, type EquityOfSessionRow } from "@/lib/db/queries/session-view";
import { withUser } from "@/lib/db/rls";
import { LEADERBOARD_LIMIT } from "@/lib/schemas/leaderboard";
import { AppError } from "@/lib/errors";
import { compareSessions, type ComparedSession, type Comparison } from "@/lib/viewer/compare";
import { benchmarkNameOf } from "@/lib/viewer/fold";
import type { UserContext } from "./context";

/**
 * The leaderboard (docs/ui.md): the user's completed sessions ranked by their stored metrics, against
 * their benchmark, and their equity curves side by side. As the user: RLS applies.
 */
export interface LeaderboardEntry {
  id: string;
  modelName: string;
  /** The user's name for the run, or null. */
  label: string | null;
  llm: string;
  /** A session an outside agent drives: its token's name; null otherwise. */
  drivenBy: string | null;
  kind: LeaderboardRow["kind"];
  interval: LeaderboardRow["interval"];
  symbols: number;
  synthetic: boolean;
  range: string;
  bars: number;
  finishedAt: string | null;
  totalReturn: number | null;
  sharpe: number | null;
  maxDrawdown: number | null;
  trades: number;
  benchmarkName: string | null;
  benchmarkReturn: number | null;
  /** totalReturn − benchmarkReturn; null when either is unknown. */
  excessReturn: number | null;
}

const n = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

export function toEntry(r: LeaderboardRow): LeaderboardEntry {
  const m = r.metrics ?? {};
  const total = n(m.totalReturn);
  const bench = n(r.benchmark?.metrics?.totalReturn);
  return {
    id: r.id,
    modelName: r.modelName,
    label: r.label,
    llm: r.llm,
    drivenBy: r.drivenBy ?? null,
    kind: r.kind,
    interval: r.interval,
    symbols: r.symbols.length,
    synthetic: r.symbols.length > 0 && r.symbols.every((s) => /^ZZ[A-Z]{4}$/.test(s)),
    range: r.rangeStart === r.rangeEnd || !r.rangeEnd ? (r.rangeStart ?? "") : `${r.rangeStart} to ${r.rangeEnd}`,
    bars: r.totalBars,
    finishedAt: r.finishedAt === null ? null : new Date(r.finishedAt).toISOString(),
    totalReturn: total,
    sharpe: n(m.sharpe),
    maxDrawdown: n(m.maxDrawdown),
    trades: n(m.tradeCount) ?? 0,
    benchmarkName: benchmarkNameOf(r.benchmark),
    benchmarkReturn: bench,
    excessReturn: total !== null && bench !== null ? total - bench : null,
  };
}

/**
 * The ranked sessions (at most `limit`, the most recently finished of those the filter keeps), how many the
 * filter keeps in all (`total` > entries.length: the rest are not ranked), and how many sessions are not
 * finished or failed (`unranked`).
 */
export async function getLeaderboard(
  ctx: UserContext,
  { modelId, interval, limit = LEADERBOARD_LIMIT }: { modelId?: string; interval?: LeaderboardEntry["interval"]; limit?: number } = {},
  db?: Db,
): Promise<{ entries: LeaderboardEntry[]; total: number; unranked: number }> {
  return withUser(
    ctx.claims,
    async (tx) => {
      const { rows, total } = await listCompletedSessionsByUser(tx, { userId: ctx.userId, modelId, interval, limit });
      const unranked = await countUnrankedSessionsByUser(tx, { userId: ctx.userId });
      return { entries: rows.map(toEntry), total, unranked };
    },
    db,
  );
}

export const MAX_COMPARE = 8;
const compareSchema = z.array(z.uuid({ error: "Each session id must be a UUID" })).min(2, "Pick at least two sessions to compare").max(MAX_COMPARE, `Compare at most ${MAX_COMPARE} sessions at once`);

/**
 * Two or more of the user's sessions on one chart (lib/viewer/compare.ts): over their bars in time order when
 * their runs overlap (with the benchmark when they ran over the same bars), else over the share of their
 * bars. An id that is not one of the user's sessions with an equity point (another user's, a missing one, one with no bar run yet) is NOT_FOUND.
 */
export async function getComparison(ctx: UserContext, ids: unknown, db?: Db): Promise<Comparison> {
  const parsed = compareSchema.safeParse(ids);
  if (!parsed.success) throw new AppError("reject", "VALIDATION_FAILED", parsed.error.issues[0]?.message ?? "Pick sessions to compare");
  const sessionIds = [...new Set(parsed.data)];
  if (sessionIds.length < 2) throw new AppError("reject", "VALIDATION_FAILED", "Pick at least two different sessions to compare");
  const [rows, benchmarks] = await withUser(
    ctx.claims,
    (tx) => Promise.all([listEquityOfSessions(tx, { sessionIds, userId: ctx.userId }), listBenchmarksOfSessions(tx, { sessionIds, userId: ctx.userId })]),
    db,
  );
  const marks = new Map<string, EquityOfSessionRow[]>();
  for (const r of rows) {
    const own = marks.get(r.sessionId);
    if (own) own.push(r);
    else marks.set(r.sessionId, [r]);
  }
  const benchmarkOf = new Map(benchmarks.map((b) => [b.sessionId, b.benchmark]));
  const sessions = sessionIds.map((id): ComparedSession => {
    const own = marks.get(id);
    if (!own) throw new AppError("not_found", "NOT_FOUND", `No session ${id} with equity to compare among yours`);
    const curve = own.map((r) => ({ barIndex: r.barIndex, at: new Date(r.at).toISOString(), equity: Number(r.equity) }));
    return { sessionId: id, startingCash: Number(own[0]!.startingCash), marks: curve, benchmark: benchmarkOf.get(id) ?? null };
  });
  return compareSessions(sessions);
}
