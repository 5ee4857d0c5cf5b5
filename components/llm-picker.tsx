"use client";
import { useState } from "react";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { LlmChoices, UnconfiguredProvider } from "@/lib/agent/model-choices";
import { OTHER_LLM, pickedOf } from "./llm-choice";

const OTHER_DETAIL = "Any provider:model id, for a model the list does not have yet: e.g. openai:gpt-4.1-mini, openrouter:anthropic/claude-sonnet-4 or compatible:llama3.1.";

/** "Not configured on this server: OpenAI (OPENAI_API_KEY) and …", and how to use them anyway. */
function unconfiguredNote(missing: readonly UnconfiguredProvider[]): string | null {
  if (missing.length === 0) return null;
  const names = missing.map((p) => `${p.provider === "compatible" ? "an " : ""}${p.label} (set ${p.setting})`);
  const list = names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names.at(-1)}` : names[0];
  const ownKey = missing.filter((p) => p.ownKeyEnough).map((p) => p.label);
  return (
    `Not configured on this server, so not listed: ${list}.` +
    (ownKey.length > 0 ? ` With an API key stored on this model, ${ownKey.join(" or ")} models still work: choose Other… and enter the id.` : "")
  );
}

/**
 * The "Model" field: a native list (keyboard and screen readers work as the browser makes them) of the
 * built-in strategies and the configured providers' models, and "Other…" for any provider:model id, typed
 * in a field that shows while it is chosen (CSS in app/globals.css, so also before hydration and without
 * JavaScript). Posts `llm` (a listed id, or OTHER_LLM) and `llmOther`; the server action joins them
 * (llmOfForm) and the shared schema checks the result. The server's error stands by the control that
 * held the id.
 */
export function LlmPicker({ choices, value, error }: { choices: LlmChoices; value: string; error?: string }) {
  const listed = choices.groups.flatMap((g) => g.choices);
  const initial = pickedOf(value, listed.map((c) => c.id));
  const [picked, setPicked] = useState(initial.picked);
  const detail = picked === OTHER_LLM ? OTHER_DETAIL : listed.find((c) => c.id === picked)?.detail;
  const errorOnOther = initial.picked === OTHER_LLM;
  const listError = errorOnOther ? undefined : error;
  const note = [unconfiguredNote(choices.unconfigured), ...choices.notes].filter(Boolean).join(" ");
  const describedBy = [listError ? "llm-error" : "llm-hint", note && "llm-note"].filter(Boolean).join(" ");
  return (
    <div className="grid gap-4" data-llm-picker>
      <div className="grid gap-1.5">
        <label htmlFor="llm" className="text-sm font-medium">
          Model
        </label>
        <Select id="llm" name="llm" defaultValue={initial.picked} onChange={(e) => setPicked(e.target.value)} aria-invalid={Boolean(listError)} aria-describedby={describedBy}>
          {choices.groups.map((g) => (
            <optgroup key={g.provider} label={g.label}>
              {g.choices.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.label}
                </option>
              ))}
            </optgroup>
          ))}
          <optgroup label="Any other model">
            <option value={OTHER_LLM} data-other="">
              Other… (type a provider:model id)
            </option>
          </optgroup>
        </Select>
        {listError ? (
          <p id="llm-error" role="alert" className="text-sm text-destructive">
            {listError}
          </p>
        ) : (
          <p id="llm-hint" className="text-xs text-muted-foreground" data-testid="llm-detail">
            {detail}
          </p>
        )}
        {note && (
          <p id="llm-note" className="text-xs text-muted-foreground">
            {note}
          </p>
        )}
      </div>
      <div data-llm-other>
        <Field id="llmOther" label="Other model id" error={errorOnOther ? error : undefined} hint="provider:model, with provider openai, openrouter or compatible">
          {(aria) => <Input {...aria} name="llmOther" defaultValue={initial.other} autoComplete="off" spellCheck={false} placeholder="openai:gpt-4.1-mini" />}
        </Field>
      </div>
    </div>
  );
}
