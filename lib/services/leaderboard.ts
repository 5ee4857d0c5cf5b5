import "server-only";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { countUnrankedSessionsByUser, listCompletedSessionsByUser, type LeaderboardRow } from "@/lib/db/queries/leaderboard";
import { listEquityOfSessions } from "@/lib/db/queries/session-view";
import { withUser } from "@/lib/db/rls";
import { LEADERBOARD_LIMIT } from "@/lib/schemas/leaderboard";
import { AppError } from "@/lib/errors";
import { downsample } from "@/lib/viewer/derive";
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
export const COMPARE_POINTS = 400;
const compareSchema = z.array(z.uuid()).min(2, "Pick at least two sessions to compare").max(MAX_COMPARE, `Compare at most ${MAX_COMPARE} sessions at once`);

export interface CurveOfSession {
  sessionId: string;
  /** Equity as a percentage of the starting cash (100 at the start, as returns are measured), against the share of its bars run (0–100). */
  points: { x: number; value: number }[];
}

/** The equity curves of two or more of the user's sessions, normalised to 100 (another user's ids give nothing). */
export async function getComparison(ctx: UserContext, ids: unknown, db?: Db): Promise<CurveOfSession[]> {
  const parsed = compareSchema.safeParse(ids);
  if (!parsed.success) throw new AppError("reject", "VALIDATION_FAILED", parsed.error.issues[0]?.message ?? "Pick sessions to compare");
  const sessionIds = [...new Set(parsed.data)];
  const rows = await withUser(ctx.claims, (tx) => listEquityOfSessions(tx, { sessionIds, userId: ctx.userId }), db);
  const bySession = new Map<string, { start: number; equity: number[] }>();
  for (const r of rows) {
    let curve = bySession.get(r.sessionId);
    if (!curve) bySession.set(r.sessionId, (curve = { start: Number(r.startingCash), equity: [] }));
    curve.equity.push(Number(r.equity));
  }
  return sessionIds.flatMap((id) => {
    const curve = bySession.get(id);
    if (!curve || !(curve.start > 0)) return [];
    const { start, equity } = curve;
    const last = Math.max(1, equity.length - 1);
    // The first mark comes after the first bar's trades: the start is the starting cash (lib/engine metrics).
    const points = downsample(
      equity.map((e, i) => ({ x: (i / last) * 100, value: i === 0 ? 100 : (e / start) * 100 })),
      COMPARE_POINTS,
      [(p) => p.value],
    );
    return [{ sessionId: id, points }];
  });
}
