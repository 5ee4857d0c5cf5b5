import { z } from "zod";
import { checkLlmId } from "@/lib/agent/catalog";

/** One schema for the model form, its server actions and the HTTP API. */
export const MAX_STARTING_CASH = 1_000_000_000;
export const MODEL_NAME_MAX = 80;
export const MODEL_SIGNATURE_MAX = 40;

export const modelInputSchema = z.object({
  name: z.string().trim().min(1, "Name is required").max(MODEL_NAME_MAX, `Name must be at most ${MODEL_NAME_MAX} characters`),
  signature: z
    .string()
    .trim()
    .min(2, "Signature must be at least 2 characters")
    .max(MODEL_SIGNATURE_MAX, `Signature must be at most ${MODEL_SIGNATURE_MAX} characters`)
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "Use lower-case letters, digits and single dashes, e.g. momentum-v1"),
  description: z.string().trim().max(500, "Description must be at most 500 characters").default(""),
  llm: z
    .string()
    .trim()
    .min(1, "Choose a model, e.g. builtin:momentum")
    .superRefine((id, ctx) => {
      const problem = checkLlmId(id);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
  instructions: z.string().trim().max(10_000, "Instructions must be at most 10,000 characters").default(""),
  startingCash: z
    .union([z.string(), z.number()])
    .transform((v) => String(v).trim().replaceAll(",", ""))
    .refine((v) => /^\d+(\.\d{1,2})?$/.test(v), "Starting cash must be a positive amount in dollars, e.g. 10000 or 2500.50")
    .refine((v) => Number(v) >= 1, "Starting cash must be at least $1")
    .refine((v) => Number(v) <= MAX_STARTING_CASH, "Starting cash must be at most $1,000,000,000"),
  /** Write-only: a new API key for this model (stored encrypted); empty or absent keeps the stored one. */
  apiKey: z
    .string()
    .trim()
    .max(500, "API key must be at most 500 characters")
    .regex(/^[\x21-\x7e]*$/, "An API key has no spaces or special characters")
    .optional(),
  /** Forget the stored key ("on" from a form checkbox). */
  removeApiKey: z.preprocess((v) => v === true || v === "on" || v === "true", z.boolean()).optional(),
});

/** The fields that are columns of `models` (the API key is stored apart, encrypted). */
export function modelColumnsOf(values: ValidModelInput): Omit<ValidModelInput, "apiKey" | "removeApiKey"> {
  const columns = { ...values };
  delete columns.apiKey;
  delete columns.removeApiKey;
  return columns;
}

/** PATCH: any subset of the fields (plus isActive); unknown fields are refused. */
export const modelPatchSchema = modelInputSchema.partial().extend({ isActive: z.boolean().optional() }).strict();

export type ModelInput = z.input<typeof modelInputSchema>;
export type ValidModelInput = z.output<typeof modelInputSchema>;
export type ModelFieldErrors = Partial<Record<keyof ValidModelInput, string>>;

export function fieldErrorsOf(error: z.ZodError): ModelFieldErrors {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "form");
    out[key] ??= issue.message;
  }
  return out as ModelFieldErrors;
}
