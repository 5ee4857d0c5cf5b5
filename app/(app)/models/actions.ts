"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { asUserAction } from "@/lib/auth/action";
import { requireUser } from "@/lib/auth/current-user";
import { AppError } from "@/lib/errors";
import { createModel, setModelActive, updateModel } from "@/lib/services/models";

export interface ModelFormState {
  message?: string;
  fieldErrors?: Record<string, string>;
  values?: Record<string, string>;
}

const formValues = (form: FormData) =>
  Object.fromEntries(["name", "signature", "description", "llm", "instructions", "startingCash"].map((k) => [k, String(form.get(k) ?? "")]));

/** The write-only key fields: read from the form, never echoed back to the browser. */
const keyFields = (form: FormData) => ({ apiKey: String(form.get("apiKey") ?? ""), removeApiKey: form.get("removeApiKey") === "on" });

async function save(op: (ctx: Awaited<ReturnType<typeof context>>, values: Record<string, unknown>) => Promise<unknown>, form: FormData): Promise<ModelFormState> {
  const ctx = await context();
  const values = formValues(form);
  try {
    await op(ctx, { ...values, ...keyFields(form) });
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
