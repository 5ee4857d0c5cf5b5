"use client";
import Link from "next/link";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Textarea } from "@/components/ui/input";
import { LlmPicker } from "@/components/llm-picker";
import { ALLOW_SHORT_LABEL, SHORT_TEXT_FIELDS, TRADING_FIELD_OF, TRADING_TEXT_FIELDS, type TradingTexts } from "@/components/trading-fields";
import type { LlmChoices } from "@/lib/agent/model-choices";
import type { ModelFormState } from "@/app/(app)/models/actions";

export interface ModelFormValues extends TradingTexts {
  name: string;
  signature: string;
  description: string;
  llm: string;
  instructions: string;
  startingCash: string;
}

/** An error of `trading.fees.perShare` belongs to the field perShare. */
function tradingErrors(err: Record<string, string>): Partial<Record<keyof TradingTexts, string>> {
  const out: Partial<Record<keyof TradingTexts, string>> = {};
  for (const [path, field] of Object.entries(TRADING_FIELD_OF)) out[field] ??= err[`trading.${path}`];
  return out;
}

/**
 * Create and edit a model. The server action validates with the shared schema; errors show by each field.
 * The API key is write-only: the browser only ever gets `storedKeyHint` ("sk-…•••• abcd"), never the key.
 */
export function ModelForm({
  action,
  initial,
  choices,
  storedKeyHint = null,
}: {
  action: (prev: ModelFormState, form: FormData) => Promise<ModelFormState>;
  initial: ModelFormValues;
  /** What the Model list offers (listLlmChoices): built-ins and the configured providers' models. */
  choices: LlmChoices;
  /** Redacted hint of the stored key, or null when the model has none. */
  storedKeyHint?: string | null;
}) {
  const [state, formAction, pending] = useActionState(action, {});
  const echoed = state.values;
  const values = { ...initial, ...echoed, allowShort: echoed ? echoed.allowShort === "on" : initial.allowShort };
  const err = state.fieldErrors ?? {};
  const tradingErr = tradingErrors(err);
  return (
    <form action={formAction} noValidate className="grid max-w-2xl gap-5" aria-label="Model settings">
      <Field id="name" label="Name" error={err.name}>
        {(aria) => <Input {...aria} name="name" defaultValue={values.name} maxLength={200} />}
      </Field>
      <Field id="signature" label="Signature" error={err.signature} hint="A short unique id, e.g. momentum-v1">
        {(aria) => <Input {...aria} name="signature" defaultValue={values.signature} />}
      </Field>
      <LlmPicker key={values.llm} choices={choices} value={values.llm} error={err.llm} />
      <Field
        id="apiKey"
        label="API key"
        error={err.apiKey}
        hint={
          storedKeyHint
            ? `Key stored (${storedKeyHint}). Leave empty to keep it, or enter a new one to replace it.`
            : "Optional: this model's own key for its provider, stored encrypted. Empty uses the server's key."
        }
      >
        {(aria) => <Input {...aria} name="apiKey" type="password" autoComplete="new-password" spellCheck={false} defaultValue="" />}
      </Field>
      {storedKeyHint && (
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="removeApiKey" className="size-4" />
          Remove stored key
        </label>
      )}
      <Field id="startingCash" label="Starting cash (USD)" error={err.startingCash}>
        {(aria) => <Input {...aria} name="startingCash" inputMode="decimal" defaultValue={values.startingCash} />}
      </Field>
      <Field id="description" label="Description" error={err.description}>
        {(aria) => <Input {...aria} name="description" defaultValue={values.description} />}
      </Field>
      <Field id="instructions" label="Strategy prompt" error={err.instructions} hint="Instructions the model follows on every decision">
        {(aria) => <Textarea {...aria} name="instructions" rows={6} defaultValue={values.instructions} />}
      </Field>
      <fieldset className="grid gap-4 rounded-md border px-4 pb-4 pt-2">
        <legend className="px-1 text-sm font-medium">Trading defaults</legend>
        <p className="text-xs text-muted-foreground">Every session of this model starts with these; a session can override each one. Empty is free, no slippage, long only.</p>
        <div className="grid items-start gap-4 sm:grid-cols-2">
          {TRADING_TEXT_FIELDS.map((f) => (
            <Field key={f.key} id={f.key} label={f.label} error={tradingErr[f.key]} hint={f.hint}>
              {(aria) => <Input {...aria} name={f.key} inputMode={f.inputMode} defaultValue={values[f.key]} placeholder={f.placeholder ?? "0"} autoComplete="off" />}
            </Field>
          ))}
          {SHORT_TEXT_FIELDS.map((f) => (
            <Field key={f.key} id={f.key} label={f.label} error={tradingErr[f.key]} hint={`${f.hint}; only with short selling`}>
              {(aria) => <Input {...aria} name={f.key} inputMode="numeric" defaultValue={values[f.key]} placeholder={f.placeholder} autoComplete="off" />}
            </Field>
          ))}
        </div>
        <label className="flex items-center gap-2 text-sm font-medium">
          <input type="checkbox" name="allowShort" className="size-4 accent-[var(--primary)]" defaultChecked={values.allowShort} />
          {ALLOW_SHORT_LABEL}
        </label>
        {tradingErr.allowShort && (
          <p role="alert" className="text-sm text-destructive">
            {tradingErr.allowShort}
          </p>
        )}
      </fieldset>
      {state.message && !Object.keys(err).length && (
        <p role="alert" className="text-sm text-destructive">
          {state.message}
        </p>
      )}
      <div className="flex gap-3">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save"}
        </Button>
        <Button asChild variant="ghost">
          <Link href="/dashboard">Cancel</Link>
        </Button>
      </div>
    </form>
  );
}
