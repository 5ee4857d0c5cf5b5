import { z } from "zod";
import { INTERVALS } from "@/lib/market/types";
import { optionalParam, parseSearchParams } from "./search-params";

/** The leaderboard ranks at most this many sessions (the most recently finished of those filtered). */
export const LEADERBOARD_LIMIT = 200;

/** `?model=&bars=`: rank one model's sessions, or sessions on the same bars (a day's replay beside a year's backtest says little). */
export const leaderboardFilterSchema = z.object({
  model: optionalParam(z.uuid({ error: "Model must be one of your models" })),
  bars: optionalParam(z.enum(INTERVALS, { error: "Bars must be day, hour or minute" })),
});
export type LeaderboardFilter = z.output<typeof leaderboardFilterSchema>;

export const parseLeaderboardFilter = (params: Record<string, string | string[] | undefined>) => parseSearchParams(leaderboardFilterSchema, params);

/** `GET /api/v1/leaderboard?modelId=&interval=`: the page's filter, named as `GET /api/v1/sessions` names its own. */
export const leaderboardQuerySchema = z
  .object({
    modelId: z.uuid({ error: "modelId must be a model id" }).optional(),
    interval: z.enum(INTERVALS, { error: "interval must be day, hour or minute" }).optional(),
  })
  .strict();

/** `GET /api/v1/leaderboard/compare?sessions=<id>,<id>`: the ids, checked by the comparison itself. */
export const compareQuerySchema = z
  .object({
    sessions: z.string({ error: "sessions is required: 2 to 8 session ids, comma-separated" }).transform((s) => s.split(",").map((id) => id.trim())),
  })
  .strict();
