import { z } from "zod";
import { refineText } from "./text";

/** One schema for POST /api/v1/models/:id/tokens, the model page's form and its server action. */
export const MODEL_TOKEN_NAME_MAX = 80;
/** The longest a token may live: a year. Left out (or null), it never expires. */
export const MODEL_TOKEN_MAX_DAYS = 365;

export const modelTokenInputSchema = z
  .object({
    name: z
      .string({ error: (issue) => (issue.input === undefined ? "Name is required: what uses this token, e.g. \"Claude Desktop\"" : "Name must be text") })
      .trim()
      .min(1, "Name is required: what uses this token, e.g. \"Claude Desktop\"")
      .max(MODEL_TOKEN_NAME_MAX, `Name must be at most ${MODEL_TOKEN_NAME_MAX} characters`)
      .superRefine(refineText("Name")),
    expiresInDays: z
      .number({ error: `expiresInDays must be a whole number of days from 1 to ${MODEL_TOKEN_MAX_DAYS}, or left out for a token that never expires` })
      .int(`expiresInDays must be a whole number of days from 1 to ${MODEL_TOKEN_MAX_DAYS}`)
      .min(1, `expiresInDays must be a whole number of days from 1 to ${MODEL_TOKEN_MAX_DAYS}`)
      .max(MODEL_TOKEN_MAX_DAYS, `expiresInDays must be at most ${MODEL_TOKEN_MAX_DAYS} (a year); leave it out for a token that never expires`)
      .nullish(),
    sessionId: z.uuid({ error: "sessionId must be the id of one of this model's sessions (a UUID), or left out for any session" }).nullish(),
  })
  .strict();

export type ModelTokenInput = z.input<typeof modelTokenInputSchema>;
export type ValidModelTokenInput = z.output<typeof modelTokenInputSchema>;

/** Field → first message, for the form and the API's `fields`. */
export function modelTokenFieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.join(".") : "body";
    out[key] ??= issue.code === "unrecognized_keys" ? `unknown field(s): ${issue.keys.join(", ")}` : issue.message;
  }
  return out;
}

/** A token's state: usable, revoked (final), or past its expiry. */
export type ModelTokenStatus = "active" | "revoked" | "expired";

/** A token as the API and the page show it: never the secret, never its hash. Times are ISO instants. */
export interface ModelTokenView {
  id: string;
  name: string;
  /** "bp_AbCd1234": the token's first characters. */
  prefix: string;
  sessionId: string | null;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  status: ModelTokenStatus;
}
