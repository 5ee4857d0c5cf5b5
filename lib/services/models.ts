import "server-only";
import { encryptSecret, loadEncryptionKey, redactSecret, SecretError } from "@/lib/agent/secrets";
import type { Db, Tx } from "@/lib/db/client";
import { getModelById, insertModel, listModelsByUser, updateModelById, type ModelRow } from "@/lib/db/queries/models";
import { withUser } from "@/lib/db/rls";
import { AppError, isUniqueViolation, notFound } from "@/lib/errors";
import { assertId } from "./ids";
import { fieldErrorsOf, mergePatch, MODEL_NAME_MAX, MODEL_SIGNATURE_MAX, modelColumnsOf, modelInputSchema, type ValidModelInput } from "@/lib/schemas/model";
import type { UserContext } from "./context";

/** Use cases for trading models. Each runs in one transaction as the user (RLS applies). */

function parseInput(input: unknown) {
  const parsed = modelInputSchema.safeParse(input);
  if (!parsed.success) throw new AppError("reject", "VALIDATION_FAILED", "Some fields need attention", fieldErrorsOf(parsed.error));
  return parsed.data;
}

/** What to do with the stored API key: keep it (null), store a new one, or remove it. */
type KeyChange = null | { apiKey: string; encryptionKey: Buffer } | { remove: true };

/** Checked before anything is written: a key to store needs BULLPEN_ENCRYPTION_KEY. */
function keyChangeOf(values: ValidModelInput, encryptionKey?: Buffer): KeyChange {
  const apiKey = values.apiKey?.trim() ?? "";
  if (apiKey && values.removeApiKey) {
    throw new AppError("reject", "VALIDATION_FAILED", "Some fields need attention", { apiKey: "Enter a new key or remove the stored one, not both" });
  }
  if (values.removeApiKey) return { remove: true };
  if (!apiKey) return null;
  try {
    return { apiKey, encryptionKey: loadEncryptionKey(encryptionKey) };
  } catch (err) {
    if (err instanceof SecretError) throw new SecretError(err.code, err.message, { apiKey: err.message }); // the same error, on the form's field
    throw err;
  }
}

/**
 * Stores the change on row `id`: AES-256-GCM bound to the model id (a blob copied to another row does
 * not decrypt), plus a redacted hint for the UI. The key itself is never stored, logged or returned.
 */
async function applyKeyChange(tx: Tx, id: string, userId: string, change: KeyChange): Promise<ModelRow | undefined> {
  if (change === null) return undefined;
  const values =
    "remove" in change
      ? { apiKeyCiphertext: null, apiKeyHint: null }
      : { apiKeyCiphertext: encryptSecret(change.apiKey, change.encryptionKey, id), apiKeyHint: redactSecret(change.apiKey) };
  return updateModelById(tx, { id, userId, values });
}

export interface ModelWriteOptions {
  /** Encrypts a new API key (default: BULLPEN_ENCRYPTION_KEY). */
  encryptionKey?: Buffer;
}

function duplicateSignature(err: unknown, signature: string): never {
  if (isUniqueViolation(err, "models_user_signature_unique")) {
    throw new AppError("reject", "DUPLICATE_SIGNATURE", "Signature already used", {
      signature: `You already have a model with signature "${signature}"`,
    });
  }
  throw err;
}

/** A stored model as the input of a whole model (the API key apart): what clone and PATCH start from. */
function inputOf(row: ModelRow) {
  const { name, signature, description, llm, instructions, trading } = row;
  return { name, signature, description, llm, instructions, trading, startingCash: String(Number(row.startingCash)) };
}

export function listModels(ctx: UserContext, db?: Db): Promise<ModelRow[]> {
  return withUser(ctx.claims, (tx) => listModelsByUser(tx, { userId: ctx.userId }), db);
}

export async function getModel(ctx: UserContext, id: string, db?: Db): Promise<ModelRow> {
  assertId(id, "Model");
  const row = await withUser(ctx.claims, (tx) => getModelById(tx, { id, userId: ctx.userId }), db);
  if (!row) throw notFound("Model");
  return row;
}

