import { APICallError, generateText, isStepCount, RetryError, type LanguageModel, type StepResult, type ToolSet } from "ai";
import { AppError } from "@/lib/errors";
import type { ToolRuntime } from "../tool-runtime";
import { buildToolCallRecords, type ToolCallRecord } from "./records";

/**
 * Runs one decision's tool loop and reports everything that happened. Never throws for what the model
 * or its provider did: a provider error (after the SDK's own retries with exponential backoff for
 * 429/5xx/network errors) or the timeout comes back as `error`, with every tool call made until then.
 * The whole loop is never re-run: that would make new tool-call ids and could trade twice.
 */

export const DEFAULT_MAX_STEPS = 8;
export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_RETRIES = 2;

export interface RunDecisionOptions {
  model: LanguageModel;
  instructions: string;
  prompt: string;
  tools: ToolSet;
  /** The tools' runtime: closed when the loop ends, and waited for, so no tool outlives the decision. */
  runtime: ToolRuntime;
  /** Model steps (calls) at most; at least 6. Built-ins need 3–4. */
  maxSteps?: number;
  timeoutMs?: number;
  /** Retries per model call for transient provider errors (the SDK's exponential backoff). */
  maxRetries?: number;
  /** Cancels the decision from outside (e.g. the session is stopped). */
  abortSignal?: AbortSignal;
}

export interface DecisionError {
  /** TIMEOUT, PROVIDER_ERROR, ABORTED, MODEL_ERROR, STEP_LIMIT, … */
  code: string;
  message: string;
}

export interface DecisionRun {
  /** Every text the model wrote, joined by blank lines. */
  text: string;
  steps: number;
  finishReason: string | null;
  /** The last step ended with the model's answer (finish reason "stop"), not mid-way. */
  finishedNormally: boolean;
  toolCalls: ToolCallRecord[];
  inputTokens: number | null;
  outputTokens: number | null;
  error: DecisionError | null;
  latencyMs: number;
}

/** The decision's time is up: transient (another run may finish in time). Named as the platform's timeouts are. */
export class DecisionTimeout extends AppError {
  constructor(message: string) {
    super("retry", "TIMEOUT", message);
    this.name = "TimeoutError";
  }
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}

export async function runDecision(options: RunDecisionOptions): Promise<DecisionRun> {
  const { runtime } = options;
  const maxSteps = Math.max(6, options.maxSteps ?? DEFAULT_MAX_STEPS);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  const started = performance.now();
  const steps: StepResult<ToolSet>[] = [];

  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new DecisionTimeout(`timeout after ${formatDuration(timeoutMs)}`)), timeoutMs);
  const signal = options.abortSignal ? AbortSignal.any([timeout.signal, options.abortSignal]) : timeout.signal;

  let error: DecisionError | null = null;
  let finishReason: string | null = null;
  try {
    const run = generateText({
      model: options.model,
      instructions: options.instructions,
      prompt: options.prompt,
      tools: options.tools,
      stopWhen: isStepCount(maxSteps),
      abortSignal: signal,
      maxRetries,
      onStepEnd: (step) => {
        steps.push(step);
      },
    });
    // A provider that ignores the abort signal must not hold the decision past its timeout.
    const result = await untilAborted(run, signal);
    finishReason = result.finishReason;
  } catch (err) {
    error = classify(err, signal, timeout.signal, maxRetries);
  } finally {
    clearTimeout(timer);
    runtime.close(error ? error.message : "the model finished");
    await runtime.settled();
  }

  const done = [...steps];
  const last = done.at(-1);
  finishReason ??= last?.finishReason ?? null;
  const sum = (pick: (s: StepResult<ToolSet>) => number | undefined) => {
    const values = done.map(pick);
    return values.some((v) => v !== undefined) ? values.reduce<number>((a, v) => a + (v ?? 0), 0) : null;
  };
  return {
    text: done.map((s) => s.text.trim()).filter(Boolean).join("\n\n"),
    steps: done.length,
    finishReason,
    finishedNormally: error === null && last?.finishReason === "stop",
    toolCalls: buildToolCallRecords(done, runtime.executions),
    inputTokens: sum((s) => s.usage.inputTokens),
    outputTokens: sum((s) => s.usage.outputTokens),
    error,
    latencyMs: Math.round(performance.now() - started),
  };
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  promise.catch(() => {}); // its rejection is handled below or no longer matters
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** A failure in words a person can act on. */
export function classify(err: unknown, signal: AbortSignal, timeout: AbortSignal, maxRetries: number): DecisionError {
  if (timeout.aborted) return { code: "TIMEOUT", message: (timeout.reason as Error).message };
  if (signal.aborted) return { code: "ABORTED", message: `cancelled: ${signal.reason instanceof Error ? signal.reason.message : String(signal.reason ?? "aborted")}` };
  if (RetryError.isInstance(err)) {
    const attempts = err.errors.length;
    return { code: "PROVIDER_ERROR", message: `provider error: ${describeProviderError(err.lastError)} after ${attempts} attempt${attempts === 1 ? "" : "s"}` };
  }
  if (APICallError.isInstance(err)) {
    const retried = err.isRetryable && maxRetries > 0 ? "" : err.isRetryable ? " (retries disabled)" : " (not retryable)";
    return { code: "PROVIDER_ERROR", message: `provider error: ${describeProviderError(err)}${retried}` };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  const code = (e as { code?: unknown }).code;
  return { code: typeof code === "string" ? code : "MODEL_ERROR", message: `${e.name && e.name !== "Error" ? `${e.name}: ` : ""}${e.message}` };
}

function describeProviderError(err: unknown): string {
  if (APICallError.isInstance(err)) {
    const status = err.statusCode ? `${err.statusCode} ` : "";
    return `${status}${err.message}`.trim();
  }
  return err instanceof Error ? err.message : String(err);
}
