"use server";
import { revalidatePath } from "next/cache";
import { requireUser } from "@/lib/auth/current-user";
import { AppError } from "@/lib/errors";
import { getSessionJobs } from "@/lib/jobs/boss";
import { controlSession, type SessionAction } from "@/lib/services/sessions/control";
import { createSession } from "@/lib/services/sessions/create";
import { getDecisionDetail, getDecisionSummaries, getSessionPrices, getViewerState, type SymbolPrices } from "@/lib/services/session-view";
import type { DecisionDetail, DecisionSummary, ViewerState } from "@/lib/viewer/types";

/**
 * Server actions of the session pages. They act as the signed-in user (never an id from the form) and
 * return typed errors in words; anything unexpected is logged and answered with a generic message.
 */
type Fail = { ok: false; message: string; fieldErrors?: Record<string, string> };

async function ctx() {
  const user = await requireUser();
  return { userId: user.id, claims: user.claims };
}

function fail(err: unknown): Fail {
  if (err instanceof AppError && err.kind !== "halt") return { ok: false, message: err.message, fieldErrors: err.fieldErrors };
  console.error("[sessions] action failed", err instanceof Error ? err.message : err);
  return { ok: false, message: "Something went wrong on our side; it has been logged. Try again." };
}

/** Starts a session: the input is parsed by createSession with the same schema as the API. */
export async function startSessionAction(input: unknown): Promise<{ ok: true; id: string } | Fail> {
  try {
    const session = await createSession(await ctx(), input, { jobs: await getSessionJobs() });
    revalidatePath("/dashboard");
    return { ok: true, id: session.id };
  } catch (err) {
    return fail(err);
  }
}

export async function controlSessionAction(id: string, action: SessionAction): Promise<{ ok: true; status: string } | Fail> {
  if (action !== "pause" && action !== "resume" && action !== "cancel") return { ok: false, message: "Unknown action" };
  try {
    const session = await controlSession(await ctx(), id, action, { jobs: await getSessionJobs() });
    revalidatePath("/dashboard");
    return { ok: true, status: session.status };
  } catch (err) {
    return fail(err);
  }
}

export async function getViewerStateAction(id: string): Promise<{ ok: true; state: ViewerState } | Fail> {
  try {
    return { ok: true, state: await getViewerState(await ctx(), id) };
  } catch (err) {
    return fail(err);
  }
}

export async function getDecisionDetailAction(sessionId: string, decisionId: string): Promise<{ ok: true; decision: DecisionDetail } | Fail> {
  try {
    return { ok: true, decision: await getDecisionDetail(await ctx(), sessionId, decisionId) };
  } catch (err) {
    return fail(err);
  }
}

export async function getSessionPricesAction(sessionId: string, symbol: string): Promise<{ ok: true; prices: SymbolPrices } | Fail> {
  try {
    return { ok: true, prices: await getSessionPrices(await ctx(), sessionId, String(symbol).toUpperCase()) };
  } catch (err) {
    return fail(err);
  }
}

/** Older decisions of the feed, a page at a time (positions are stable: decisions are append-only). */
export async function getDecisionPageAction(sessionId: string, offset: number, limit: number): Promise<{ ok: true; decisions: DecisionSummary[] } | Fail> {
  try {
    return { ok: true, decisions: await getDecisionSummaries(await ctx(), sessionId, { offset, limit }) };
  } catch (err) {
    return fail(err);
  }
}
