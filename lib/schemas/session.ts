import { z } from "zod";
import { MAX_SYMBOL_LENGTH, SYMBOL_PATTERN } from "@/lib/engine/instrument";
import { optionalParam, parseSearchParams, wholeParam } from "./search-params";

/**
 * One schema for starting a session: the HTTP API, a server action and the UI dialog all parse with it.
 * Strict: unknown fields are refused. It checks shapes only; what needs the database (the model is one of
 * yours, the dates are trading days with data, the symbols exist) is checked by createSession.
 */
export const MAX_UNIVERSE = 500;
export const MAX_DECIDE_EVERY = 60;
export const MAX_PACE_MS = 10_000;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** A real date written YYYY-MM-DD (not 2025-02-30, not 2025-13-45). */
export const isCalendarDate = (s: string) => {
  const m = DAY.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
};
const day = (what: string) =>
  z
    .string({ error: `${what} must be a date as YYYY-MM-DD, e.g. 2025-06-10` })
    .refine(isCalendarDate, `${what} must be a date as YYYY-MM-DD, e.g. 2025-06-10`);

const symbol = z
  .string({ error: "each symbol must be a ticker such as AAPL" })
  .trim()
  .transform((s) => s.toUpperCase())
  .refine((s) => s.length >= 1 && s.length <= MAX_SYMBOL_LENGTH && SYMBOL_PATTERN.test(s), "each symbol must be a ticker such as AAPL or BRK.B");

const symbols = z
  .array(symbol, { error: 'symbols must be a list of tickers, e.g. ["AAPL", "MSFT"]' })
  .min(1, "symbols, when given, must name at least one symbol (leave it out for every imported symbol)")
  .max(MAX_UNIVERSE, `at most ${MAX_UNIVERSE} symbols`)
  .transform((list) => [...new Set(list)]);

const dollars = z
  .union([z.string(), z.number()], { error: 'a dollar amount such as "0.005"' })
  .transform((v) => String(v).trim())
  .refine((v) => /^\d{1,14}(\.\d{1,6})?$/.test(v), 'a dollar amount such as "0.005" (at most 6 decimals)');

/** A whole number in a range, with one message for every way to miss it ("… a whole number [of unit] from min to max"). */
const whole = (name: string, unit: string | null, min: number, max: number) => {
  const message = `${name} must be a whole number${unit ? ` of ${unit}` : ""} from ${min} to ${max}`;
  return z.number({ error: message }).int(message).min(min, message).max(max, message);
};

/**
 * Fees, slippage, shorting and the volume cap: a model's defaults (`models.trading`) and a session's overrides of them.
 * Every field is optional; what neither sets is free trading, no slippage, long only.
 */
const tradingFields = {
  fees: z
    .object({
      perShare: dollars.optional(),
      perOrder: dollars.optional(),
      minimum: dollars.optional(),
      notionalBps: whole("The commission in basis points", "basis points", 0, 10_000).optional(),
    })
    .strict()
    .optional(),
  slippageBps: whole("Slippage", "basis points", 0, 9_999).optional(),
  allowShort: z.boolean({ error: "allowShort must be true or false" }).optional(),
  borrowRateBps: whole("The borrow rate", "basis points a year", 0, 100_000).optional(),
  /** Cash held against open shorts, in bps of their value (docs/engine.md); DEFAULT_SHORT_MARGIN_BPS when unset. */
  shortMarginRequirementBps: whole("The short margin requirement", "basis points of short value", 10_000, 100_000).optional(),
  /** Working orders of a symbol fill at most this share of each bar's volume, the rest keeps working (docs/trading.md). */
  participationBps: whole("The volume cap", "basis points of a bar's volume", 1, 10_000).optional(),
};

/** 150 %: the cash a short must leave in the account, as a share of the value of all open shorts. */
export const DEFAULT_SHORT_MARGIN_BPS = 15_000;

/** A message for a value that is not an object at all; other issues (an unknown key) keep their own. */
const notAnObject = (message: string) => ({ error: (issue: { code: string }) => (issue.code === "invalid_type" ? message : undefined) });

