"use server";
import { requireUser } from "@/lib/auth/current-user";
import { AppError } from "@/lib/errors";
import { getComparison, type CurveOfSession } from "@/lib/services/leaderboard";

/** The normalised equity curves of the sessions picked on the leaderboard. */
export async function compareSessionsAction(ids: string[]): Promise<{ ok: true; curves: CurveOfSession[] } | { ok: false; message: string }> {
  const user = await requireUser();
  try {
    return { ok: true, curves: await getComparison({ userId: user.id, claims: user.claims }, ids) };
  } catch (err) {
    if (err instanceof AppError && err.kind !== "halt") return { ok: false, message: err.message };
    console.error("[leaderboard] compare failed", err instanceof Error ? err.message : err);
    return { ok: false, message: "Something went wrong on our side; it has been logged. Try again." };
  }
}
