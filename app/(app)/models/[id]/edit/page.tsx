import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ModelForm } from "@/components/model-form";
import { ModelTokens, type TokenSessionOption } from "@/components/model-tokens";
import { tradingTextsOf } from "@/components/trading-fields";
import { listLlmChoices } from "@/lib/agent/model-choices";
import { requireUser } from "@/lib/auth/current-user";
import { AppError } from "@/lib/errors";
import { listModelTokens } from "@/lib/services/model-tokens";
import { getModel } from "@/lib/services/models";
import { listSessions } from "@/lib/services/sessions/read";
import { updateModelAction } from "../../actions";

export const metadata: Metadata = { title: "Edit model" };

export default async function EditModelPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser();
  const ctx = { userId: user.id, claims: user.claims };
  const [model, choices] = await Promise.all([
    getModel(ctx, id).catch((err: unknown) => {
      if (err instanceof AppError && err.kind === "not_found") notFound();
      throw err;
    }),
    listLlmChoices(),
  ]);
  const [tokens, sessions] = await Promise.all([listModelTokens(ctx, model.id), listSessions(ctx, { modelId: model.id, limit: 200 })]);
  const sessionOptions: TokenSessionOption[] = sessions.map((s) => ({
    id: s.id,
    label: [s.label, `${s.kind} ${s.interval}${s.start ? ` ${s.start}${s.end && s.end !== s.start ? ` to ${s.end}` : ""}` : ""}`, s.status].filter(Boolean).join(" · "),
  }));
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
      <ModelTokens modelId={model.id} modelName={model.name} initial={tokens} sessions={sessionOptions} />
    </div>
  );
}
