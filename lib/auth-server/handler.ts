import "server-only";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { signInSchema, signUpSchema } from "@/lib/schemas/auth";
import { JsonBodyError, readJsonBody } from "@/lib/json-body";
import { badTextIn } from "@/lib/schemas/text";
import { DatabaseUnavailableError, firstLineOf, isDatabaseUnavailable } from "@/lib/errors";
import { LOCAL_PUBLISHABLE_KEY } from "@/lib/supabase/config";
import { AuthError, API_VERSION_HEADERS, errorResponse, json } from "./errors";
import { getSigningKey } from "./keys";
import { burnTime, hashPassword, verifyPassword } from "./passwords";
import { hashed } from "@/lib/rate-limit";
import { clientAddress } from "@/lib/client-address";
import { consumeAuth, type AuthLimits } from "./rate-limit";
import { isSessionActive, revokeSessions, rotateRefreshToken, startSession } from "./sessions";
import { verifyAccessToken } from "./tokens";
import { findUserByEmail, findUserById, insertUser, toAuthUser, touchSignIn } from "./users";

export interface AuthDeps {
  db: Db;
  limits: AuthLimits;
  /** TRUSTED_PROXY_HOPS (lib/client-address.ts); tests set it. */
  trustedProxyHops?: number;
}

/**
 * The subset of the Supabase Auth (GoTrue) HTTP API that supabase-js uses for email and password,
 * served at /auth/v1 when no Supabase project is configured. `path` is the part after /auth/v1.
 */
export async function handleAuthRequest(req: Request, path: string, deps: AuthDeps): Promise<Response> {
  try {
    if (req.method === "GET" && path === "/.well-known/jwks.json") {
      const key = await getSigningKey(deps.db);
      return json({ keys: [key.publicJwk] }, 200, { "cache-control": "public, max-age=600" });
    }
    if (req.headers.get("apikey") !== LOCAL_PUBLISHABLE_KEY) {
      throw new AuthError(401, "no_api_key", "Invalid API key: use the publishable key of this Bullpen server");
    }
    const issuer = new URL("/auth/v1", req.url).toString();
    const url = new URL(req.url);
    if (req.method === "POST" && path === "/signup") return await signUp(req, issuer, deps);
    if (req.method === "POST" && path === "/token") {
      const grant = url.searchParams.get("grant_type");
      if (grant === "password") return await signIn(req, issuer, deps);
      if (grant === "refresh_token") return await refresh(req, issuer, deps);
      throw new AuthError(400, "validation_failed", `Unsupported grant_type: ${grant ?? "(none)"}`);
    }
    if (req.method === "GET" && path === "/user") {
      const { user } = await authenticate(req, deps.db);
      return json(user);
    }
    if (req.method === "POST" && path === "/logout") {
      const scope = parse(LOGOUT_SCOPE, url.searchParams.get("scope") ?? "global");
      const { claims } = await authenticate(req, deps.db);
      await revokeSessions(deps.db, claims.sub, claims.session_id, scope);
      return new Response(null, { status: 204, headers: API_VERSION_HEADERS });
    }
    const allowed = METHODS_OF[path];
    if (allowed) throw new AuthError(405, "method_not_allowed", `${req.method} is not allowed on /auth/v1${path}: use ${allowed}`, {}, { allow: allowed });
    throw new AuthError(404, "not_found", `${req.method} /auth/v1${path} is not served by the built-in auth`);
  } catch (err) {
    if (err instanceof AuthError) return errorResponse(err);
    if (isDatabaseUnavailable(err)) {
      // 503: supabase-js keeps the session on it (a retryable fetch error), so nobody is signed out by an outage.
      console.error(`[auth] the database is unavailable: ${firstLineOf(err)}`);
      const unavailable = new DatabaseUnavailableError({ cause: err });
      return errorResponse(new AuthError(503, "database_unavailable", unavailable.message, {}, { "retry-after": String(unavailable.retryAfterSeconds) }));
    }
    console.error("[auth] unexpected error", err instanceof Error ? err.message : err);
    return errorResponse(new AuthError(500, "unexpected_failure", "Unexpected failure, please try again"));
  }
}

/** The paths served and their one method each: another method answers 405 rather than 404. */
const METHODS_OF: Record<string, string> = { "/signup": "POST", "/token": "POST", "/user": "GET", "/logout": "POST", "/.well-known/jwks.json": "GET" };

const LOGOUT_SCOPE = z.enum(["global", "local", "others"], { error: "scope must be global, local or others" });

