import { z } from "zod";
import { checkLlmId } from "@/lib/agent/catalog";
import { tradingDefaultsSchema } from "./session";
import { refineText } from "./text";

/** One schema for the model form, its server actions and the HTTP API. */
export const MAX_STARTING_CASH = 1_000_000_000;
export const MODEL_NAME_MAX = 80;
export const MODEL_SIGNATURE_MAX = 40;

/** A text field's type error in words: "Name is required" when absent, "Name must be text" otherwise. */
const text = (name: string, required = false) =>
  z.string({ error: (issue) => (issue.input === undefined && required ? `${name} is required` : `${name} must be text`) });

const fields = {
  name: text("Name", true)
    .trim()
    .min(1, "Name is required")
    .max(MODEL_NAME_MAX, `Name must be at most ${MODEL_NAME_MAX} characters`)
    .superRefine(refineText("Name", { multiline: true })),
  signature: text("Signature", true)
    .trim()
    .min(2, "Signature must be at least 2 characters")
    .max(MODEL_SIGNATURE_MAX, `Signature must be at most ${MODEL_SIGNATURE_MAX} characters`)
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "Use lower-case letters, digits and single dashes, e.g. momentum-v1"),
  description: text("Description").trim().max(500, "Description must be at most 500 characters").superRefine(refineText("Description", { multiline: true })),
  llm: text("Model", true)
    .trim()
    .min(1, "Choose a model, e.g. builtin:momentum")
    .superRefine((id, ctx) => {
      const problem = checkLlmId(id);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
  instructions: text("Instructions").trim().max(10_000, "Instructions must be at most 10,000 characters").superRefine(refineText("Instructions", { multiline: true })),
  startingCash: z
    .union([z.string(), z.number()], { error: "Starting cash must be a positive amount in dollars, e.g. 10000 or 2500.50" })
    .transform((v) => String(v).trim().replaceAll(",", ""))
    .refine((v) => /^\d+(\.\d{1,2})?$/.test(v), "Starting cash must be a positive amount in dollars, e.g. 10000 or 2500.50")
    .refine((v) => Number(v) >= 1, "Starting cash must be at least $1")
    .refine((v) => Number(v) <= MAX_STARTING_CASH, "Starting cash must be at most $1,000,000,000"),
  /** Fees, slippage and shorting every session of this model starts with (a session may override each). */
  trading: tradingDefaultsSchema,
  /** Write-only: a new API key for this model (stored encrypted); empty or absent keeps the stored one. */
  apiKey: text("API key")
    .trim()
    .max(500, "API key must be at most 500 characters")
    .regex(/^[\x21-\x7e]*$/, "An API key has no spaces or special characters")
    .optional(),
  /** Forget the stored key ("on" from a form checkbox). */
  removeApiKey: z.preprocess((v) => v === true || v === "on" || v === "true", z.boolean()).optional(),
};

/** A whole model: what is left out is empty (description, prompt) or none (trading defaults). */
export const modelInputSchema = z.object({
  ...fields,
  description: fields.description.default(""),
  instructions: fields.instructions.default(""),
  trading: fields.trading.default({}),
});

/** The fields that are columns of `models` (the API key is stored apart, encrypted). */
export function modelColumnsOf(values: ValidModelInput): Omit<ValidModelInput, "apiKey" | "removeApiKey"> {
  const columns = { ...values };
  delete columns.apiKey;
  delete columns.removeApiKey;
  return columns;
}

/**
 * PATCH: any subset of the fields (plus isActive); unknown fields are refused. No defaults here: a field
 * left out keeps its stored value (a default would blank the prompt of a model whose name is changed).
 * `trading` is a JSON merge patch (RFC 7396) of the stored defaults: what it names changes, `null` removes,
 * the rest stays; `"trading": null` removes them all. The merged result is checked as a whole model is.
 */
export const modelPatchSchema = z
  .object(fields)
  .partial()
  .extend({
    trading: z.record(z.string(), z.unknown(), { error: 'trading must be an object such as {"slippageBps": 5}, or null' }).nullable().optional(),
    isActive: z.boolean({ error: "isActive must be true or false" }).optional(),
  })
  .strict();

/** RFC 7396 JSON merge patch: `patch`'s members replace `target`'s, objects merge member by member, `null` removes. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== "object" || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = target !== null && typeof target === "object" && !Array.isArray(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    // An own property even for "__proto__" (which plain assignment would take as the prototype): the schema then refuses it.
    else Object.defineProperty(out, key, { value: mergePatch(out[key], value), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

export type ModelInput = z.input<typeof modelInputSchema>;
export type ValidModelInput = z.output<typeof modelInputSchema>;
/** Field → first message; nested fields by their path ("trading.fees.perShare"). */
export type ModelFieldErrors = Record<string, string>;

export function fieldErrorsOf(error: z.ZodError): ModelFieldErrors {
  const out: ModelFieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.join(".") : "form";
    out[key] ??= issue.code === "unrecognized_keys" ? `unknown field(s): ${issue.keys.join(", ")}` : issue.message;
  }
  return out;
}
