"use server";
import { revalidatePath } from "next/cache";
import { asUserAction } from "@/lib/auth/action";
import { cloneModel } from "@/lib/services/models";

/** Clones one of your models (lib/services/models.ts, cloneModel). */
export async function cloneModelAction(id: string) {
  return asUserAction("dashboard", async (ctx) => {
    const copy = await cloneModel(ctx, id);
    revalidatePath("/dashboard");
    return { id: copy.id, name: copy.name };
  });
}
