import type { Metadata } from "next";
import { ModelForm } from "@/components/model-form";
import { EMPTY_TRADING } from "@/components/trading-fields";
import { createModelAction } from "../actions";

export const metadata: Metadata = { title: "New model" };

export default function NewModelPage() {
  return (
    <div className="grid gap-6">
      <h1 className="text-2xl font-semibold">New model</h1>
      <ModelForm
        action={createModelAction}
        initial={{ name: "", signature: "", description: "", llm: "builtin:momentum", instructions: "", startingCash: "10000", ...EMPTY_TRADING }}
      />
    </div>
  );
}