export const tradingDefaultsSchema = z.object(tradingFields, notAnObject('trading must be an object such as {"slippageBps": 5}')).strict();
export type TradingDefaults = z.output<typeof tradingDefaultsSchema>;
export type TradingDefaultsInput = z.input<typeof tradingDefaultsSchema>;

/**
 * A session's settings: its trading fields override the model's defaults one by one (createSession);
 * starting cash always comes from the model.
 */
export const sessionSettingsSchema = z
  .object({
    ...tradingFields,
    /** Model steps per decision (tool-call rounds). */
    maxSteps: whole("Model steps per decision", "steps", 6, 50).optional(),
    decisionTimeoutSeconds: whole("The decision timeout", "seconds", 1, 600).optional(),
    seed: whole("seed", null, 0, 2_147_483_647).optional(),
    /** The least wall time per bar, in ms: 0 (the default) runs as fast as the model decides; 100 shows a replay at 10 bars a second. */
    paceMs: whole("paceMs", "milliseconds per bar", 0, MAX_PACE_MS).optional(),
  }, notAnObject('settings must be an object such as {"maxSteps": 8}'))
  .strict();

/** A model's defaults with a session's overrides on top, field by field (fees too). */
export function mergeTradingSettings(model: TradingDefaults, session: TradingDefaults): TradingDefaults {
  const fees = { ...model.fees, ...session.fees };
  return {
    ...(Object.keys(fees).length > 0 ? { fees } : {}),
    ...pick(model),
    ...pick(session),
  };
}

const pick = ({ slippageBps, allowShort, borrowRateBps, shortMarginRequirementBps, participationBps }: TradingDefaults) =>
  Object.fromEntries(Object.entries({ slippageBps, allowShort, borrowRateBps, shortMarginRequirementBps, participationBps }).filter(([, v]) => v !== undefined));

const modelId = z.uuid({ error: "modelId must be the id of one of your models" });

export const SESSION_LABEL_MAX = 80;
/** The user's name for a run ("prompt v2"): one line, 1–80 characters after trimming. `none`: how to send no label. */
const labelSchema = (none: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? `The label is missing: ${none}` : "The label must be text") })
    .trim()
    .min(1, `The label must not be empty: ${none}`)
    .max(SESSION_LABEL_MAX, `The label must be at most ${SESSION_LABEL_MAX} characters`)
    .regex(/^[^\p{Cc}]*$/u, "The label must be one line of text")
    .regex(/^[^\p{Cs}]*$/u, "The label must be valid Unicode text (it holds half of a surrogate pair)");
const label = labelSchema("leave it out for none");

/** PATCH /api/v1/sessions/:id: the one thing of a session that changes after it starts, its label (null: none). */
export const sessionPatchSchema = z.object({ label: labelSchema("send null for none").nullable() }).strict();

/**
 * Who decides at each bar: "model" (the default: the session's model, run in process) or "external" (an outside agent
 * holding a model API token, over MCP or REST: docs/sessions.md, "Sessions an outside agent drives").
 */
export const SESSION_DRIVERS = ["model", "external"] as const;
export type SessionDriver = (typeof SESSION_DRIVERS)[number];
const sessionDriver = z.enum(SESSION_DRIVERS, {
  error: 'driver must be "model" (the session\'s model decides) or "external" (an outside agent with a model API token decides)',
});

export const backtestInputSchema = z
  .object({
    modelId,
    kind: z.literal("backtest"),
    interval: z.enum(["day", "hour"], { error: 'a backtest\'s interval must be "day" or "hour"' }),
    start: day("start"),
    end: day("end"),
    label: label.optional(),
    symbols: symbols.optional(),
    settings: sessionSettingsSchema.optional(),
    driver: sessionDriver.optional(),
  })
  .strict()
  .refine((v) => v.start <= v.end, { path: ["end"], error: "end must be on or after start" });

