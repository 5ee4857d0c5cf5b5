import { z } from "zod";
import { LOCAL_PUBLISHABLE_KEY } from "@/lib/supabase/config";

/**
 * The one place that reads process.env. Everything else imports `env` (server) or receives the
 * public values as props. Unset variables select the embedded defaults described in the README.
 */
const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const optionalUrl = (what: string) =>
  z.preprocess(emptyToUndefined, z.url({ message: `${what} must be a URL such as https://example.com` }).optional());

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number({ message: "PORT must be a number" }).int().min(1).max(65535).default(3000),
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must start with postgres:// or postgresql://")
      .optional(),
  ),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  BULLPEN_DATA_DIR: z.preprocess(emptyToUndefined, z.string().default(".data")),
  NEXT_PUBLIC_SUPABASE_URL: optionalUrl("NEXT_PUBLIC_SUPABASE_URL"),
  NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: optionalString,
  ADMIN_EMAILS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default("")
      .transform((s) =>
        s
          .split(",")
          .map((e) => e.trim().toLowerCase())
          .filter(Boolean),
      )
      .pipe(z.array(z.email({ message: "ADMIN_EMAILS must be a comma-separated list of emails" }))),
  ),
  // --- Rate limits (lib/rate-limit.ts): shared by every process through the database ---
  /** Sign-in attempts per email per minute (the built-in auth). */
  AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  /** Sign-in attempts per client address per minute. */
  RATE_LIMIT_SIGN_INS_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  /** Sign-ups per client address per hour. */
  RATE_LIMIT_SIGN_UPS_PER_HOUR: z.coerce.number().int().min(1).default(20),
  /** Token refreshes per client address per minute. */
  RATE_LIMIT_REFRESHES_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  /** Sessions a user may start per hour (each runs model calls; an array of n counts n). */
  RATE_LIMIT_SESSIONS_PER_HOUR: z.coerce.number().int().min(1).default(60),
  /** Questions a user may ask the models per minute (the chat: each a model call of up to 5 steps). */
  RATE_LIMIT_CHAT_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  /** Requests one model API token may make per minute (docs/model-tokens.md; outside agents over MCP and REST). */
  RATE_LIMIT_MODEL_TOKEN_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  /**
   * Reverse proxies in front of Next that append the address they saw to X-Forwarded-For; the client
   * address is the N-th entry from the right. 0: no proxy (lib/client-address.ts).
   */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  // --- Sessions and workers (docs/sessions.md) ---
  /** Sessions a user may have pending or running at once; more wait queued (lib/services/sessions/admission.ts). */
  SESSION_CONCURRENCY_PER_USER: z.coerce.number().int().min(1).max(10_000).default(3),
  /** Sessions one worker process runs at the same time. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(1_000).default(8),
  /** Sessions of remote models (LLMs) one worker process runs at once: they wait on the network, not a core. */
  WORKER_LLM_CONCURRENCY: z.coerce.number().int().min(1).max(5_000).default(250),
  /**
   * Database connections of one worker process for its bars. No bar holds one while its model thinks, so a
   * few serve hundreds of sessions; more only run more commits at once on the database's cores, each longer
   * (bench:llm on 2 cores: 4 → the longest transaction 51 ms; 10 → 172 ms; the same throughput).
   */
  WORKER_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(4),
  /**
   * The OS niceness of a worker process (0–19; default 0, as the web server): above 0 its CPU-bound replays
   * yield the cores to the web server whenever both want them; alone on a machine a worker runs at full speed
   * whatever its niceness. Off by default: under a saturated machine a niced worker may fall behind its
   * heartbeats (docs/trading.md, "Concurrency").
   */
  WORKER_NICENESS: z.coerce.number().int().min(0).max(19).default(0),
  /** A job runs a session for about this long, then queues its continuation (fairness, job expiry). */
  SESSION_SLICE_SECONDS: z.coerce.number().int().min(1).max(3_600).default(60),
  /**
   * A session an outside agent drives: a turn with no call for this long is ended as if the agent had called end_turn
   * (docs/sessions.md, "Sessions an outside agent drives"; a pg-boss job delayed by this much).
   */
  EXTERNAL_TURN_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  /** How often pg-boss looks for jobs whose worker stopped sending heartbeats (10 s heartbeat + this). */
  JOB_MONITOR_SECONDS: z.coerce.number().int().min(1).max(300).default(10),
  /** Worker processes npm run dev / npm start run (default: one per core, at most 4; lib/jobs/worker-processes.ts). */
  WORKER_PROCESSES: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(64).optional()),
  /** npm run dev / npm start also start the workers; set to false where workers run elsewhere. */
  BULLPEN_START_WORKER: z.preprocess(emptyToUndefined, z.enum(["true", "false", "1", "0"]).default("true").transform((v) => v === "true" || v === "1")),
  MARKET_DATA_PROVIDER: z.preprocess(
    emptyToUndefined,
    z.enum(["polygon", "alpaca", "yahoo"], { message: "MARKET_DATA_PROVIDER must be polygon, alpaca or yahoo" }).optional(),
  ),
  POLYGON_API_KEY: optionalString,
  ALPACA_API_KEY_ID: optionalString,
  ALPACA_API_SECRET_KEY: optionalString,
  // --- LLM providers (lib/agent/providers.ts). A key stored on a model wins over these. ---
  OPENAI_API_KEY: optionalString,
  OPENROUTER_API_KEY: optionalString,
  /** Any OpenAI-compatible server (Ollama, vLLM, LM Studio), e.g. http://127.0.0.1:11434/v1 */
  COMPATIBLE_BASE_URL: optionalUrl("COMPATIBLE_BASE_URL"),
  COMPATIBLE_API_KEY: optionalString,
  /** 32 bytes, base64 or hex: encrypts API keys stored on models (AES-256-GCM). Unset: storing keys is refused. */
  BULLPEN_ENCRYPTION_KEY: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .optional()
      .transform((s, ctx) => {
        if (s === undefined) return undefined;
        const key = decodeKey(s.trim());
        if (key) return key;
        ctx.addIssue({
          code: "custom",
          message: "BULLPEN_ENCRYPTION_KEY must be 32 bytes as 64 hex digits or base64 (generate one: openssl rand -base64 32)",
        });
        return z.NEVER;
      }),
  ),
});

/** A 32-byte key from 64 hex digits or base64 (standard or URL-safe); null when it is neither. */
function decodeKey(s: string): Buffer | null {
  if (/^[0-9a-fA-F]{64}$/.test(s)) return Buffer.from(s, "hex");
  if (/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(s)) {
    const key = Buffer.from(s.replace(/-/g, "+").replace(/_/g, "/"), "base64");
    if (key.length === 32) return key;
  }
  return null;
}

function load() {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(env)"}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}\nSee .env.example for every variable.`);
  }
  return parsed.data;
}

export const env = load();

/** True when the app itself serves Supabase Auth at /auth/v1 (no NEXT_PUBLIC_SUPABASE_URL). */
export const localAuth = env.NEXT_PUBLIC_SUPABASE_URL === undefined;

/** Where server code reaches Supabase Auth: the real project, or this app's own loopback origin. */
export const supabaseServerUrl = env.NEXT_PUBLIC_SUPABASE_URL ?? `http://127.0.0.1:${env.PORT}`;

/** What the browser uses: the real project, or null meaning "this page's own origin". */
export const supabaseBrowserUrl = env.NEXT_PUBLIC_SUPABASE_URL ?? null;

export const supabasePublishableKey = env.NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY ?? LOCAL_PUBLISHABLE_KEY;
