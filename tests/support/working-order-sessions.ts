import postgres from "postgres";
import type { Db } from "@/lib/db/client";
import type { Bar } from "@/lib/market";
import { barStarts, tradingDays } from "@/lib/market";
import { createSession } from "@/lib/services/sessions/create";
import type { SessionJobs } from "@/lib/jobs/session-jobs";
import { decide } from "@/lib/trading/decide";
import type { DecideFn } from "@/lib/trading/run-bar";
import type { TestUser } from "./database";
import { createModel, freshSessionDatabase, seedBars, testJobs } from "./session-fixtures";
import { runSessionJob, type RunnerDeps } from "@/lib/services/sessions/runner";
import { scriptedModel, text, toolCall } from "./scripted-model";

/**
 * Sessions of a scripted model that places working orders (lib/trading/working-order*.int.test.ts): six day bars
 * D0…D5 (2025-03-03 … 2025-03-10) of made-up symbols, free trading, $10,000, and a plan of tool calls per bar.
 *
 *   AAA  D0 o100 h101 l99 c100 · D1 o100 h102 l96 c97 · D2… o98 h99 l97 c98
 *   BBB  D0 o50 h51 l49 c50    · D1 o50 h51 l48 c49   · D2… o45 h46 l44 c45   (a gap down at D2's open)
 *   CCC  D0 o100 h101 l99 c100 · D1 o100 h103 l99 c102 · D2 o102 h111 l101 c110 · then o110 h111 l109 c110
 *   DDD  D0 o100 h102 l99 c101 · D1 o101 h106 l100 c105 · D2 o105 h108 l104 c107 · D3 o107 h107 l100 c101 · then o101 h102 l100 c101
 */
export const days = tradingDays("2025-03-03", "2025-03-10");
const history = tradingDays("2025-02-26", "2025-02-28");
/** Bar i's start. */
export const T = days.map((d) => barStarts(d, "day")[0]!);
export const FREE = { fees: { perOrder: "0", perShare: "0", minimum: "0", notionalBps: 0 }, slippageBps: 0 };

function bars(symbol: string, rows: readonly (readonly [number, number, number, number])[]): Bar[] {
  const all = [...history.map(() => rows[0]!), ...rows];
  return [...history, ...days].map((day, i) => {
    const [open, high, low, close] = all[i] ?? all.at(-1)!;
    return { symbol, interval: "day", start: barStarts(day, "day")[0]!, open, high, low, close, volume: 100_000, source: "test", derived: false };
  });
}


export async function seedWorkingOrderBars(db: Db): Promise<void> {
  const flat = [98, 99, 97, 98] as const;
  const gapped = [45, 46, 44, 45] as const;
  const high = [110, 111, 109, 110] as const;
  const after = [101, 102, 100, 101] as const;
  await seedBars(db, [
    ...bars("AAA", [[100, 101, 99, 100], [100, 102, 96, 97], flat, flat, flat, flat]),
    ...bars("BBB", [[50, 51, 49, 50], [50, 51, 48, 49], gapped, gapped, gapped, gapped]),
    ...bars("DDD", [[100, 102, 99, 101], [101, 106, 100, 105], [105, 108, 104, 107], [107, 107, 100, 101], after, after]),
    ...bars("CCC", [[100, 101, 99, 100], [100, 103, 99, 102], [102, 111, 101, 110], high, high, high]),
  ]);
}

/** A tool call of the plan; `{ ref }` names the call (`<bar time>-<index>`, a leg `…:tp`, `…:sl`) that placed the order. */
export type Call = readonly [tool: string, input: Record<string, unknown>];
export type Plan = readonly (readonly [bar: number, calls: readonly Call[]])[];
const plans = new Map<string, Map<number, readonly Call[]>>();
/** Order ids the scripted model learns from its tools (cancel_order needs one), by session. */
const learned = new Map<string, Map<string, string>>();

/** Places the plan's calls at their bars; tool-call ids depend on the bar only, so a re-run bar places the same orders. */
export const scriptedDecide: DecideFn = async (ctx, options) => {
  const at = ctx.clock.now().toISOString();
  const bar = T.findIndex((t) => t.toISOString() === at);
  const ids = learned.get(ctx.sessionId) ?? new Map<string, string>();
  learned.set(ctx.sessionId, ids);
  // `{ ref, ...rest }` (cancel_order, replace_order) names the order by the call that placed it: the order's id, then the rest.
  const calls = (plans.get(ctx.sessionId)?.get(bar) ?? []).map(([tool, { ref, ...rest }]) => [tool, ref === undefined ? rest : { orderId: ids.get(ref as string), ...rest }] as const);
  const languageModel = scriptedModel([calls.map(([tool, input], i) => toolCall(tool, input, `${at}-${i}`)), [text(calls.length ? "Done." : "Hold.")]]);
  const result = await decide(ctx, { ...options, languageModel });
  // The ids the tools answered (the same on a re-run bar: they derive from the session and the call id).
  for (const o of ctx.book.pending.orders) ids.set(o.idempotencyKey.split(":").slice(1).join(":"), o.id);
  return result;
};

/** A day session over D0…D5 of `symbols` for `user`, whose model follows `plan` (free trading, and `settings`; $10,000 unless `cash`). */
export async function createPlannedSession(env: { db: Db; sql: postgres.Sql }, jobs: SessionJobs, user: TestUser, plan: Plan, symbols: string[], settings: Record<string, unknown> = {}, cash = "10000") {
  const modelId = await createModel(env.sql, user, { startingCash: cash });
  const s = await createSession(user.ctx, { modelId, kind: "backtest", interval: "day", start: days[0]!, end: days.at(-1)!, symbols, settings: { ...FREE, ...settings } }, { db: env.db, jobs });
  plans.set(s.id, new Map(plan));
  return s;
}

/** A test file's database (the working-order bars, or `seed`'s), queue and runner with the scripted model (scriptedDecide). */
export interface WorkingOrderRunner {
  env: Awaited<ReturnType<typeof freshSessionDatabase>>;
  jobs: Awaited<ReturnType<typeof testJobs>>;
  deps: RunnerDeps;
}

export async function startWorkingOrderRunner(name: string, seed: (db: Db) => Promise<void> = seedWorkingOrderBars): Promise<WorkingOrderRunner> {
  const env = await freshSessionDatabase(name);
  await seed(env.db);
  const jobs = await testJobs(env.url);
  return { env, jobs, deps: { db: env.db, jobs: jobs.jobs, decide: scriptedDecide, log: () => {} } };
}

export async function stopWorkingOrderRunner(r: Partial<WorkingOrderRunner>): Promise<void> {
  await r.jobs?.stop();
  await r.env?.drop();
}

/**
 * Runs the session one bar per job, to its end: a new runner and a fresh book at every bar, as a crash, a pause or
 * a new slice would have it. Answers the last job's outcome.
 */
export async function runBarByBar(deps: RunnerDeps, sessionId: string): Promise<string> {
  let outcome = "";
  for (let job = 1; job < 20 && outcome !== "completed"; job++) outcome = await runSessionJob(sessionId, `job-${job}:0`, { ...deps, sliceMs: 0 });
  return outcome;
}