export const replayInputSchema = z
  .object({
    modelId,
    kind: z.literal("replay"),
    interval: z.literal("minute", { error: 'a replay runs on minute bars: interval must be "minute" or left out' }).optional(),
    day: day("day"),
    decideEvery: z
      .number({ error: `decideEvery must be a whole number of minutes from 1 to ${MAX_DECIDE_EVERY}` })
      .int(`decideEvery must be a whole number of minutes from 1 to ${MAX_DECIDE_EVERY}`)
      .min(1, `decideEvery must be from 1 to ${MAX_DECIDE_EVERY}`)
      .max(MAX_DECIDE_EVERY, `decideEvery must be from 1 to ${MAX_DECIDE_EVERY}`)
      .default(1),
    label: label.optional(),
    symbols: symbols.optional(),
    settings: sessionSettingsSchema.optional(),
    driver: z.literal("model", { error: 'a replay is decided by its model: driver "external" is for backtests' }).optional(),
  })
  .strict();

export const sessionInputSchema = z.discriminatedUnion("kind", [backtestInputSchema, replayInputSchema], {
  error: 'kind must be "backtest" (with interval, start, end) or "replay" (with day)',
});

export type SessionInput = z.input<typeof sessionInputSchema>;
export type ValidSessionInput = z.output<typeof sessionInputSchema>;

/** Field → first message, for forms and the API's `fields`. */
export function sessionFieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.join(".") : "body";
    out[key] ??= issue.code === "unrecognized_keys" ? `unknown field(s): ${issue.keys.join(", ")}` : issue.message;
  }
  return out;
}

export const SESSION_STATUSES = ["queued", "pending", "running", "paused", "completed", "failed", "cancelled"] as const;
const sessionStatus = z.enum(SESSION_STATUSES, { error: `status must be one of ${SESSION_STATUSES.join(", ")}` });

/** GET /api/v1/sessions filters and page. */
export const sessionListQuerySchema = z
  .object({
    status: sessionStatus.optional(),
    modelId: z.uuid({ error: "modelId must be a model id" }).optional(),
    offset: wholeParam("offset", 0, 1_000_000, 0),
    limit: wholeParam("limit", 1, 200, 50),
  })
  .strict();

/** The dashboard's session list: a model, a status and a page, from the URL (`?model=&status=&page=`). */
export const SESSION_CARDS_PER_PAGE = 50;
export const sessionCardFilterSchema = z.object({
  model: optionalParam(z.uuid({ error: "Model must be one of your models" })),
  status: optionalParam(z.enum(SESSION_STATUSES, { error: `Status must be one of ${SESSION_STATUSES.join(", ")}` })),
  page: wholeParam("Page", 1, 20_000, 1),
});
export type SessionCardFilter = z.output<typeof sessionCardFilterSchema>;

/** The dashboard's filter from its URL: a bad value is left out (and described in `error`), the others still apply. */
export const parseSessionCardFilter = (params: Record<string, string | string[] | undefined>) => parseSearchParams(sessionCardFilterSchema, params);

/** ?offset=&limit= of the list endpoints (decisions, orders). */
export const pageQuerySchema = z
  .object({
    offset: wholeParam("offset", 0, 10_000_000, 0),
    limit: wholeParam("limit", 1, 5_000, 500),
  })
  .strict();

/** Which decisions: as the viewer's "Show decisions" (lib/viewer/decision-filter.ts), all when left out. */
export const DECISION_KINDS = ["traded", "held", "failed", "rejected", "tool-errors"] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];
const decisionKind = z.enum(DECISION_KINDS, { error: `show must be one of ${DECISION_KINDS.join(", ")}` });

/** The viewer's URL: `?show=failed` opens the decision feed filtered to that kind. */
export const viewerQuerySchema = z.object({ show: optionalParam(decisionKind) });

/** GET /api/v1/sessions/:id/decisions: a page, optionally only one kind of decision (?show=failed). */
export const decisionPageQuerySchema = pageQuerySchema.extend({ show: decisionKind.optional() });
