"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { asUserAction } from "@/lib/auth/action";
import { AppError } from "@/lib/errors";
import { getSessionJobs } from "@/lib/jobs/boss";
import { controlSession, type SessionAction } from "@/lib/services/sessions/control";
import { createSessions, MAX_SESSIONS_AT_ONCE, rerunSession } from "@/lib/services/sessions/create";
import { renameSession } from "@/lib/services/sessions/rename";
import { getDecisionDetail } from "@/lib/services/decision-detail";
import { getDecisionSummaries, getSessionPrices, getViewerState } from "@/lib/services/session-view";
import { getSessionOptionChain, getSessionOptionGreeks } from "@/lib/services/session-options";

/**
 * Server actions of the session pages: each runs its use case as the signed-in user (asUserAction) and
 * answers `{ ok: true, … }` or `{ ok: false, message }` in words.
 */

/**
 * Starts a session, and the same one for each of `alsoModelIds` (the dialog's "Also run with"), all or none:
 * each request is parsed by createSessions with the same schema as the API.
 */
export async function startSessionAction(input: unknown, alsoModelIds: unknown = []) {
  return asUserAction("sessions", async (ctx) => {
    const others = z.array(z.string()).max(MAX_SESSIONS_AT_ONCE - 1).safeParse(alsoModelIds);
    if (!others.success) throw new AppError("reject", "VALIDATION_FAILED", `The other models must be a list of at most ${MAX_SESSIONS_AT_ONCE - 1} model ids`);
    const inputs = [input, ...[...new Set(others.data)].map((modelId) => ({ ...(input as object), modelId }))];
    const sessions = await createSessions(ctx, inputs, { jobs: await getSessionJobs() });
    // No revalidatePath("/dashboard"): called from the dashboard, it would render the whole dashboard again into this
    // answer (about a second on `npm run dev`) for a page the person is leaving; the dialog refreshes it when it stays.
    return { id: sessions[0]!.id, ids: sessions.map((s) => s.id) };
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
    // The seq of the status event it committed: the page applies the answer only if its stream is not past it.
    return { status: session.status, seq: session.eventSeq };
  });
}

/** Renames a session: `label` as the API takes it, an empty field (blank text) for none. */
export async function renameSessionAction(id: string, label: unknown) {
  return asUserAction("sessions", async (ctx) => {
    const session = await renameSession(ctx, String(id), { label: typeof label === "string" && label.trim() === "" ? null : label });
    revalidatePath("/dashboard");
    return { label: session.label };
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

/** The Greeks of the session's open option contracts at its clock (null: none held); the viewer asks every few seconds while it runs. */
export async function getOptionGreeksAction(sessionId: string) {
  return asUserAction("sessions", async (ctx) => ({ greeks: await getSessionOptionGreeks(ctx, String(sessionId)) }));
}

/** One expiry of an underlying's modelled option chain at the session's clock (the nearest when `expiry` is null). */
export async function getOptionChainAction(sessionId: string, underlying: string, expiry: string | null) {
  return asUserAction("sessions", async (ctx) => ({
    chain: await getSessionOptionChain(ctx, String(sessionId), { underlying: String(underlying), expiry: expiry === null ? null : String(expiry) }),
  }));
}
