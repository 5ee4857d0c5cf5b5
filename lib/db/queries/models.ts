import "server-only";
import { and, desc, eq } from "drizzle-orm";
import type { Executor } from "@/lib/db/client";
import { models } from "@/lib/db/schema";

/** Every query names the owner in its WHERE as well; row-level security is the second wall. */
export type ModelRow = typeof models.$inferSelect;
type ModelValues = Omit<typeof models.$inferInsert, "id" | "userId" | "createdAt" | "updatedAt">;

export function listModelsByUser(tx: Executor, { userId }: { userId: string }) {
  return tx.select().from(models).where(eq(models.userId, userId)).orderBy(desc(models.isActive), desc(models.createdAt));
}

export async function getModelById(tx: Executor, { id, userId }: { id: string; userId: string }) {
  const [row] = await tx.select().from(models).where(and(eq(models.id, id), eq(models.userId, userId)));
  return row;
}

/**
 * A session's model as the session runs it: the row (name, stored API key) with the llm and strategy
 * prompt the session started with, not the model's later edits. Undefined when the model is gone.
 */
export async function getModelOfSession(tx: Executor, session: { modelId: string; llm: string; instructions: string }, userId: string) {
  const row = await getModelById(tx, { id: session.modelId, userId });
  return row && { ...row, llm: session.llm, instructions: session.instructions };
}

export async function insertModel(tx: Executor, { userId, values }: { userId: string; values: ModelValues }) {
  const [row] = await tx.insert(models).values({ ...values, userId }).returning();
  return row!;
}

export async function updateModelById(
  tx: Executor,
  { id, userId, values }: { id: string; userId: string; values: Partial<ModelValues> },
) {
  const [row] = await tx
    .update(models)
    .set(values)
    .where(and(eq(models.id, id), eq(models.userId, userId)))
    .returning();
  return row;
}
