import "server-only";
import type { LanguageModelV4 } from "@ai-sdk/provider";
import {
  buildDecisionPrompt,
  costOf,
  DEFAULT_MAX_STEPS,
  PROMPT_CLOSES,
  PROMPT_SYMBOLS,
  runDecision,
  type DecisionError,
  type DecisionRun,
} from "@/lib/agent/decision";
import { createLanguageModel, type ProviderConfig } from "@/lib/agent/providers";
import { decryptSecret, loadEncryptionKey } from "@/lib/agent/secrets";
import type { DecisionRow } from "@/lib/db/queries/decisions";
import type { ModelRow } from "@/lib/db/queries/models";
import { AppError } from "@/lib/errors";
import { formatPrice, type WorkingOrder } from "@/lib/engine";
import type { BookOrder } from "./book";
import { marginCallNotice } from "./margin-call";
import type { TradingContext } from "./context";
import { recordingModel, type RecordOptions } from "./model-calls";
import { createToolRuntime, createTradingTools, readPortfolio, type PortfolioSnapshot } from "./tools";

/**
 * THE DECISION (docs/agent.md): one model decision at one bar, outside any database transaction. Builds
 * the prompt from the session book, runs the tool loop (tools closed over `ctx`: trades fill on the book),
 * and returns the `decisions` row to write with the bar, with everything that happened. It throws only
 * when the context is inconsistent or the run must stop (aborted, a replay that diverged); every failure
 * of the model, its provider, its key or its tools is recorded as outcome `failed` with the reason:
 * nothing becomes a silent hold.
 */

export interface DecideOptions {
  /** The model row (as the user reads it): llm id, instructions, stored API key. Must be ctx.modelId. */
  model: Pick<ModelRow, "id" | "userId" | "llm" | "instructions" | "apiKeyCiphertext">;
  /** Tests inject a scripted model (MockLanguageModelV4); otherwise built from `model.llm`. */
  languageModel?: LanguageModelV4;
  /** Model calls: recorded as they return, and replayed from the record when the bar ran before. */
  record?: RecordOptions;
  maxSteps?: number;
  timeoutMs?: number;
  maxRetries?: number;
  /** Seed for builtin:random and providers that support one. */
  seed?: number;
  /** The session's fees, slippage and shorting in words, for the prompt (so a long-only model is told before it tries to short). */
  tradingRules?: string;
  abortSignal?: AbortSignal;
  /** Server-wide provider settings (default: lib/env). */
  providerConfig?: ProviderConfig;
  /** Key that decrypts `model.apiKeyCiphertext` (default: BULLPEN_ENCRYPTION_KEY). */
  encryptionKey?: Buffer;
  /** The HTTP client remote providers use (tests: recorded responses). */
  fetch?: typeof fetch;
}

/** The decision's row as the bar's commit writes it (created_at is the database's). */
export type DecisionRecord = Omit<DecisionRow, "createdAt">;

export interface DecisionResult {
  decision: DecisionRecord;
  /** Orders this decision placed on the book, filled and rejected. */
  orders: BookOrder[];
}

