import "server-only";
import { z } from "zod";
import { getDb, type Db } from "@/lib/db/client";
import { insertAccount } from "@/lib/db/queries/accounts";
import { getModelById } from "@/lib/db/queries/models";
import { getTradingSessionById, insertTradingSession, setTradingSessionStatus, type TradingSessionRow } from "@/lib/db/queries/sessions";
import { withCore, withUser } from "@/lib/db/rls";
import { AppError, notFound } from "@/lib/errors";
import { assertId } from "@/lib/services/ids";
import type { SessionJobs } from "@/lib/jobs/session-jobs";
import { mergeTradingSettings, sessionFieldErrors, sessionInputSchema, type SessionInput, type TradingDefaults, type ValidSessionInput } from "@/lib/schemas/session";
import type { UserContext } from "@/lib/services/context";
import { rateLimit, type RateLimit } from "@/lib/rate-limit";
import { tradingSettingsSchema } from "@/lib/trading/trading-settings";
import { openAdmissions, startingNow } from "./admission";
import { externalFence } from "./external-fence";
import { planSession, type SessionPlan } from "./plan";

export interface SessionServiceDeps {
  db?: Db;
  /** Where runs are queued (the web process: getSessionJobs()). */
  jobs: SessionJobs;
  /** Pending + running sessions a user may have (default SESSION_CONCURRENCY_PER_USER); more wait queued. */
  concurrencyPerUser?: number;
  /**
   * Sessions a user may start per window, shared by every process (lib/rate-limit.ts; default: the app's,
   * RATE_LIMIT_SESSIONS_PER_HOUR); null: none (benchmarks that start hundreds).
   */
  sessionLimit?: RateLimit | null;
  /** An external session started by a model API token (start_session): the token that drives it ("driven by"). */
  driverTokenId?: string | null;
}

/** Parses with the shared schema; a bad request is VALIDATION_FAILED with a message per field. */
export function parseSessionInput(input: unknown): ValidSessionInput {
  const parsed = sessionInputSchema.safeParse(input);
  if (!parsed.success) throw new AppError("reject", "VALIDATION_FAILED", "The session request is not valid", sessionFieldErrors(parsed.error));
  return parsed.data;
}

/** At most this many sessions are started by one request (the per-user limit is usually lower). */
export const MAX_SESSIONS_AT_ONCE = 20;

/**
 * Starts a session for one of the caller's active models: checks the request (schema, then the market
 * data: plan.ts), then in ONE transaction as the trading core for the user (withCore): the per-user limit (admission.ts: pending with its
 * job when a slot is free, else queued), the session with its schedule, its account with the model's
 * starting cash and its first `status` event. Nothing is written when anything is wrong.
 */
export async function createSession(ctx: UserContext, input: unknown, deps: SessionServiceDeps): Promise<TradingSessionRow> {
  return (await createSessions(ctx, [input], deps))[0]!;
}

/**
 * Starts several sessions at once, all or none (the Start dialog's "Also run with": the same bars and
 * settings for each model, each with its own defaults under them; the API's array of requests): every
 * request is checked as in createSession, then one transaction writes them all; those past the per-user
 * limit wait queued, in order. `indexErrors`: an error names the request it is about ("Request 2 of 3: …",
 * fields "1.end"), for callers whose requests differ (the API); the dialog's differ only by model.
 */
