import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { getDb, type Db } from "@/lib/db/client";
import {
  countLiveModelTokens,
  findModelTokenByHash,
  getModelTokenById,
  hasSessionOfModel,
  insertModelToken,
  listModelTokensOfModel,
  lockModelOfUser,
  revokeModelTokenById,
  type ModelTokenRow,
} from "@/lib/db/queries/model-tokens";
import { getModelById } from "@/lib/db/queries/models";
import { withCore, withUser, type Claims } from "@/lib/db/rls";
import { AppError, notFound } from "@/lib/errors";
import { rateLimit, type RateLimit } from "@/lib/rate-limit";
import { modelTokenFieldErrors, modelTokenInputSchema, type ModelTokenStatus, type ModelTokenView } from "@/lib/schemas/model-token";
import type { UserContext } from "./context";
import { assertId } from "./ids";

/**
 * Per-model API tokens (docs/model-tokens.md): the credential an outside agent (MCP, REST) uses to act as
 * exactly one model of one user, optionally in one session. A token is `bp_` and 43 base64url characters (32
 * random bytes); only its SHA-256 is stored, and it is shown once, in the answer that creates it. Creating
 * and revoking are the owner's, written as the trading core's role for the owner's claims (drizzle/0024:
 * the Data API's roles write no token); reads are the owner's (withUser).
 */

export const TOKEN_PREFIX = "bp_";
const TOKEN_BYTES = 32;
/** bp_ + 43 base64url characters (32 bytes, no padding). */
const TOKEN_FORMAT = /^bp_[A-Za-z0-9_-]{43}$/;
/** What is kept of a token to show it afterwards: "bp_" and its next 8 characters (48 of its 256 bits). */
const SHOWN_LENGTH = TOKEN_PREFIX.length + 8;
/** Tokens of one model neither revoked nor expired, at most. */
export const MAX_LIVE_TOKENS = 20;
/** last_used_at is stamped at most once per this many seconds of use (one write a minute, not one a request). */
export const LAST_USED_EVERY_SECONDS = 60;

const DAY_MS = 86_400_000;

export const hashModelToken = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

