import "server-only";
import { getDb, type Db } from "@/lib/db/client";
import { setTradingSessionLabel, type TradingSessionRow } from "@/lib/db/queries/sessions";
import { withUser } from "@/lib/db/rls";
import { AppError, notFound } from "@/lib/errors";
import { assertId } from "@/lib/services/ids";
import { sessionFieldErrors, sessionPatchSchema } from "@/lib/schemas/session";
import type { UserContext } from "@/lib/services/context";

/**
 * Renames a session (its label: the user's name for the run, null for none), in any status: the label is
 * not one of its trading rules, which stay as they started. As the user: another user's id is not found.
 */
export async function renameSession(ctx: UserContext, id: string, body: unknown, db: Db = getDb()): Promise<TradingSessionRow> {
  const parsed = sessionPatchSchema.safeParse(body);
  if (!parsed.success) {
    const fields = sessionFieldErrors(parsed.error);
    throw new AppError("reject", "VALIDATION_FAILED", Object.values(fields)[0] ?? "The label is not valid", fields);
  }
  const { label } = parsed.data;
  assertId(id, "Session");
  return withUser(
    ctx.claims,
    async (tx) => {
      const row = await setTradingSessionLabel(tx, { id, userId: ctx.userId, label });
      if (!row) throw notFound("Session");
      return row;
    },
    db,
  );
}
