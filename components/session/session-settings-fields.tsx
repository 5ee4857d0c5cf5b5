"use client";
import { useState } from "react";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { ALLOW_SHORT_LABEL, defined, EMPTY_TRADING, numberOr, toTradingInput, TRADING_FIELD_OF, SHORT_TEXT_FIELDS, TRADING_TEXT_FIELDS, tradingTextsOf, type TradingTexts } from "@/components/trading-fields";
import type { TradingDefaults } from "@/lib/schemas/session";
import { describeTrading, formatPace } from "@/lib/viewer/format";

/**
 * The Start-session dialog's `settings` (the API's, docs/api.md): the pace, and behind "Trading settings"
 * fees, slippage, shorting and the limits of a decision. Empty trading fields take the model's defaults
 * (shown as placeholders); the other empty fields the API's defaults.
 */
export interface SettingsValues extends TradingTexts {
  paceMs: string;
  maxSteps: string;
  decisionTimeoutSeconds: string;
  /** The run's random seed (the random strategy, an LLM's sampling where the provider takes one). */
  seed: string;
}
export type SettingsErrors = Partial<Record<keyof SettingsValues, string>>;

export const DEFAULT_SETTINGS: SettingsValues = { ...EMPTY_TRADING, paceMs: "0", maxSteps: "", decisionTimeoutSeconds: "", seed: "" };

/** The pace choices (ms per bar at least), so a person can watch the run (the results do not change). */
const PACES = [0, 100, 250, 1000];

const LIMIT_FIELDS: { key: "maxSteps" | "decisionTimeoutSeconds" | "seed"; id: string; label: string; hint: string; placeholder: string }[] = [
  { key: "maxSteps", id: "start-max-steps", label: "Model steps per decision", hint: "6 to 50 (default 8)", placeholder: "8" },
  { key: "decisionTimeoutSeconds", id: "start-timeout", label: "Decision timeout (seconds)", hint: "1 to 600 (default 60)", placeholder: "60" },
  { key: "seed", id: "start-seed", label: "Seed", hint: "0 to 2147483647 (default 42): the same seed, the same run", placeholder: "42" },
];

/** The API's error keys → these fields. */
export const SETTINGS_FIELD_OF: Record<string, keyof SettingsValues> = {
  "settings.paceMs": "paceMs",
  "settings.maxSteps": "maxSteps",
  "settings.decisionTimeoutSeconds": "decisionTimeoutSeconds",
  "settings.seed": "seed",
  ...Object.fromEntries(Object.entries(TRADING_FIELD_OF).map(([path, field]) => [`settings.${path}`, field])),
};

/** The fields as the API's `settings` (shorting always stated, over the model's default); undefined when nothing is set. */
export function toSettingsInput(v: SettingsValues): Record<string, unknown> | undefined {
  const settings = defined({
    paceMs: Number(v.paceMs) > 0 ? Number(v.paceMs) : undefined,
    ...toTradingInput(v, { allowShortAlways: true }),
    maxSteps: numberOr(v.maxSteps),
    decisionTimeoutSeconds: numberOr(v.decisionTimeoutSeconds),
    seed: numberOr(v.seed),
  });
  return Object.keys(settings).length > 0 ? settings : undefined;
}

export function SessionSettingsFields({
  values,
  errors,
  modelTrading,
  onChange,
  defaultOpen = false,
}: {
  values: SettingsValues;
  errors: SettingsErrors;
  /** The chosen model's defaults: the placeholders of the empty trading fields. */
  modelTrading: TradingDefaults;
  onChange: (next: Partial<SettingsValues>) => void;
  /** "Trading settings" starts open (filled from a session: its rules are there to see). */
  defaultOpen?: boolean;
}) {
  const base = tradingTextsOf(modelTrading);
  const text = (k: Exclude<keyof SettingsValues, "allowShort">) => (e: { target: { value: string } }) => onChange({ [k]: e.target.value });
  const trading = Object.values(SETTINGS_FIELD_OF).some((k) => k !== "paceMs" && errors[k]);
  const [open, setOpen] = useState(defaultOpen);
  return (
    <>
      <Field id="start-pace" label="Pace" error={errors.paceMs} hint="Slows the run down to watch it; the results are the same">
        {(aria) => (
          <Select {...aria} value={values.paceMs} onChange={text("paceMs")}>
            {PACES.map((ms) => (
              <option key={ms} value={String(ms)}>
                {formatPace(ms)}
              </option>
            ))}
          </Select>
        )}
      </Field>
      {/* Open by itself when one of its fields has an error, so that the message is seen; then it stays open. */}
      <details className="rounded-md border px-3 py-2" open={open || trading} onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary className="cursor-pointer text-sm font-medium">Trading settings</summary>
        <p className="mt-1 text-xs text-muted-foreground" data-testid="model-trading">
          The model&apos;s defaults: {describeTrading(modelTrading)}. Empty fields keep them.
        </p>
        <div className="mt-3 grid items-start gap-4 sm:grid-cols-2">
          {TRADING_TEXT_FIELDS.map((f) => (
            <Field key={f.key} id={`start-${f.key}`} label={f.label} error={errors[f.key]} hint={f.hint}>
              {(aria) => <Input {...aria} inputMode={f.inputMode} value={values[f.key]} onChange={text(f.key)} placeholder={base[f.key] || (f.placeholder ?? "0")} autoComplete="off" />}
            </Field>
          ))}
          <div className="grid gap-1.5">
            <label className="flex items-center gap-2 pt-6 text-sm font-medium">
              <input type="checkbox" className="size-4 accent-[var(--primary)]" checked={values.allowShort} onChange={(e) => onChange({ allowShort: e.target.checked })} />
              {ALLOW_SHORT_LABEL}
            </label>
            {errors.allowShort && (
              <p role="alert" className="text-sm text-destructive">
                {errors.allowShort}
              </p>
            )}
          </div>
          {values.allowShort &&
            SHORT_TEXT_FIELDS.map((f) => (
              <Field key={f.key} id={`start-${f.key}`} label={f.label} error={errors[f.key]} hint={f.hint}>
                {(aria) => <Input {...aria} inputMode="numeric" value={values[f.key]} onChange={text(f.key)} placeholder={base[f.key] || f.placeholder} autoComplete="off" />}
              </Field>
            ))}
          {LIMIT_FIELDS.map((f) => (
            <Field key={f.key} id={f.id} label={f.label} error={errors[f.key]} hint={f.hint}>
              {(aria) => <Input {...aria} inputMode="numeric" value={values[f.key]} onChange={text(f.key)} placeholder={f.placeholder} autoComplete="off" />}
            </Field>
          ))}
        </div>
      </details>
    </>
  );
}
