import { asUser, otherMethods, parseQuery } from "@/lib/api/respond";
import { compareQuerySchema } from "@/lib/schemas/leaderboard";
import { getComparison } from "@/lib/services/leaderboard";

/** Two to eight of your sessions' equity curves on one axis, as the leaderboard's chart draws them (docs/api.md). */
export const GET = (req: Request) =>
  asUser(req, async (ctx) => {
    const { sessions } = parseQuery(req, compareQuerySchema);
    return Response.json({ comparison: await getComparison(ctx, sessions) });
  });

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
