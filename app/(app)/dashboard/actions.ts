"use server";
import { revalidatePath } from "next/cache";
import { requireUser } from "@/lib/auth/current-user";
import { AppError } from "@/lib/errors";
import { createModel, getModel } from "@/lib/services/models";

const MAX_NAME = 80;
const MAX_SIGNATURE = 40;

/** "momentum-v1" → "momentum-v1-copy", "momentum-v1-copy-2", …, within the signature's 40 characters. */
function copySignature(signature: string, attempt: number): string {
  const suffix = attempt === 1 ? "-copy" : `-copy-${attempt}`;
  return `${signature.slice(0, MAX_SIGNATURE - suffix.length).replace(/-+$/, "")}${suffix}`;
}

/**
 * Clones one of your models (name, llm, prompt, starting cash; not its API key, which is bound to the
 * original's id). The copy gets a fresh signature; its sessions start from nothing.
 */
export async function cloneModelAction(id: string): Promise<{ ok: true; id: string; name: string } | { ok: false; message: string }> {
  const user = await requireUser();
  const ctx = { userId: user.id, claims: user.claims };
  try {
    const source = await getModel(ctx, id);
    const name = `${source.name.slice(0, MAX_NAME - 7)} (copy)`;
    for (let attempt = 1; attempt <= 20; attempt++) {
      try {
        const copy = await createModel(ctx, {
          name,
          signature: copySignature(source.signature, attempt),
          description: source.description,
          llm: source.llm,
          instructions: source.instructions,
          startingCash: String(Number(source.startingCash)),
        });
        revalidatePath("/dashboard");
        return { ok: true, id: copy.id, name: copy.name };
      } catch (err) {
        if (err instanceof AppError && err.code === "DUPLICATE_SIGNATURE") continue;
        throw err;
      }
    }
    return { ok: false, message: "Could not find a free signature for the copy; rename some copies first" };
  } catch (err) {
    if (err instanceof AppError && err.kind !== "halt") return { ok: false, message: err.message };
    console.error("[dashboard] clone failed", err instanceof Error ? err.message : err);
    return { ok: false, message: "Something went wrong on our side; it has been logged. Try again." };
  }
}