/** A fresh token: 256 random bits, base64url, after the recognisable prefix. */
export function generateModelToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(TOKEN_BYTES).toString("base64url")}`;
}

export function statusOf(row: Pick<ModelTokenRow, "revokedAt" | "expiresAt">, now: Date): ModelTokenStatus {
  if (row.revokedAt) return "revoked";
  if (row.expiresAt && row.expiresAt.getTime() <= now.getTime()) return "expired";
  return "active";
}

export function modelTokenView(row: ModelTokenRow, now = new Date()): ModelTokenView {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    sessionId: row.sessionId,
    createdAt: row.createdAt.toISOString(),
    expiresAt: iso(row.expiresAt),
    lastUsedAt: iso(row.lastUsedAt),
    revokedAt: iso(row.revokedAt),
    status: statusOf(row, now),
  };
}

function parseInput(input: unknown) {
  const parsed = modelTokenInputSchema.safeParse(input);
  if (!parsed.success) {
    const fields = modelTokenFieldErrors(parsed.error);
    throw new AppError("reject", "VALIDATION_FAILED", Object.values(fields)[0] ?? "The token request is not valid", fields);
  }
  return parsed.data;
}

export interface CreatedModelToken extends ModelTokenView {
  /** The token itself: shown this once, stored nowhere. */
  token: string;
}

/**
 * Creates a token for one of the caller's models (optionally bound to one of that model's sessions). Another
 * user's model, or an id that is not a UUID, is not found; a sessionId that is not one of this model's sessions
 * (missing, another model's or another user's: one answer) is refused on the field, and nothing is written.
 */
export async function createModelToken(ctx: UserContext, modelId: string, input: unknown, db: Db = getDb(), now = new Date()): Promise<CreatedModelToken> {
  const values = parseInput(input);
  assertId(modelId, "Model");
  const token = generateModelToken();
  const row = await withCore(
    ctx.claims,
    async (tx) => {
      if (!(await lockModelOfUser(tx, { id: modelId, userId: ctx.userId }))) throw notFound("Model");
      const sessionId = values.sessionId ?? null;
      if (sessionId && !(await hasSessionOfModel(tx, { id: sessionId, modelId, userId: ctx.userId }))) {
        const message = "sessionId is not one of this model's sessions; leave it out for a token that may act in any of them";
        throw new AppError("reject", "VALIDATION_FAILED", message, { sessionId: message });
      }
      if ((await countLiveModelTokens(tx, { modelId, userId: ctx.userId, now })) >= MAX_LIVE_TOKENS) {
        throw new AppError("conflict", "TOO_MANY_TOKENS", `This model has ${MAX_LIVE_TOKENS} tokens that are neither revoked nor expired, the most it may have: revoke one first`);
      }
      return insertModelToken(tx, {
        userId: ctx.userId,
        modelId,
        sessionId,
        name: values.name,
        prefix: token.slice(0, SHOWN_LENGTH),
        tokenHash: hashModelToken(token),
        createdAt: now,
        expiresAt: values.expiresInDays ? new Date(now.getTime() + values.expiresInDays * DAY_MS) : null,
      });
    },
    db,
  );
  return { ...modelTokenView(row, now), token };
}

/** The model's tokens, newest first, revoked and expired ones included; never a secret. */
export async function listModelTokens(ctx: UserContext, modelId: string, db: Db = getDb(), now = new Date()): Promise<ModelTokenView[]> {
  assertId(modelId, "Model");
  return withUser(
    ctx.claims,
    async (tx) => {
      if (!(await getModelById(tx, { id: modelId, userId: ctx.userId }))) throw notFound("Model");
      return (await listModelTokensOfModel(tx, { modelId, userId: ctx.userId })).map((r) => modelTokenView(r, now));
    },
    db,
  );
}

/**
 * Revokes a token of one of the caller's models: refused from then on, at once (nothing caches a token).
 * Idempotent: revoking a revoked token answers it as it is, with the time of its first revocation. A token
 * that is not this model's (or not the caller's) is not found.
 */
export async function revokeModelToken(ctx: UserContext, modelId: string, tokenId: string, db: Db = getDb(), now = new Date()): Promise<ModelTokenView> {
  assertId(modelId, "Model");
  assertId(tokenId, "Token");
  const row = await withCore(
    ctx.claims,
    async (tx) =>
      (await revokeModelTokenById(tx, { id: tokenId, modelId, userId: ctx.userId, at: now })) ??
      (await getModelTokenById(tx, { id: tokenId, modelId, userId: ctx.userId })),
    db,
  );
  if (!row) throw notFound("Token");
  return modelTokenView(row, now);
}

/** Who a valid token acts as: one model of one user, optionally one session. Identity comes from here only. */
export interface ModelTokenIdentity {
  userId: string;
  modelId: string;
  /** The one session the token may act in; null: any session of the model. */
  sessionId: string | null;
  tokenId: string;
  tokenName: string;
  /** Claims for the owner's row-level security (withUser, withCore), as a signed-in user's would be. */
  claims: Claims;
}

/** A token refused: kind `unauthenticated` (401), one code per reason, the message in words. */
export class ModelTokenError extends AppError {
  constructor(code: "INVALID_TOKEN" | "TOKEN_REVOKED" | "TOKEN_EXPIRED" | "MODEL_ARCHIVED", message: string) {
    super("unauthenticated", code, message);
  }
}

const MAKE_ANOTHER = "create a new one on the model's page";

export interface AuthenticateOptions {
  db?: Db;
  /** Requests per token (default: RATE_LIMIT_MODEL_TOKEN_PER_MINUTE, keyed by the token's id); null: none. */
  limit?: RateLimit | null;
}

/**
 * The identity of `token` (the bearer credential, without "Bearer "), or a ModelTokenError: unknown (or not
 * a token at all), revoked, or expired. Every call asks the database (one statement, the same one whatever the
 * outcome), so a revocation or an expiry is refused at once. A usable token's last_used_at is stamped in that
 * statement, at most once a minute; then the token's own rate limit counts the request (RATE_LIMITED, 429).
 */
export async function authenticateModelToken(token: string | null | undefined, options: AuthenticateOptions = {}): Promise<ModelTokenIdentity> {
  const db = options.db ?? getDb();
  const invalid = () => new ModelTokenError("INVALID_TOKEN", `This API token is not valid: check that it was copied whole, or ${MAKE_ANOTHER}`);
  if (typeof token !== "string" || !TOKEN_FORMAT.test(token)) throw invalid();
  const hit = await findModelTokenByHash(db, { tokenHash: hashModelToken(token), touchSeconds: LAST_USED_EVERY_SECONDS });
  if (!hit) throw invalid();
  if (hit.revokedAt) throw new ModelTokenError("TOKEN_REVOKED", `This API token was revoked; ${MAKE_ANOTHER}`);
  if (hit.expiresAt && hit.expiresAt.getTime() <= hit.now.getTime()) {
    throw new ModelTokenError("TOKEN_EXPIRED", `This API token expired on ${hit.expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC; ${MAKE_ANOTHER}`);
  }
  // Archiving a model retires it: its agents stop with it, and work again if it is restored (nothing is revoked).
  if (!hit.modelActive) throw new ModelTokenError("MODEL_ARCHIVED", "This API token's model is archived: restore the model on the dashboard to use its tokens again");
  const limit = options.limit === undefined ? rateLimit("modelToken", db) : options.limit;
  await limit?.consume(hit.id);
  return {
    userId: hit.userId,
    modelId: hit.modelId,
    sessionId: hit.sessionId,
    tokenId: hit.id,
    tokenName: hit.name,
    claims: { sub: hit.userId, role: "authenticated" },
  };
}
