import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { SignJWT, jwtVerify, createLocalJWKSet } from "jose";
import type { Db } from "@/lib/db/client";
import { AuthError } from "./errors";
import { getSigningKey } from "./keys";
import type { AuthUser } from "./users";

export const ACCESS_TOKEN_TTL_S = 3600;

export const newRefreshToken = () => randomBytes(24).toString("base64url");
export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export async function signAccessToken(db: Db, issuer: string, user: AuthUser, sessionId: string) {
  const key = await getSigningKey(db);
  const now = Math.floor(Date.now() / 1000);
  const expiresAt = now + ACCESS_TOKEN_TTL_S;
  const token = await new SignJWT({
    email: user.email,
    role: "authenticated",
    aal: "aal1",
    amr: [{ method: "password", timestamp: now }],
    session_id: sessionId,
    is_anonymous: false,
    app_metadata: user.app_metadata,
    user_metadata: user.user_metadata,
  })
    .setProtectedHeader({ alg: "ES256", kid: key.kid, typ: "JWT" })
    .setSubject(user.id)
    .setAudience("authenticated")
    .setIssuer(issuer)
    .setIssuedAt(now)
    .setExpirationTime(expiresAt)
    .sign(key.privateKey);
  return { token, expiresAt };
}

/** Verifies signature, expiry and audience; returns the claims. */
export async function verifyAccessToken(db: Db, token: string) {
  const key = await getSigningKey(db);
  try {
    const { payload } = await jwtVerify(token, createLocalJWKSet({ keys: [key.publicJwk] }), { audience: "authenticated" });
    if (typeof payload.sub !== "string" || typeof payload.session_id !== "string") throw new Error("missing claims");
    return payload as typeof payload & { sub: string; session_id: string };
  } catch {
    throw new AuthError(403, "bad_jwt", "invalid JWT: unable to parse or verify signature, token is expired or malformed");
  }
}
