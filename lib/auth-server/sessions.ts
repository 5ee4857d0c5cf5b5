import "server-only";
import { and, eq, isNull, ne } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { authSessions, refreshTokens } from "@/lib/db/schema";
import { AuthError } from "./errors";
import { ACCESS_TOKEN_TTL_S, hashToken, newRefreshToken, signAccessToken } from "./tokens";
import { findUserById, toAuthUser, type AuthUser } from "./users";

export interface SessionBody {
  access_token: string;
  token_type: "bearer";
  expires_in: number;
  expires_at: number;
  refresh_token: string;
  user: AuthUser;
}

async function sessionBody(db: Db, issuer: string, user: AuthUser, sessionId: string, refreshToken: string): Promise<SessionBody> {
  const { token, expiresAt } = await signAccessToken(db, issuer, user, sessionId);
  return { access_token: token, token_type: "bearer", expires_in: ACCESS_TOKEN_TTL_S, expires_at: expiresAt, refresh_token: refreshToken, user };
}

export async function startSession(db: Db, issuer: string, user: AuthUser): Promise<SessionBody> {
  const refreshToken = newRefreshToken();
  const sessionId = await db.transaction(async (tx) => {
    const [s] = await tx.insert(authSessions).values({ userId: user.id }).returning({ id: authSessions.id });
    await tx.insert(refreshTokens).values({ tokenHash: hashToken(refreshToken), sessionId: s!.id });
    return s!.id;
  });
  return sessionBody(db, issuer, user, sessionId, refreshToken);
}

/** Single-use refresh tokens: the presented one is revoked and a new one issued, atomically. */
export async function rotateRefreshToken(db: Db, issuer: string, presented: string): Promise<SessionBody> {
  const next = newRefreshToken();
  const { sessionId, userId } = await db.transaction(async (tx) => {
    const [used] = await tx
      .update(refreshTokens)
      .set({ revoked: true })
      .where(and(eq(refreshTokens.tokenHash, hashToken(presented)), eq(refreshTokens.revoked, false)))
      .returning({ sessionId: refreshTokens.sessionId });
    if (!used) {
      const [known] = await tx.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, hashToken(presented)));
      throw known
        ? new AuthError(400, "refresh_token_already_used", "Invalid Refresh Token: Already Used")
        : new AuthError(400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
    }
    const [session] = await tx
      .select()
      .from(authSessions)
      .where(and(eq(authSessions.id, used.sessionId), isNull(authSessions.revokedAt)));
    if (!session) throw new AuthError(400, "session_expired", "Invalid Refresh Token: Session Expired (Revoked by Newer Login)");
    await tx.insert(refreshTokens).values({ tokenHash: hashToken(next), sessionId: session.id });
    return { sessionId: session.id, userId: session.userId };
  });
  const row = await findUserById(db, userId);
  if (!row) throw new AuthError(403, "user_not_found", "User from sub claim in JWT does not exist");
  return sessionBody(db, issuer, toAuthUser(row), sessionId, next);
}

export async function isSessionActive(db: Db, sessionId: string): Promise<boolean> {
  const [s] = await db
    .select({ id: authSessions.id })
    .from(authSessions)
    .where(and(eq(authSessions.id, sessionId), isNull(authSessions.revokedAt)));
  return Boolean(s);
}

/** scope global: every session of the user; local: this one; others: all but this one. */
export async function revokeSessions(db: Db, userId: string, sessionId: string, scope: "global" | "local" | "others") {
  const where =
    scope === "local"
      ? eq(authSessions.id, sessionId)
      : scope === "others"
        ? and(eq(authSessions.userId, userId), ne(authSessions.id, sessionId))
        : eq(authSessions.userId, userId);
  await db.update(authSessions).set({ revokedAt: new Date() }).where(and(where, isNull(authSessions.revokedAt)));
}
