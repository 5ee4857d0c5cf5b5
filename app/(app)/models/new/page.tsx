import type { Metadata } from "next";
import { ModelForm } from "@/components/model-form";
import { EMPTY_TRADING } from "@/components/trading-fields";
import { listLlmChoices } from "@/lib/agent/model-choices";
import { createModelAction } from "../actions";

export const metadata: Metadata = { title: "New model" };

export default async function NewModelPage() {
  const choices = await listLlmChoices();
  return (
    <div className="grid gap-6">
      <h1 className="text-2xl font-semibold">New model</h1>
      <ModelForm
        action={createModelAction}
        choices={choices}
        initial={{ name: "", signature: "", description: "", llm: "builtin:momentum", instructions: "", startingCash: "10000", ...EMPTY_TRADING }}
      />
    </div>
  );
}
