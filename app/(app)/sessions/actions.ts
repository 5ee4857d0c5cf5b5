"use server";
import { revalidatePath } from "next/cache";
import { asUserAction } from "@/lib/auth/action";
import { getSessionJobs } from "@/lib/jobs/boss";
import { controlSession, type SessionAction } from "@/lib/services/sessions/control";
import { createSession, rerunSession } from "@/lib/services/sessions/create";
import { getDecisionDetail, getDecisionSummaries, getSessionPrices, getViewerState } from "@/lib/services/session-view";

/**
 * Server actions of the session pages: each runs its use case as the signed-in user (asUserAction) and
 * answers `{ ok: true, … }` or `{ ok: false, message }` in words.
 */

/** Starts a session: the input is parsed by createSession with the same schema as the API. */
export async function startSessionAction(input: unknown) {
  return asUserAction("sessions", async (ctx) => {
    const session = await createSession(ctx, input, { jobs: await getSessionJobs() });
    revalidatePath("/dashboard");
    return { id: session.id };
  });
}

/** Runs a session again as a new one (rerunSession): same bars, symbols, rules and seed, the model as it is now. */
export async function rerunSessionAction(id: string) {
  return asUserAction("sessions", async (ctx) => {
    const session = await rerunSession(ctx, String(id), { jobs: await getSessionJobs() });
    revalidatePath("/dashboard");
    return { id: session.id };
  });
}

export async function controlSessionAction(id: string, action: SessionAction) {
  return asUserAction("sessions", async (ctx) => {
    const session = await controlSession(ctx, id, action, { jobs: await getSessionJobs() });
    revalidatePath("/dashboard");
    return { status: session.status };
  });
}

export async function getViewerStateAction(id: string) {
  return asUserAction("sessions", async (ctx) => ({ state: await getViewerState(ctx, id) }));
}

export async function getDecisionDetailAction(sessionId: string, decisionId: string) {
  return asUserAction("sessions", async (ctx) => ({ decision: await getDecisionDetail(ctx, sessionId, decisionId) }));
}

export async function getSessionPricesAction(sessionId: string, symbol: string) {
  return asUserAction("sessions", async (ctx) => ({ prices: await getSessionPrices(ctx, sessionId, String(symbol).toUpperCase()) }));
}

/** Older decisions of the feed, a page at a time (positions are stable: decisions are append-only). */
export async function getDecisionPageAction(sessionId: string, offset: number, limit: number) {
  return asUserAction("sessions", async (ctx) => ({ decisions: await getDecisionSummaries(ctx, sessionId, { offset, limit }) }));
}
