import { asUser, otherMethods, parseQuery } from "@/lib/api/respond";
import { leaderboardQuerySchema } from "@/lib/schemas/leaderboard";
import { getLeaderboard } from "@/lib/services/leaderboard";

/** Your completed sessions ranked as on /leaderboard: `{entries, total, unranked}` (docs/api.md). */
export const GET = (req: Request) =>
  asUser(req, async (ctx) => {
    const { modelId, interval } = parseQuery(req, leaderboardQuerySchema);
    return Response.json(await getLeaderboard(ctx, { modelId, interval }));
  });

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