export async function createModel(ctx: UserContext, input: unknown, db?: Db, options: ModelWriteOptions = {}): Promise<ModelRow> {
  const values = parseInput(input);
  const key = keyChangeOf(values, options.encryptionKey);
  return withUser(
    ctx.claims,
    async (tx) => {
      const row = await insertModel(tx, { userId: ctx.userId, values: modelColumnsOf(values) });
      return (await applyKeyChange(tx, row.id, ctx.userId, key)) ?? row;
    },
    db,
  ).catch((err) => duplicateSignature(err, values.signature));
}

const CLONE_ATTEMPTS = 20;

/** "momentum-v1" → "momentum-v1-copy", "momentum-v1-copy-2", …, within the signature's 40 characters. */
function copySignature(signature: string, attempt: number): string {
  const suffix = attempt === 1 ? "-copy" : `-copy-${attempt}`;
  return `${signature.slice(0, MODEL_SIGNATURE_MAX - suffix.length).replace(/-+$/, "")}${suffix}`;
}

/**
 * Copies one of your models (name, llm, instructions, starting cash, trading defaults; not its API key, which is encrypted
 * to the original's id) under the first free signature of "<signature>-copy", "-copy-2", … The copy has
 * no sessions. Another user's id answers exactly like a missing one.
 */
export async function cloneModel(ctx: UserContext, id: string, db?: Db): Promise<ModelRow> {
  const source = await getModel(ctx, id, db);
  const name = `${source.name.slice(0, MODEL_NAME_MAX - " (copy)".length)} (copy)`;
  for (let attempt = 1; attempt <= CLONE_ATTEMPTS; attempt++) {
    const signature = copySignature(source.signature, attempt);
    try {
      return await createModel(ctx, { ...inputOf(source), name, signature }, db);
    } catch (err) {
      if (!(err instanceof AppError && err.code === "DUPLICATE_SIGNATURE")) throw err;
    }
  }
  throw new AppError("conflict", "NO_FREE_SIGNATURE", `"${source.signature}" has ${CLONE_ATTEMPTS} copies already; rename some of them first`);
}

export async function updateModel(ctx: UserContext, id: string, input: unknown, db?: Db, options: ModelWriteOptions = {}): Promise<ModelRow> {
  assertId(id, "Model");
  const values = parseInput(input);
  const key = keyChangeOf(values, options.encryptionKey);
  const row = await withUser(
    ctx.claims,
    async (tx) => {
      const updated = await updateModelById(tx, { id, userId: ctx.userId, values: modelColumnsOf(values) });
      return updated && ((await applyKeyChange(tx, id, ctx.userId, key)) ?? updated);
    },
    db,
  ).catch((err) => duplicateSignature(err, values.signature));
  if (!row) throw notFound("Model");
  return row;
}

/** Applies a partial change (`trading` merged into the stored defaults), validated as a whole model, in one transaction. */
export async function patchModel(ctx: UserContext, id: string, patch: Record<string, unknown>, db?: Db, options: ModelWriteOptions = {}): Promise<ModelRow> {
  assertId(id, "Model");
  return withUser(
    ctx.claims,
    async (tx) => {
      const current = await getModelById(tx, { id, userId: ctx.userId });
      if (!current) throw notFound("Model");
      const { isActive, trading, ...given } = patch;
      const fields = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
      const stored = inputOf(current);
      const values = parseInput({ ...stored, ...fields, trading: trading === undefined ? stored.trading : (mergePatch(stored.trading, trading) ?? {}) });
      const key = keyChangeOf(values, options.encryptionKey);
      const row = await updateModelById(tx, {
        id,
        userId: ctx.userId,
        values: { ...modelColumnsOf(values), ...(typeof isActive === "boolean" ? { isActive } : {}) },
      });
      return (await applyKeyChange(tx, id, ctx.userId, key)) ?? row!;
    },
    db,
  ).catch((err) => duplicateSignature(err, String(patch.signature ?? "")));
}

export async function setModelActive(ctx: UserContext, id: string, isActive: boolean, db?: Db): Promise<ModelRow> {
  if (typeof isActive !== "boolean") throw new AppError("reject", "VALIDATION_FAILED", "isActive must be true or false");
  assertId(id, "Model");
  const row = await withUser(ctx.claims, (tx) => updateModelById(tx, { id, userId: ctx.userId, values: { isActive } }), db);
  if (!row) throw notFound("Model");
  return row;
}