export async function createSessions(
  ctx: UserContext,
  inputs: readonly unknown[],
  deps: SessionServiceDeps,
  { indexErrors = false, replayOf }: { indexErrors?: boolean; replayOf?: TradingSessionRow } = {},
): Promise<TradingSessionRow[]> {
  if (inputs.length < 1 || inputs.length > MAX_SESSIONS_AT_ONCE) {
    throw new AppError("reject", "VALIDATION_FAILED", `Start from 1 to ${MAX_SESSIONS_AT_ONCE} sessions at once, not ${inputs.length}`);
  }
  /** The error of request i, named by its place when `indexErrors`. */
  const named = (i: number, err: unknown) => {
    if (!indexErrors || !(err instanceof AppError)) return err;
    const fields = Object.fromEntries(Object.entries(err.fieldErrors).map(([k, v]) => [`${i}.${k}`, v]));
    return new AppError(err.kind, err.code, `Request ${i + 1} of ${inputs.length}: ${err.message}`, fields);
  };
  const each = <T>(i: number, check: () => T): T => {
    try {
      return check();
    } catch (err) {
      throw named(i, err);
    }
  };
  const db = deps.db ?? getDb();
  const specs = inputs.map((input, i) => each(i, () => parseSessionInput(input)));
  // Each session runs model calls: a user starts at most so many per window (RATE_LIMITED, 429).
  const limit = deps.sessionLimit === undefined ? rateLimit("sessions", db) : deps.sessionLimit;
  await limit?.consume(ctx.userId, specs.length);
  const models = await withUser(ctx.claims, (tx) => Promise.all(specs.map((spec) => getModelById(tx, { id: spec.modelId, userId: ctx.userId }))), db);
  const chosen = specs.map((spec, i) =>
    each(i, () => {
      const model = models[i];
      if (!model || !model.isActive) throw notFound("Model");
      return { spec, model };
    }),
  );
  // The same bars for each model ("Also run with"): each distinct request, its model aside, is planned once.
  const plans = new Map<string, Promise<SessionPlan>>();
  const planOf = (spec: ValidSessionInput) => {
    const key = JSON.stringify({ ...spec, modelId: null });
    if (!plans.has(key)) plans.set(key, planSession(db, spec));
    return plans.get(key)!;
  };
  const runs = await Promise.all(
    chosen.map(async ({ spec, model }, i) => {
      const plan = await planOf(spec).catch((err) => Promise.reject(named(i, err)));
      return { spec, model, plan, settings: settingsOf(spec, model.trading) };
    }),
  );
  return withCore(
    ctx.claims,
    async (tx) => {
      const now = startingNow(await openAdmissions(tx, ctx.userId, deps), runs.length);
      const created: TradingSessionRow[] = [];
      for (const [i, { spec, model, plan, settings }] of runs.entries()) {
        const status = i < now ? "pending" : "queued";
        const session = await insertTradingSession(tx, {
          userId: ctx.userId,
          values: {
            modelId: model.id,
            kind: spec.kind,
            interval: plan.interval,
            status,
            // An exact replay keeps its source's margin model (a session from before strategy margin replays as it ran).
            settings: replayOf ? { ...settings.trading, strategyMargin: (replayOf.settings as { strategyMargin?: boolean }).strategyMargin ?? true } : settings.trading,
            startingCash: model.startingCash,
            // An exact replay asks with what its source asked: the source's llm and strategy prompt.
            llm: replayOf?.llm ?? model.llm,
            instructions: replayOf?.instructions ?? model.instructions,
            replayOf: replayOf?.id ?? null,
            label: spec.label ?? null,
            symbols: plan.symbols,
            rangeStart: plan.rangeStart,
            rangeEnd: plan.rangeEnd,
            decideEvery: spec.kind === "replay" ? spec.decideEvery : 1,
            schedule: plan.schedule.map((d) => d.toISOString()),
            totalBars: plan.schedule.length,
            seed: settings.seed,
            maxSteps: settings.maxSteps,
            decisionTimeoutMs: settings.timeoutMs,
            paceMs: settings.paceMs,
            driver: spec.driver ?? "model",
            driverTokenId: spec.driver === "external" ? (deps.driverTokenId ?? null) : null,
          },
        });
        await insertAccount(tx, { userId: ctx.userId, modelId: model.id, sessionId: session.id, startingCash: model.startingCash });
        await setTradingSessionStatus(tx, { id: session.id, userId: ctx.userId, status, payload: { from: null, totalBars: plan.schedule.length } });
        if (status === "pending" && spec.driver === "external") {
          // No runner: the clock stands at the first bar, the agent's turn (external-turn.ts), fenced like a runner's claim.
          const runnerId = externalFence();
          await setTradingSessionStatus(tx, { id: session.id, userId: ctx.userId, status: "running", runnerId, payload: { from: "pending" } });
          await deps.jobs.enqueueTurnTimeout?.(tx, session.id, 0);
          created.push({ ...session, status: "running", runnerId, eventSeq: 2 });
          continue;
        }
        if (status === "pending") await deps.jobs.enqueueRun(tx, session.id);
        created.push({ ...session, eventSeq: 1 });
      }
      return created;
    },
    db,
  );
}

