/**
 * Seeds a session with working orders for e2e/working-orders.spec.ts, through the real session runner on the
 * e2e server's database (DATABASE_URL): builtin:breakout places only bracketed buy stops (e2e/breakout-session.spec.ts),
 * so for a limit, a stop, a percent trailing stop and a limit-entry bracket on one bar, the first bar is decided here by
 * a scripted model that calls place_order, as tests/support/scripted-model.ts
 * scripts one in the integration tests; the runner checks, books and commits them like any model's. The session
 * is then paused, so the spec sees its orders working and resumes it (the server's own worker runs the rest,
 * decided by the session's built-in model, paced).
 *
 * Run (the spec does): node --import tsx --conditions=react-server e2e/support/seed-working-orders.ts <email> <model name>
 * Prints `SEEDED <session id> <symbol> <price at bar 0>` and exits.
 */
import { createDb } from "@/lib/db/client";
import type { SessionJobs } from "@/lib/jobs/session-jobs";
import { controlSession } from "@/lib/services/sessions/control";
import { createSession } from "@/lib/services/sessions/create";
import { runSessionJob } from "@/lib/services/sessions/runner";
import { decide } from "@/lib/trading/decide";
import type { DecideFn } from "@/lib/trading/run-bar";
import { scriptedModel, text, toolCall } from "@/tests/support/scripted-model";

export const SYMBOL = "ZZSOLR";

const [email, modelName] = process.argv.slice(2);
if (!email || !modelName) throw new Error("usage: seed-working-orders.ts <email> <model name>");

/** Nothing is queued: this process runs the first bar itself; the spec's Resume queues the rest on the server. */
const noJobs: SessionJobs = { enqueueRun: async () => {} };
const round = (v: number) => Math.round(v * 100) / 100;
let price = 0;

/**
 * Bar 0: a market buy of 20 (shares for the trailing stop to sell), then four working orders placed at the open's
 * price P: a buy limit at 0.80 P, a buy stop at 1.30 P, a sell trailing stop of 30 % on the 20 shares, and a
 * bracket (buy 10 limit at 0.85 P, take-profit 0.95 P, stop-loss 0.70 P), all good till cancelled.
 */
const seedDecide: DecideFn = async (ctx, options) => {
  price = (await ctx.market.quote(SYMBOL)).price;
  const P = price;
  const calls = [
    ["buy", { symbol: SYMBOL, quantity: 20 }],
    ["place_order", { symbol: SYMBOL, side: "buy", quantity: 10, type: "limit", limitPrice: round(0.8 * P), timeInForce: "gtc" }],
    ["place_order", { symbol: SYMBOL, side: "buy", quantity: 5, type: "stop", stopPrice: round(1.3 * P), timeInForce: "gtc" }],
    ["place_order", { symbol: SYMBOL, side: "sell", quantity: 20, type: "trailing_stop", trailPercent: 30, timeInForce: "gtc" }],
    [
      "place_order",
      { symbol: SYMBOL, side: "buy", quantity: 10, type: "limit", limitPrice: round(0.85 * P), timeInForce: "gtc", orderClass: "bracket", takeProfit: { limitPrice: round(0.95 * P) }, stopLoss: { stopPrice: round(0.7 * P) } },
    ],
  ] as const;
  const languageModel = scriptedModel([calls.map(([tool, input], i) => toolCall(tool, input, `seed-${i}`)), [text("Orders placed.")]]);
  return decide(ctx, { ...options, languageModel });
};

const { db, client } = createDb(process.env.DATABASE_URL, 2);
try {
  const [row] = await client<{ userId: string; modelId: string }[]>`
    select u.id as "userId", m.id as "modelId" from auth.users u join models m on m.user_id = u.id where u.email = ${email} and m.name = ${modelName}`;
  if (!row) throw new Error(`no model "${modelName}" of ${email}`);
  const ctx = { userId: row.userId, claims: { sub: row.userId, role: "authenticated", email } };
  const session = await createSession(
    ctx,
    { modelId: row.modelId, kind: "backtest", interval: "day", start: "2025-03-03", end: "2025-05-30", symbols: [SYMBOL], settings: { paceMs: 1000 } },
    { db, jobs: noJobs, sessionLimit: null },
  );
  const outcome = await runSessionJob(session.id, "e2e-seed:0", { db, jobs: noJobs, decide: seedDecide, sliceMs: 0 });
  if (outcome !== "yielded") throw new Error(`the first bar ended "${outcome}"`);
  await controlSession(ctx, session.id, "pause", { db, jobs: noJobs });
  console.log(`SEEDED ${session.id} ${SYMBOL} ${price}`);
} finally {
  await client.end({ timeout: 2 });
}
