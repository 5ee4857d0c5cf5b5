"use server";
import { asUserAction } from "@/lib/auth/action";
import { getComparison } from "@/lib/services/leaderboard";

/** The normalised equity curves of the sessions picked on the leaderboard. */
export async function compareSessionsAction(ids: string[]) {
  return asUserAction("leaderboard", async (ctx) => ({ curves: await getComparison(ctx, ids) }));
}