export async function decide(ctx: TradingContext, options: DecideOptions): Promise<DecisionResult> {
  checkContext(ctx, options.model);
  const { model } = options;
  const clock = ctx.clock.now();
  const started = performance.now();

  let instructions = model.instructions;
  let prompt = "";
  let run: DecisionRun;
  const runtime = createToolRuntime();
  try {
    const [portfolio, closes] = await Promise.all([portfolioForPrompt(ctx), recentCloses(ctx)]);
    const built = buildDecisionPrompt({
      clock,
      interval: ctx.interval,
      universe: ctx.market.universe,
      ...portfolio,
      recentCloses: closes,
      modelInstructions: model.instructions,
      tradingRules: options.tradingRules,
      workingOrders: ctx.book.working().map(describeWorkingOrder),
      marginCall: marginCallNotice(ctx.book, clock) ?? undefined,
      sessionOrders: ctx.book.pending.orders.filter((o) => o.decisionId === null && o.reason).map(describeSessionOrder),
    });
    instructions = built.instructions;
    prompt = built.prompt;
    const inner =
      options.languageModel ??
      createLanguageModel(model.llm, {
        apiKey: storedApiKey(model, options.encryptionKey),
        seed: options.seed,
        config: options.providerConfig,
        fetch: options.fetch,
      });
    const languageModel = options.record ? recordingModel(inner, options.record) : inner;
    run = await runDecision({
      model: languageModel,
      instructions,
      prompt,
      tools: createTradingTools(ctx, runtime),
      runtime,
      maxSteps: options.maxSteps ?? DEFAULT_MAX_STEPS,
      timeoutMs: options.timeoutMs,
      maxRetries: options.maxRetries,
      abortSignal: options.abortSignal,
    });
  } catch (err) {
    // Before the loop: no prompt data, no model (unknown id, missing or unreadable key). Recorded, not thrown.
    if (err instanceof AppError && (err.kind === "not_found" || err.code === "CONTEXT_MISMATCH")) throw err;
    run = notRun(err, performance.now() - started);
  }
  // Stopped from outside (pause, cancel, shutdown) or a replay that cannot go on: nothing of this bar is kept.
  if (options.abortSignal?.aborted) throw options.abortSignal.reason instanceof Error ? options.abortSignal.reason : new AppError("retry", "ABORTED", "the decision was stopped");
  if (run.error && haltCodes.has(run.error.code)) throw new AppError("halt", run.error.code, run.error.message);

  const orders = ctx.book.pending.orders.filter((o) => o.decisionId === ctx.decisionId);
  const filled = orders.filter((o) => o.status === "filled").length;
  const rejected = orders.filter((o) => o.status === "rejected").length;
  const error = run.error ?? unfinished(run, filled, options.maxSteps ?? DEFAULT_MAX_STEPS);
  const outcome = error ? "failed" : filled > 0 ? "traded" : "held";

  const decision: DecisionRecord = {
    id: ctx.decisionId,
    userId: ctx.userId,
    modelId: ctx.modelId,
    sessionId: ctx.sessionId,
    clock,
    interval: ctx.interval,
    llm: model.llm,
    outcome,
    instructions: clean(instructions),
    prompt: clean(prompt),
    text: clean(run.text),
    toolCalls: JSON.parse(JSON.stringify(run.toolCalls, (_key, v: unknown) => (typeof v === "string" ? clean(v) : v))) as unknown,
    steps: run.steps,
    finishReason: run.finishReason,
    error: error ? clean(error.message) : null,
    errorCode: error?.code ?? null,
    filledOrders: filled,
    rejectedOrders: rejected,
    toolErrors: run.toolCalls.filter((c) => !c.ok).length,
    inputTokens: run.inputTokens,
    outputTokens: run.outputTokens,
    costUsd: costOf(model.llm, run),
    latencyMs: Math.max(run.latencyMs, Math.round(performance.now() - started)),
  };
  return { decision, orders };
}

/** A working order in one line for the prompt: "<id>: buy 10 AAPL limit $97.00 gtc, accepted, 0 filled". */
function describeWorkingOrder(o: WorkingOrder): string {
  const p = (m: bigint | undefined) => (m === undefined ? "?" : formatPrice(m));
  const what =
    o.type === "limit" ? `limit ${p(o.limitPrice)}`
    : o.type === "stop" ? `stop ${p(o.stopPrice)}`
    : o.type === "stop_limit" ? `stop_limit, stop ${p(o.stopPrice)}, limit ${p(o.limitPrice)}`
    : o.type === "trailing_stop" ? `trailing_stop, stop now ${p(o.stopPrice)}`
    : "market";
  const leg = o.role === "entry" ? "" : ` (${o.role.replace("_", "-")}${o.parentId ? ` of ${o.parentId}` : ""})`;
  return `${o.id}: ${o.side} ${o.quantity} ${o.symbol} ${what} ${o.timeInForce}${leg}, ${o.status}, ${o.filledQuantity} filled`;
}

