import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ModelForm } from "@/components/model-form";
import { tradingTextsOf } from "@/components/trading-fields";
import { listLlmChoices } from "@/lib/agent/model-choices";
import { requireUser } from "@/lib/auth/current-user";
import { AppError } from "@/lib/errors";
import { getModel } from "@/lib/services/models";
import { updateModelAction } from "../../actions";

export const metadata: Metadata = { title: "Edit model" };

export default async function EditModelPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser();
  const [model, choices] = await Promise.all([
    getModel({ userId: user.id, claims: user.claims }, id).catch((err: unknown) => {
      if (err instanceof AppError && err.kind === "not_found") notFound();
      throw err;
    }),
    listLlmChoices(),
  ]);
  return (
    <div className="grid gap-6">
      <h1 className="text-2xl font-semibold">Edit {model.name}</h1>
      <ModelForm
        action={updateModelAction.bind(null, model.id)}
        choices={choices}
        initial={{
          name: model.name,
          signature: model.signature,
          description: model.description,
          llm: model.llm,
          instructions: model.instructions,
          startingCash: String(Number(model.startingCash)),
          ...tradingTextsOf(model.trading),
        }}
        storedKeyHint={model.apiKeyCiphertext ? (model.apiKeyHint ?? "stored") : null}
      />
    </div>
  );
}