/**
 * Runs one of the caller's sessions again, as a new session: the same model as it is now (an edited prompt
 * is the point of running again), bars, symbols, trading rules, seed, steps, timeout and pace. The model
 * must still be active (restored if archived).
 */
export async function rerunSession(ctx: UserContext, id: string, deps: SessionServiceDeps): Promise<TradingSessionRow> {
  const db = deps.db ?? getDb();
  assertId(id, "Session");
  const found = await withUser(
    ctx.claims,
    async (tx) => {
      const session = await getTradingSessionById(tx, { id, userId: ctx.userId });
      return session && { session, model: await getModelById(tx, { id: session.modelId, userId: ctx.userId }) };
    },
    db,
  );
  if (!found) throw notFound("Session");
  if (!found.model?.isActive) {
    throw new AppError("conflict", "MODEL_ARCHIVED", `The model ${found.model ? `"${found.model.name}" ` : ""}is archived: restore it on the dashboard to run it again`);
  }
  return createSession(ctx, rerunInputOf(found.session), { ...deps, db });
}

/**
 * Replays a session exactly from its record: the same request, llm and strategy prompt, and every model
 * answer taken from the source's model calls; no provider is asked anything. A call the record does not
 * hold (the source never got that far) fails the replay with NOT_RECORDED; a request that differs from the
 * recorded one, REPLAY_DIVERGED.
 */
export async function replaySessionExactly(ctx: UserContext, id: string, deps: SessionServiceDeps): Promise<TradingSessionRow> {
  const db = deps.db ?? getDb();
  assertId(id, "Session");
  const source = await withUser(ctx.claims, (tx) => getTradingSessionById(tx, { id, userId: ctx.userId }), db);
  if (!source) throw notFound("Session");
  return (await createSessions(ctx, [rerunInputOf(source)], { ...deps, db }, { replayOf: source }))[0]!;
}

/**
 * A stored session as the request that starts the same run (the symbols as resolved, the full trading
 * rules): what Run again sends, and what Change and run again fills the Start dialog with (prefillOf).
 * It is checked like any request by createSession (a `paper` session, which no request starts, is refused there).
 */
export function rerunInputOf(s: TradingSessionRow): SessionInput {
  // strategyMargin is the stored margin model, not a request field: a run again is a new session with today's.
  const trading = { ...(s.settings as TradingDefaults & { strategyMargin?: boolean }) };
  delete trading.strategyMargin;
  const settings = { ...trading, seed: s.seed, maxSteps: s.maxSteps, decisionTimeoutSeconds: Math.round(s.decisionTimeoutMs / 1000), paceMs: s.paceMs };
  const common = { modelId: s.modelId, symbols: s.symbols, settings, ...(s.label ? { label: s.label } : {}) };
  if (s.kind === "replay") return { ...common, kind: "replay", day: s.rangeStart ?? "", decideEvery: s.decideEvery };
  const driver = s.driver === "external" ? { driver: "external" as const } : {};
  return { ...common, kind: s.kind as "backtest", interval: s.interval as "day" | "hour", start: s.rangeStart ?? "", end: s.rangeEnd ?? "", ...driver };
}

const DEFAULT_SEED = 42;
const DEFAULT_MAX_STEPS = 8;
const DEFAULT_TIMEOUT_MS = 60_000;

/** The session's own settings; its trading rules are the model's defaults with the request's overrides on top. */
function settingsOf(spec: ValidSessionInput, modelDefaults: TradingDefaults) {
  const s = spec.settings ?? {};
  const trading = tradingSettingsSchema.parse(mergeTradingSettings(modelDefaults, s)) satisfies z.output<typeof tradingSettingsSchema>;
  return {
    trading,
    seed: s.seed ?? DEFAULT_SEED,
    maxSteps: s.maxSteps ?? DEFAULT_MAX_STEPS,
    timeoutMs: (s.decisionTimeoutSeconds ?? DEFAULT_TIMEOUT_MS / 1000) * 1000,
    paceMs: s.paceMs ?? 0,
  };
}
