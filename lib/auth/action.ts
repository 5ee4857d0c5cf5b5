import "server-only";
import { z } from "zod";
import { AppError, firstLineOf, fromUnknown, isDatabaseUnavailable } from "@/lib/errors";
import type { UserContext } from "@/lib/services/context";
import { requireUser } from "./current-user";

/** What a server action answers when it cannot do what was asked: words a person can act on. */
export type ActionFail = { ok: false; message: string; fieldErrors?: Record<string, string> };

/**
 * Runs a server action's use case as the signed-in user (the identity never comes from the arguments;
 * signed out → the sign-in page), answering as `actionResult` does.
 */
export async function asUserAction<T extends object>(where: string, fn: (ctx: UserContext) => Promise<T>): Promise<({ ok: true } & T) | ActionFail> {
  const user = await requireUser();
  return actionResult(where, () => fn({ userId: user.id, claims: user.claims }));
}

/**
 * `{ ok: true, …result }`, or, as the HTTP API does (lib/api/respond.ts): a typed error, the database
 * unreachable, or arguments that fail their schema in words; anything else logged and answered with a generic message.
 */
export async function actionResult<T extends object>(where: string, fn: () => Promise<T>): Promise<({ ok: true } & T) | ActionFail> {
  try {
    return { ok: true, ...(await fn()) };
  } catch (err) {
    if (!(err instanceof AppError) && isDatabaseUnavailable(err)) {
      console.error(`[${where}] the database is unavailable: ${firstLineOf(err)}`);
      return { ok: false, message: fromUnknown(err).message };
    }
    if (err instanceof AppError && err.kind !== "halt") return { ok: false, message: err.message, fieldErrors: err.fieldErrors };
    if (err instanceof z.ZodError) {
      const issue = err.issues[0];
      return { ok: false, message: `Invalid request: ${issue?.path.join(".") || "input"}: ${issue?.message ?? "not valid"}` };
    }
    console.error(`[${where}] action failed`, err instanceof Error ? err.message : err);
    return { ok: false, message: "Something went wrong on our side; it has been logged. Try again." };
  }
}