/** A sign-up, a sign-in or a refresh is a few hundred bytes; user metadata at most 8 KB of it. */
const MAX_AUTH_BODY_BYTES = 64 * 1024;
const MAX_METADATA_BYTES = 8 * 1024;

async function body(req: Request): Promise<unknown> {
  try {
    return await readJsonBody(req, { maxBytes: MAX_AUTH_BODY_BYTES });
  } catch (err) {
    if (!(err instanceof JsonBodyError)) throw err;
    if (err.problem === "too_large") throw new AuthError(413, "request_too_large", err.message);
    if (err.problem === "too_deep" || err.problem === "proto_key") throw new AuthError(400, "validation_failed", err.message);
    throw new AuthError(400, "bad_json", err.problem === "not_utf8" ? "Could not parse request body as JSON: it holds bytes that are not UTF-8" : "Could not parse request body as JSON");
  }
}

/** Sign-up's `data`, the user's metadata (it goes into every access token): absent, or a small object of plain text and values. */
function userMetadata(data: unknown): Record<string, unknown> {
  if (data === undefined || data === null) return {};
  if (typeof data !== "object" || Array.isArray(data)) throw new AuthError(400, "validation_failed", 'data must be an object of user metadata, such as {"name": "Ada"}');
  const problem = badTextIn(data, "data");
  if (problem) throw new AuthError(400, "validation_failed", problem);
  if (new TextEncoder().encode(JSON.stringify(data)).byteLength > MAX_METADATA_BYTES) {
    throw new AuthError(400, "validation_failed", `data (user metadata) must be at most ${MAX_METADATA_BYTES / 1024} KB of JSON`);
  }
  return data as Record<string, unknown>;
}

/** `input` parsed, or Supabase's error: validation_failed, or weak_password for a new password that is too short (`newPassword`). */
function parse<T>(schema: z.ZodType<T>, input: unknown, { newPassword = false }: { newPassword?: boolean } = {}): T {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  if (newPassword && issue.path[0] === "password" && issue.code === "too_small") {
    throw new AuthError(422, "weak_password", issue.message, { weak_password: { reasons: ["length"] } });
  }
  throw new AuthError(400, "validation_failed", issue.message);
}

const address = (req: Request, deps: AuthDeps) => clientAddress(req.headers, deps.trustedProxyHops);

async function signUp(req: Request, issuer: string, deps: AuthDeps) {
  const input = (await body(req)) as { email?: unknown; password?: unknown; data?: unknown };
  const { email, password } = parse(signUpSchema, input, { newPassword: true });
  const metadata = userMetadata(input?.data);
  await consumeAuth(deps.limits.signUp, address(req, deps));
  const row = await insertUser(deps.db, { email, passwordHash: await hashPassword(password), metadata });
  if (!row) throw new AuthError(422, "user_already_exists", "User already registered");
  return json(await startSession(deps.db, issuer, toAuthUser(row)));
}

async function signIn(req: Request, issuer: string, deps: AuthDeps) {
  const { email, password } = parse(signInSchema, await body(req));
  await consumeAuth(deps.limits.signInAddress, address(req, deps));
  await consumeAuth(deps.limits.signInEmail, hashed(email));
  const row = await findUserByEmail(deps.db, email);
  if (!row) await burnTime(password);
  if (!row || !(await verifyPassword(row.encrypted_password, password))) {
    throw new AuthError(400, "invalid_credentials", "Invalid login credentials");
  }
  return json(await startSession(deps.db, issuer, toAuthUser(await touchSignIn(deps.db, row.id))));
}

async function refresh(req: Request, issuer: string, deps: AuthDeps) {
  await consumeAuth(deps.limits.refresh, address(req, deps));
  const { refresh_token } = parse(z.object({ refresh_token: z.string().min(1, "refresh_token is required") }), await body(req));
  return json(await rotateRefreshToken(deps.db, issuer, refresh_token));
}

async function authenticate(req: Request, db: Db) {
  const header = req.headers.get("authorization") ?? "";
  const token = header.match(/^Bearer (.+)$/i)?.[1];
  if (!token) throw new AuthError(401, "no_authorization", "This endpoint requires a Bearer token");
  const claims = await verifyAccessToken(db, token);
  if (!(await isSessionActive(db, claims.session_id))) {
    throw new AuthError(403, "session_not_found", "Session from session_id claim in JWT does not exist");
  }
  const row = await findUserById(db, claims.sub);
  if (!row) throw new AuthError(403, "user_not_found", "User from sub claim in JWT does not exist");
  return { claims, user: toAuthUser(row) };
}