/** An order the session made itself, in one line: "OPT250307C00050000: buy_to_cover 1 at $0.00 (assigned)". */
function describeSessionOrder(o: BookOrder): string {
  const fill = o.status === "filled" && o.referencePrice !== null ? ` at ${formatPrice(o.referencePrice)}` : ` ${o.status}${o.rejectMessage ? `: ${o.rejectMessage}` : ""}`;
  return `${o.symbol}: ${o.side} ${o.quantity}${fill} (${o.reason!.replace(/_/g, " ")})`;
}

/** A replay that cannot go on exactly: the bar stops, nothing of it is written. */
const haltCodes = new Set(["REPLAY_DIVERGED", "NOT_RECORDED"]);

/** The context must be one user's, one model's, at one clock: anything else is our bug (halt). */
function checkContext(ctx: TradingContext, model: DecideOptions["model"]): void {
  const mismatch = (why: string) => new AppError("halt", "CONTEXT_MISMATCH", `decide: ${why}`);
  if (ctx.claims.sub !== ctx.userId) throw mismatch("ctx.userId is not the subject of ctx.claims");
  if (model.id !== ctx.modelId || model.userId !== ctx.userId) throw mismatch("the model row is not ctx's model of ctx's user");
  if (ctx.market.now().getTime() !== ctx.clock.now().getTime()) throw mismatch("the market view's clock is not ctx.clock");
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ctx.decisionId)) throw mismatch("ctx.decisionId is not a UUID");
}

async function portfolioForPrompt(ctx: TradingContext): Promise<Pick<PortfolioSnapshot, "cash" | "equity" | "positions" | "cashHeldByOrders">> {
  try {
    return await readPortfolio(ctx);
  } catch (err) {
    if (err instanceof AppError && err.kind === "not_found") throw err; // the session is not ctx's
    throw new AppError("reject", "PORTFOLIO_UNAVAILABLE", `cannot read the portfolio for the prompt: ${(err as Error).message}`, {}, { cause: err });
  }
}

async function recentCloses(ctx: TradingContext) {
  const symbols = ctx.market.universe.slice(0, PROMPT_SYMBOLS);
  return Promise.all(
    symbols.map(async (symbol) => {
      const bars = await ctx.market.bars(symbol, ctx.interval, { limit: PROMPT_CLOSES }).catch(() => []);
      return { symbol, closes: bars.flatMap((b) => (b.close === null ? [] : [b.close])) };
    }),
  );
}

/** The model's own key, decrypted only here, only for the provider. Never logged, never returned. */
function storedApiKey(model: DecideOptions["model"], encryptionKey: Buffer | undefined): string | undefined {
  if (!model.apiKeyCiphertext) return undefined;
  return decryptSecret(model.apiKeyCiphertext, loadEncryptionKey(encryptionKey), model.id);
}

function notRun(err: unknown, latencyMs: number): DecisionRun {
  const e = err instanceof Error ? err : new Error(String(err));
  const code = (e as { code?: unknown }).code;
  return {
    text: "",
    steps: 0,
    finishReason: null,
    finishedNormally: false,
    toolCalls: [],
    inputTokens: null,
    outputTokens: null,
    error: { code: typeof code === "string" ? code : "MODEL_ERROR", message: e.message },
    latencyMs: Math.round(latencyMs),
  };
}

/** A loop that ended without an answer and without a fill is a failure, never a hold. */
function unfinished(run: DecisionRun, filled: number, maxSteps: number): DecisionError | null {
  if (run.finishedNormally || filled > 0) return null;
  if (run.finishReason === "tool-calls" && run.steps >= Math.max(6, maxSteps)) {
    return { code: "STEP_LIMIT", message: `the model was still calling tools after ${run.steps} steps (the limit) and nothing filled` };
  }
  return { code: "UNFINISHED", message: `the model stopped (finish reason "${run.finishReason ?? "none"}") without an answer and nothing filled` };
}

/** Postgres text and jsonb cannot hold NUL characters. */
const clean = (s: string) => s.replaceAll("\u0000", "");
