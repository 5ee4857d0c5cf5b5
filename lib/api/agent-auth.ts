import "server-only";
import { getRequestUser } from "@/lib/auth/request-user";
import type { Db } from "@/lib/db/client";
import { HTTP_STATUS } from "@/lib/errors";
import { authenticateModelToken, ModelTokenError, TOKEN_PREFIX } from "@/lib/services/model-tokens";
import { agentInSession, ownerAsAgent, type OutsideAgent } from "@/lib/services/outside-agent";
import { ToolError } from "@/lib/trading/tools";
import type { RateLimit } from "@/lib/rate-limit";
import { apiError, fromError } from "./respond";

/**
 * Requests of outside agents (docs/mcp.md, docs/api.md "Sessions as an agent"): authenticated by a model API token
 * (`Authorization: Bearer bp_…`), whose identity is the only one they act as.
 */

const CHALLENGE = 'Bearer realm="bullpen", error="invalid_token"';

/** 401 with `WWW-Authenticate: Bearer`, in the API's error shape. */
export function tokenRefused(code: string, message: string): Response {
  const res = apiError(401, code, message);
  res.headers.set("WWW-Authenticate", CHALLENGE);
  return res;
}

/** The bearer credential of `Authorization: Bearer <token>`, or null. */
export function bearerOf(req: Request): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.get("authorization") ?? "");
  return match ? match[1]! : null;
}

/** A model token's identity, or the Response refusing it (401; 429 past its rate limit; 503 without a database). */
export async function modelTokenAgent(req: Request, options: { db?: Db; limit?: RateLimit | null } = {}): Promise<OutsideAgent | Response> {
  const token = bearerOf(req);
  if (!token) return tokenRefused("UNAUTHENTICATED", "Send Authorization: Bearer <model API token>; create one on the model's page (docs/mcp.md)");
  try {
    const { userId, modelId, sessionId, claims, tokenId } = await authenticateModelToken(token, options);
    return { userId, modelId, sessionId, claims, tokenId };
  } catch (err) {
    if (err instanceof ModelTokenError) return tokenRefused(err.code, err.message);
    return fromError(err);
  }
}

/**
 * Runs `fn` as the agent of session `sessionId`, checked to be that agent's before `fn` runs: with a model token
 * (`bp_…`), the token's model in that session (a token bound to another session, or a session of another model or
 * user: 404 like a missing one); with the owner's own access token or cookie, the session's model. A tool's error is answered with its kind's status, `{error: {code, message}}`.
 */
export async function asSessionAgent(req: Request, sessionId: string, fn: (agent: OutsideAgent) => Promise<Response>): Promise<Response> {
  let agent: OutsideAgent;
  if (bearerOf(req)?.startsWith(TOKEN_PREFIX)) {
    const byToken = await modelTokenAgent(req);
    if (byToken instanceof Response) return byToken;
    try {
      agent = await agentInSession(byToken, sessionId);
    } catch (err) {
      return fromError(err);
    }
  } else {
    const user = await getRequestUser(req);
    if (!user) return apiError(401, "UNAUTHENTICATED", "Sign in, or send Authorization: Bearer <access token or model API token>");
    try {
      agent = await ownerAsAgent({ userId: user.id, claims: user.claims }, sessionId);
    } catch (err) {
      return fromError(err);
    }
  }
  try {
    return await fn(agent);
  } catch (err) {
    if (err instanceof ToolError) return apiError(HTTP_STATUS[err.kind], err.code, err.detail);
    return fromError(err);
  }
}

/** The request carries a model API token (`Authorization: Bearer bp_…`), not a user's. */
export const isModelToken = (req: Request) => bearerOf(req)?.startsWith(TOKEN_PREFIX) ?? false;

/** Runs `fn` as a model token's agent (no session in the path); refusals and tool errors as asSessionAgent answers them. */
export async function asModelToken(req: Request, fn: (agent: OutsideAgent) => Promise<Response>): Promise<Response> {
  const agent = await modelTokenAgent(req);
  if (agent instanceof Response) return agent;
  try {
    return await fn(agent);
  } catch (err) {
    if (err instanceof ToolError) return apiError(HTTP_STATUS[err.kind], err.code, err.detail);
    return fromError(err);
  }
}
