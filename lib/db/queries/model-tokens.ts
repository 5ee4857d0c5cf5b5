import "server-only";
import { and, count, desc, eq, gt, isNull, or } from "drizzle-orm";
import type { Executor } from "@/lib/db/client";
import { runPrepared, timestampOf } from "@/lib/db/prepared";
import { models, modelTokens, tradingSessions } from "@/lib/db/schema";

/**
 * Model API tokens (docs/model-tokens.md). Every query names the owner in its WHERE as well as row-level
 * security; none returns the hash (the owner's role may not even read it).
 */
const view = {
  id: modelTokens.id,
  modelId: modelTokens.modelId,
  sessionId: modelTokens.sessionId,
  name: modelTokens.name,
  prefix: modelTokens.prefix,
  createdAt: modelTokens.createdAt,
  expiresAt: modelTokens.expiresAt,
  lastUsedAt: modelTokens.lastUsedAt,
  revokedAt: modelTokens.revokedAt,
};

export interface ModelTokenRow {
  id: string;
  modelId: string;
  sessionId: string | null;
  name: string;
  prefix: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** The model row, locked against a concurrent token creation (so the live-token cap holds); undefined if not the user's. */
export async function lockModelOfUser(tx: Executor, { id, userId }: { id: string; userId: string }) {
  const [row] = await tx.select({ id: models.id }).from(models).where(and(eq(models.id, id), eq(models.userId, userId))).for("update");
  return row;
}

export async function hasSessionOfModel(tx: Executor, { id, modelId, userId }: { id: string; modelId: string; userId: string }): Promise<boolean> {
  const [row] = await tx
    .select({ id: tradingSessions.id })
    .from(tradingSessions)
    .where(and(eq(tradingSessions.id, id), eq(tradingSessions.modelId, modelId), eq(tradingSessions.userId, userId)));
  return row !== undefined;
}

/** Tokens of the model neither revoked nor expired at `now`. */
export async function countLiveModelTokens(tx: Executor, { modelId, userId, now }: { modelId: string; userId: string; now: Date }): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(modelTokens)
    .where(
      and(
        eq(modelTokens.modelId, modelId),
        eq(modelTokens.userId, userId),
        isNull(modelTokens.revokedAt),
        or(isNull(modelTokens.expiresAt), gt(modelTokens.expiresAt, now)),
      ),
    );
  return row?.n ?? 0;
}

export async function insertModelToken(
  tx: Executor,
  values: { userId: string; modelId: string; sessionId: string | null; name: string; prefix: string; tokenHash: string; createdAt: Date; expiresAt: Date | null },
): Promise<ModelTokenRow> {
  const [row] = await tx.insert(modelTokens).values(values).returning(view);
  return row!;
}

/** Newest first, revoked and expired ones too. */
export function listModelTokensOfModel(tx: Executor, { modelId, userId }: { modelId: string; userId: string }): Promise<ModelTokenRow[]> {
  return tx
    .select(view)
    .from(modelTokens)
    .where(and(eq(modelTokens.modelId, modelId), eq(modelTokens.userId, userId)))
    .orderBy(desc(modelTokens.createdAt), desc(modelTokens.id));
}

export async function getModelTokenById(tx: Executor, { id, modelId, userId }: { id: string; modelId: string; userId: string }) {
  const [row] = await tx
    .select(view)
    .from(modelTokens)
    .where(and(eq(modelTokens.id, id), eq(modelTokens.modelId, modelId), eq(modelTokens.userId, userId)));
  return row as ModelTokenRow | undefined;
}

/** Sets revoked_at if it is not set yet; undefined when the token is not the user's, or already revoked. */
export async function revokeModelTokenById(tx: Executor, { id, modelId, userId, at }: { id: string; modelId: string; userId: string; at: Date }) {
  const [row] = await tx
    .update(modelTokens)
    .set({ revokedAt: at })
    .where(and(eq(modelTokens.id, id), eq(modelTokens.modelId, modelId), eq(modelTokens.userId, userId), isNull(modelTokens.revokedAt)))
    .returning(view);
  return row as ModelTokenRow | undefined;
}

export interface TokenLookup {
  id: string;
  userId: string;
  modelId: string;
  sessionId: string | null;
  name: string;
  expiresAt: Date | null;
  revokedAt: Date | null;
  /** Whether the token's model is active (not archived). */
  modelActive: boolean;
  /** The database's clock when it looked: what "expired" is measured against. */
  now: Date;
}

/**
 * The token with this hash, whatever its state, in ONE statement run as the server's own role (no user is
 * known yet: this is how one is found); a usable token's last_used_at is stamped in the same statement when it
 * is null or older than `touchSeconds`. Revoked and expired tokens are never stamped.
 */
const LOOKUP = `
with hit as (
  select id, user_id, model_id, session_id, name, expires_at, revoked_at, last_used_at
  from public.model_tokens where token_hash = $1
), touched as (
  update public.model_tokens t set last_used_at = now()
  from hit
  where t.id = hit.id and hit.revoked_at is null and (hit.expires_at is null or hit.expires_at > now())
    and exists (select 1 from public.models m where m.id = hit.model_id and m.is_active)
    and (hit.last_used_at is null or hit.last_used_at < now() - make_interval(secs => $2::int))
  returning t.id
)
select id, user_id as "userId", model_id as "modelId", session_id as "sessionId", name,
       expires_at as "expiresAt", revoked_at as "revokedAt", now() as now,
       coalesce((select m.is_active from public.models m where m.id = hit.model_id), false) as "modelActive"
from hit`;

export async function findModelTokenByHash(db: Executor, { tokenHash, touchSeconds }: { tokenHash: string; touchSeconds: number }): Promise<TokenLookup | undefined> {
  const [row] = await runPrepared<Record<Exclude<keyof TokenLookup, "modelActive">, string | null> & { modelActive: boolean }>(db, LOOKUP, [tokenHash, touchSeconds]);
  if (!row) return undefined;
  const at = (v: string | null) => (v === null ? null : timestampOf(v));
  return {
    id: row.id!,
    userId: row.userId!,
    modelId: row.modelId!,
    sessionId: row.sessionId,
    name: row.name!,
    expiresAt: at(row.expiresAt),
    revokedAt: at(row.revokedAt),
    modelActive: row.modelActive,
    now: timestampOf(row.now!),
  };
}
