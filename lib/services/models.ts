import "server-only";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { getModelById, insertModel, listModelsByUser, updateModelById, type ModelRow } from "@/lib/db/queries/models";
import { withUser } from "@/lib/db/rls";
import { AppError, isUniqueViolation, notFound } from "@/lib/errors";
import { fieldErrorsOf, modelInputSchema } from "@/lib/schemas/model";
import type { UserContext } from "./context";

/** Use cases for trading models. Each runs in one transaction as the user (RLS applies). */

const idSchema = z.uuid();

function parseInput(input: unknown) {
  const parsed = modelInputSchema.safeParse(input);
  if (!parsed.success) throw new AppError("reject", "VALIDATION_FAILED", "Some fields need attention", fieldErrorsOf(parsed.error));
  return parsed.data;
}

function duplicateSignature(err: unknown, signature: string): never {
  if (isUniqueViolation(err, "models_user_signature_unique")) {
    throw new AppError("reject", "DUPLICATE_SIGNATURE", "Signature already used", {
      signature: `You already have a model with signature "${signature}"`,
    });
  }
  throw err;
}

export function listModels(ctx: UserContext, db?: Db): Promise<ModelRow[]> {
  return withUser(ctx.claims, (tx) => listModelsByUser(tx, { userId: ctx.userId }), db);
}

export async function getModel(ctx: UserContext, id: string, db?: Db): Promise<ModelRow> {
  if (!idSchema.safeParse(id).success) throw notFound("Model");
  const row = await withUser(ctx.claims, (tx) => getModelById(tx, { id, userId: ctx.userId }), db);
  if (!row) throw notFound("Model");
  return row;
}

export async function createModel(ctx: UserContext, input: unknown, db?: Db): Promise<ModelRow> {
  const values = parseInput(input);
  return withUser(ctx.claims, (tx) => insertModel(tx, { userId: ctx.userId, values }), db).catch((err) =>
    duplicateSignature(err, values.signature),
  );
}

export async function updateModel(ctx: UserContext, id: string, input: unknown, db?: Db): Promise<ModelRow> {
  if (!idSchema.safeParse(id).success) throw notFound("Model");
  const values = parseInput(input);
  const row = await withUser(ctx.claims, (tx) => updateModelById(tx, { id, userId: ctx.userId, values }), db).catch((err) =>
    duplicateSignature(err, values.signature),
  );
  if (!row) throw notFound("Model");
  return row;
}

/** Applies a partial change, validated as a whole model, in one transaction. */
export async function patchModel(ctx: UserContext, id: string, patch: Record<string, unknown>, db?: Db): Promise<ModelRow> {
  if (!idSchema.safeParse(id).success) throw notFound("Model");
  return withUser(
    ctx.claims,
    async (tx) => {
      const current = await getModelById(tx, { id, userId: ctx.userId });
      if (!current) throw notFound("Model");
      const { isActive, ...fields } = patch;
      const values = parseInput({ ...current, startingCash: String(Number(current.startingCash)), ...fields });
      const row = await updateModelById(tx, { id, userId: ctx.userId, values: { ...values, ...(typeof isActive === "boolean" ? { isActive } : {}) } });
      return row!;
    },
    db,
  ).catch((err) => duplicateSignature(err, String(patch.signature ?? "")));
}

export async function setModelActive(ctx: UserContext, id: string, isActive: boolean, db?: Db): Promise<ModelRow> {
  if (!idSchema.safeParse(id).success) throw notFound("Model");
  const row = await withUser(ctx.claims, (tx) => updateModelById(tx, { id, userId: ctx.userId, values: { isActive } }), db);
  if (!row) throw notFound("Model");
  return row;
}
