"use client";
import { useState } from "react";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { formatPace } from "@/lib/viewer/format";

/**
 * The Start-session dialog's `settings` (the API's, docs/api.md): the pace, and behind "Trading settings"
 * fees, slippage, shorting and the limits of a decision. Empty fields are left out (the API's defaults).
 */
export interface SettingsValues {
  paceMs: string;
  perShare: string;
  perOrder: string;
  slippageBps: string;
  allowShort: boolean;
  borrowRateBps: string;
  maxSteps: string;
  decisionTimeoutSeconds: string;
}
export type SettingsErrors = Partial<Record<keyof SettingsValues, string>>;

export const DEFAULT_SETTINGS: SettingsValues = {
  paceMs: "0",
  perShare: "",
  perOrder: "",
  slippageBps: "",
  allowShort: false,
  borrowRateBps: "",
  maxSteps: "",
  decisionTimeoutSeconds: "",
};

/** The pace choices (ms per bar at least), so a person can watch the run (the results do not change). */
const PACES = [0, 100, 250, 1000];

type TextKey = Exclude<keyof SettingsValues, "allowShort" | "paceMs" | "borrowRateBps">;
const TEXT_FIELDS: { key: TextKey; id: string; label: string; hint: string; placeholder: string; inputMode: "decimal" | "numeric" }[] = [
  { key: "perShare", id: "start-per-share", label: "Commission per share (USD)", hint: "e.g. 0.005", placeholder: "0", inputMode: "decimal" },
  { key: "perOrder", id: "start-per-order", label: "Commission per order (USD)", hint: "e.g. 1", placeholder: "0", inputMode: "decimal" },
  { key: "slippageBps", id: "start-slippage", label: "Slippage (basis points)", hint: "Against you on every fill; 0 to 9999", placeholder: "0", inputMode: "numeric" },
  { key: "maxSteps", id: "start-max-steps", label: "Model steps per decision", hint: "6 to 50 (default 8)", placeholder: "8", inputMode: "numeric" },
  { key: "decisionTimeoutSeconds", id: "start-timeout", label: "Decision timeout (seconds)", hint: "1 to 600 (default 60)", placeholder: "60", inputMode: "numeric" },
];

/** The API's error keys → these fields. */
export const SETTINGS_FIELD_OF: Record<string, keyof SettingsValues> = {
  "settings.paceMs": "paceMs",
  "settings.fees.perShare": "perShare",
  "settings.fees.perOrder": "perOrder",
  "settings.slippageBps": "slippageBps",
  "settings.allowShort": "allowShort",
  "settings.borrowRateBps": "borrowRateBps",
  "settings.maxSteps": "maxSteps",
  "settings.decisionTimeoutSeconds": "decisionTimeoutSeconds",
};

/** A typed number → number; anything else as typed, so that the schema says what is wrong with it. */
const numberOr = (text: string) => {
  const t = text.trim();
  return t === "" ? undefined : /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : t;
};
const textOr = (text: string) => (text.trim() === "" ? undefined : text.trim());
const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** The fields as the API's `settings`; undefined when every one is left at its default. */
export function toSettingsInput(v: SettingsValues): Record<string, unknown> | undefined {
  const fees = defined({ perShare: textOr(v.perShare), perOrder: textOr(v.perOrder) });
  const settings = defined({
    paceMs: Number(v.paceMs) > 0 ? Number(v.paceMs) : undefined,
    fees: Object.keys(fees).length > 0 ? fees : undefined,
    slippageBps: numberOr(v.slippageBps),
    allowShort: v.allowShort || undefined,
    borrowRateBps: v.allowShort ? numberOr(v.borrowRateBps) : undefined,
    maxSteps: numberOr(v.maxSteps),
    decisionTimeoutSeconds: numberOr(v.decisionTimeoutSeconds),
  });
  return Object.keys(settings).length > 0 ? settings : undefined;
}

export function SessionSettingsFields({
  values,
  errors,
  onChange,
}: {
  values: SettingsValues;
  errors: SettingsErrors;
  onChange: (next: Partial<SettingsValues>) => void;
}) {
  const text = (k: Exclude<keyof SettingsValues, "allowShort">) => (e: { target: { value: string } }) => onChange({ [k]: e.target.value });
  const trading = Object.values(SETTINGS_FIELD_OF).some((k) => k !== "paceMs" && errors[k]);
  const [open, setOpen] = useState(false);
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
        <p className="mt-1 text-xs text-muted-foreground">Free trading, no slippage, long only and the model&apos;s usual limits unless set here.</p>
        <div className="mt-3 grid items-start gap-4 sm:grid-cols-2">
          {TEXT_FIELDS.map((f) => (
            <Field key={f.key} id={f.id} label={f.label} error={errors[f.key]} hint={f.hint}>
              {(aria) => <Input {...aria} inputMode={f.inputMode} value={values[f.key]} onChange={text(f.key)} placeholder={f.placeholder} autoComplete="off" />}
            </Field>
          ))}
          <div className="grid gap-1.5">
            <label className="flex items-center gap-2 pt-6 text-sm font-medium">
              <input type="checkbox" className="size-4 accent-[var(--primary)]" checked={values.allowShort} onChange={(e) => onChange({ allowShort: e.target.checked })} />
              Allow short selling
            </label>
            {errors.allowShort && (
              <p role="alert" className="text-sm text-destructive">
                {errors.allowShort}
              </p>
            )}
          </div>
          {values.allowShort && (
            <Field id="start-borrow" label="Borrow rate (basis points a year)" error={errors.borrowRateBps} hint="Charged daily on shorts held overnight; e.g. 300 = 3 %">
              {(aria) => <Input {...aria} inputMode="numeric" value={values.borrowRateBps} onChange={text("borrowRateBps")} placeholder="0" autoComplete="off" />}
            </Field>
          )}
        </div>
      </details>
    </>
  );
}
