"use server";
import { asUserAction } from "@/lib/auth/action";
import { getComparison } from "@/lib/services/leaderboard";

/** The sessions picked on the leaderboard, compared on one chart (normalised equity curves). */
export async function compareSessionsAction(ids: string[]) {
  return asUserAction("leaderboard", async (ctx) => ({ comparison: await getComparison(ctx, ids) }));
}
