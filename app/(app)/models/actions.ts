"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { llmOfForm } from "@/components/llm-choice";
import { SHORT_TEXT_FIELDS, toTradingInput, TRADING_TEXT_FIELDS, type TradingTexts } from "@/components/trading-fields";
import { asUserAction } from "@/lib/auth/action";
import { requireUser } from "@/lib/auth/current-user";
import { AppError } from "@/lib/errors";
import { createModelToken, listModelTokens, revokeModelToken } from "@/lib/services/model-tokens";
import { createModel, setModelActive, updateModel } from "@/lib/services/models";

export interface ModelFormState {
  message?: string;
  fieldErrors?: Record<string, string>;
  values?: Record<string, string>;
}

const MODEL_FIELDS = ["name", "signature", "description", "llm", "instructions", "startingCash"] as const;
type TradingText = Exclude<keyof TradingTexts, "allowShort">;
const TRADING_FIELDS: TradingText[] = [...TRADING_TEXT_FIELDS, ...SHORT_TEXT_FIELDS].map((f) => f.key);
type FormValues = Record<(typeof MODEL_FIELDS)[number] | TradingText | "allowShort", string>;

/** What was typed, echoed back with the errors (the checkbox as "on" or ""). */
const formValues = (form: FormData): FormValues => ({
  ...(Object.fromEntries([...MODEL_FIELDS, ...TRADING_FIELDS].map((k) => [k, String(form.get(k) ?? "")])) as Omit<FormValues, "allowShort">),
  llm: llmOfForm(form), // the listed id chosen, or the one typed under "Other…"
  allowShort: form.get("allowShort") === "on" ? "on" : "",
});

/** The typed values as the model's input: the trading fields become its `trading` defaults. */
function modelInputOf(v: FormValues) {
  const pick = <K extends keyof FormValues>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, v[k]])) as Record<K, string>;
  return { ...pick(MODEL_FIELDS), trading: toTradingInput({ ...pick(TRADING_FIELDS), allowShort: v.allowShort === "on" }) };
}

/** The write-only key fields: read from the form, never echoed back to the browser. */
const keyFields = (form: FormData) => ({ apiKey: String(form.get("apiKey") ?? ""), removeApiKey: form.get("removeApiKey") === "on" });

async function save(op: (ctx: Awaited<ReturnType<typeof context>>, values: Record<string, unknown>) => Promise<unknown>, form: FormData): Promise<ModelFormState> {
  const ctx = await context();
  const values = formValues(form);
  try {
    await op(ctx, { ...modelInputOf(values), ...keyFields(form) });
  } catch (err) {
    if (err instanceof AppError && err.kind !== "halt") return { message: err.message, fieldErrors: err.fieldErrors, values };
    throw err;
  }
  revalidatePath("/dashboard");
  redirect("/dashboard?saved=1");
}

async function context() {
  const user = await requireUser();
  return { userId: user.id, claims: user.claims };
}

export async function createModelAction(_prev: ModelFormState, form: FormData): Promise<ModelFormState> {
  return save((ctx, values) => createModel(ctx, values), form);
}

export async function updateModelAction(id: string, _prev: ModelFormState, form: FormData): Promise<ModelFormState> {
  return save((ctx, values) => updateModel(ctx, id, values), form);
}

/** Archive or restore. Another user's id gets the same answer as a missing one. */
export async function setModelActiveAction(id: string, isActive: boolean) {
  return asUserAction("models", async (ctx) => {
    await setModelActive(ctx, id, isActive);
    revalidatePath("/dashboard");
    return {};
  });
}

/**
 * Creates an API token for the model (docs/model-tokens.md): the answer holds the token itself, which the page
 * shows once, and the model's tokens as they now are. Identity from the session, never from the arguments.
 */
export async function createModelTokenAction(modelId: string, input: unknown) {
  return asUserAction("model-tokens", async (ctx) => {
    const created = await createModelToken(ctx, modelId, input);
    return { created, tokens: await listModelTokens(ctx, modelId) };
  });
}

/** Revokes one of the model's tokens (idempotent); answers the model's tokens as they now are. */
export async function revokeModelTokenAction(modelId: string, tokenId: string) {
  return asUserAction("model-tokens", async (ctx) => {
    const revoked = await revokeModelToken(ctx, modelId, tokenId);
    return { revoked, tokens: await listModelTokens(ctx, modelId) };
  });
}
