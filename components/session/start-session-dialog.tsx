"use client";
import { Play, X } from "lucide-react";
import { useRouter } from "next/navigation";
import { Dialog } from "radix-ui";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { startSessionAction } from "@/app/(app)/sessions/actions";
import { EMPTY_TRADING, numberOr } from "@/components/trading-fields";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { MAX_DECIDE_EVERY, SESSION_LABEL_MAX, sessionFieldErrors, sessionInputSchema, type TradingDefaults } from "@/lib/schemas/session";
import type { BacktestDefault, StartDefaults } from "@/lib/services/sessions/start-range";
import type { StartPrefill, StartValues } from "./session-prefill";
import { DEFAULT_SETTINGS, SessionSettingsFields, SETTINGS_FIELD_OF, toSettingsInput, type SettingsErrors, type SettingsValues } from "./session-settings-fields";

export interface ModelOption {
  id: string;
  name: string;
  llm: string;
  /** Its fees, slippage and shorting: what the dialog's empty trading fields keep. */
  trading: TradingDefaults;
}

type Kind = StartValues["kind"];
type Values = StartValues;
type Errors = Partial<Record<keyof Values | "form", string>> & SettingsErrors;

/** "AAPL, msft nvda" → ["AAPL", "MSFT", "NVDA"]; empty or "all" → undefined (every symbol with data). */
export function parseSymbols(text: string): string[] | undefined {
  const list = text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (list.length === 0 || (list.length === 1 && list[0]!.toLowerCase() === "all")) return undefined;
  return list;
}

/** The form's values as the API's request body (the same object the HTTP API takes). */
export function toSessionInput(v: Values, s: SettingsValues = DEFAULT_SETTINGS): Record<string, unknown> {
  const symbols = parseSymbols(v.symbols);
  const settings = toSettingsInput(s);
  const label = v.label.trim();
  const common = { ...(label ? { label } : {}), ...(symbols ? { symbols } : {}), ...(settings ? { settings } : {}) };
  if (v.kind === "backtest") {
    return { modelId: v.modelId, kind: "backtest", interval: v.interval, start: v.start.trim(), end: v.end.trim(), ...common };
  }
  const decideEvery = numberOr(v.decideEvery);
  return { modelId: v.modelId, kind: "replay", day: v.day.trim(), ...(decideEvery !== undefined ? { decideEvery } : {}), ...common };
}

/** The suggested backtest of an interval (none for minutes: a backtest runs on day or hour bars). */
function backtestDefaultOf(defaults: StartDefaults, interval: string): BacktestDefault | null {
  return interval === "day" ? defaults.backtest.day : interval === "hour" ? defaults.backtest.hour : null;
}

/** "2025-01-02 to 2025-12-31", each date kept on one line. */
const spanOf = (d: { first: string; last: string }) => (
  <>
    <span className="whitespace-nowrap">{d.first}</span> to <span className="whitespace-nowrap">{d.last}</span>
  </>
);

/** A suggested backtest's dates as the form's (empty without one). */
const rangeOf = (d: BacktestDefault | null) => ({ start: d?.start ?? "", end: d?.end ?? "" });

/** sessionFieldErrors' keys ("symbols.2", "settings.fees.perShare") → this form's fields. */
export function formErrors(fields: Record<string, string>): Errors {
  const out: Errors = {};
  for (const [key, message] of Object.entries(fields)) {
    const head = key.split(".")[0]!;
    const field = SETTINGS_FIELD_OF[key] ?? (["modelId", "kind", "interval", "start", "end", "day", "symbols", "decideEvery", "label"] as const).find((f) => f === head) ?? "form";
    out[field] ??= message;
  }
  return out;
}

/**
 * Start a backtest or an intraday replay. Checked in the browser with the API's own schema
 * (sessionInputSchema), then by the server, whose field errors (a day that is not a trading day,
 * symbols without data…) show next to the same fields.
 */
export function StartSessionDialog({ models, defaults, prefill }: { models: readonly ModelOption[]; defaults: StartDefaults; prefill?: StartPrefill }) {
  const router = useRouter();
  const kind: Kind = defaults.replay || !(defaults.backtest.hour ?? defaults.backtest.day) ? "replay" : "backtest";
  /** A backtest's interval when none was chosen: hours where there are any, else days. */
  const backtestInterval = defaults.backtest.hour || !defaults.backtest.day ? "hour" : "day";
  const initial: Values = {
    modelId: models[0]?.id ?? "",
    kind,
    interval: kind === "replay" ? "minute" : backtestInterval,
    ...rangeOf(backtestDefaultOf(defaults, backtestInterval)),
    day: defaults.replay?.day ?? "",
    symbols: "",
    decideEvery: "1",
    label: "",
    ...prefill?.values,
  };
  // Opened at once when it comes filled from a session (the viewer's "Change and run again").
  const [open, setOpen] = useState(Boolean(prefill));
  const [values, setValues] = useState<Values>(initial);
  /** Until the dates are typed in (or come from a session run again), the range follows the interval to where its bars are. */
  const [rangeTouched, setRangeTouched] = useState(Boolean(prefill));
  const withInterval = (v: Values, interval: string): Values => ({ ...v, interval, ...(rangeTouched ? {} : rangeOf(backtestDefaultOf(defaults, interval))) });
  const setRange = (k: "start" | "end") => (e: { target: { value: string } }) => {
    setRangeTouched(true);
    set(k)(e);
  };
  const backtestData = backtestDefaultOf(defaults, values.interval);
  /** "Also run with": the other models to start the same session for (all or none). */
  const [also, setAlso] = useState<string[]>([]);
  const others = models.filter((m) => m.id !== values.modelId);
  const count = 1 + also.length;
  /** For a model just chosen: its trading fields empty (= the model's), shorting as the model has it. */
  const tradingFor = (modelId: string) => ({ ...EMPTY_TRADING, allowShort: models.find((m) => m.id === modelId)?.trading.allowShort ?? false });
  const [settings, setSettings] = useState<SettingsValues>(() => prefill?.settings ?? { ...DEFAULT_SETTINGS, ...tradingFor(initial.modelId) });
  const model = models.find((m) => m.id === values.modelId);
  const [errors, setErrors] = useState<Errors>({});
  const [pending, setPending] = useState(false);
  const set = (k: keyof Values) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [k]: e.target.value }));

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const input = toSessionInput(values, settings);
    const parsed = sessionInputSchema.safeParse(input);
    if (!parsed.success) {
      setErrors(formErrors(sessionFieldErrors(parsed.error)));
      return;
    }
    setPending(true);
    setErrors({});
    const res = await startSessionAction(input, also);
    if (!res.ok) {
      setPending(false);
      const fields = formErrors(res.fieldErrors ?? {});
      setErrors(Object.keys(fields).length ? fields : { form: res.message });
      toast.error(`Could not start the session: ${res.message}`);
      return;
    }
    toast.success(res.ids.length > 1 ? `${res.ids.length} sessions started` : "Session started");
    setOpen(false);
    setPending(false);
    setAlso([]);
    // One session: watch it. Several: the dashboard (where the dialog is) lists them side by side, read again.
    if (res.ids.length > 1) router.refresh();
    else router.push(`/sessions/${res.id}`);
  }

  const noModels = models.length === 0;
  return (
    <Dialog.Root
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (o) setErrors({});
      }}
    >
      <Dialog.Trigger asChild>
        <Button disabled={noModels} title={noModels ? "Create a model first" : undefined}>
          <Play className="h-4 w-4" aria-hidden />
          Start session
        </Button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/50" />
        <Dialog.Content
          onOpenAutoFocus={(e) => {
            e.preventDefault();
            document.getElementById("start-model")?.focus();
          }}
          className="fixed left-1/2 top-1/2 z-50 grid max-h-[calc(100dvh-2rem)] w-[calc(100%-2rem)] max-w-lg -translate-x-1/2 -translate-y-1/2 gap-4 overflow-y-auto rounded-lg border bg-card p-5 shadow-lg">
          <div className="flex items-start justify-between gap-3">
            <div>
              <Dialog.Title className="text-lg font-semibold">Start a session</Dialog.Title>
              <Dialog.Description className="text-sm text-muted-foreground">
                Run a model over stored bars: a backtest over days or hours, or a replay of one trading day minute by minute.
                {defaults.dataSpan && ` Data: ${defaults.dataSpan}.`}
                {prefill && " Filled in from the session you are running again, with every trading rule it ran with: change what you like."}
              </Dialog.Description>
            </div>
            <Dialog.Close asChild>
              <Button variant="ghost" size="icon" aria-label="Close">
                <X className="h-4 w-4" aria-hidden />
              </Button>
            </Dialog.Close>
          </div>
          <form noValidate onSubmit={onSubmit} className="grid gap-4" aria-label="Start a session">
            <Field id="start-model" label="Model" error={errors.modelId}>
              {(aria) => (
                <Select
                  {...aria}
                  value={values.modelId}
                  onChange={(e) => {
                    const modelId = e.target.value;
                    setValues((v) => ({ ...v, modelId }));
                    setSettings((s) => ({ ...s, ...tradingFor(modelId) }));
                    setAlso((ids) => ids.filter((id) => id !== modelId));
                  }}
                >
                  {models.map((m) => (
                    <option key={m.id} value={m.id}>
                      {m.name} ({m.llm})
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            {others.length > 0 && (
              <details className="rounded-md border px-3 py-2" data-testid="start-also">
                <summary className="cursor-pointer text-sm font-medium">
                  Also run with other models{also.length > 0 && ` (${also.length} chosen)`}
                </summary>
                <fieldset className="mt-1">
                  <legend className="mb-2 text-xs text-muted-foreground">
                    The same session for each model checked, to compare them on the leaderboard. Trading fields you fill in, and shorting as checked, apply to every one; empty
                    fields keep each model&apos;s own defaults.
                  </legend>
                  <div className="grid gap-1.5">
                    {others.map((m) => (
                      <label key={m.id} className="flex min-w-0 items-start gap-2 text-sm">
                        <input
                          type="checkbox"
                          className="mt-0.5 size-4 shrink-0 accent-[var(--primary)]"
                          checked={also.includes(m.id)}
                          onChange={(e) => setAlso((ids) => (e.target.checked ? [...ids, m.id] : ids.filter((id) => id !== m.id)))}
                        />
                        <span className="min-w-0 break-words">
                          {m.name} <span className="text-muted-foreground">({m.llm})</span>
                        </span>
                      </label>
                    ))}
                  </div>
                </fieldset>
              </details>
            )}
            <div className="grid items-start gap-4 sm:grid-cols-2">
              <Field id="start-kind" label="Kind" error={errors.kind}>
                {(aria) => (
                  <Select
                    {...aria}
                    value={values.kind}
                    onChange={(e) => {
                      const kind = e.target.value as Kind;
                      setValues((v) => withInterval({ ...v, kind }, kind === "replay" ? "minute" : v.interval === "minute" ? backtestInterval : v.interval));
                    }}
                  >
                    <option value="backtest">Backtest</option>
                    <option value="replay">Intraday replay</option>
                  </Select>
                )}
              </Field>
              <Field id="start-interval" label="Interval" error={errors.interval} hint={values.kind === "replay" ? "A replay runs on minute bars" : undefined}>
                {(aria) =>
                  values.kind === "replay" ? (
                    <Select {...aria} value="minute" onChange={() => {}}>
                      <option value="minute">Minute</option>
                    </Select>
                  ) : (
                    <Select {...aria} value={values.interval} onChange={(e) => setValues((v) => withInterval(v, e.target.value))}>
                      <option value="day">Day</option>
                      <option value="hour">Hour</option>
                    </Select>
                  )
                }
              </Field>
            </div>
            {values.kind === "backtest" ? (
              <div className="grid items-start gap-4 sm:grid-cols-2">
                <Field id="start-start" label="Start" error={errors.start} hint={backtestData ? <>A trading day; {values.interval} bars from {spanOf(backtestData)}</> : "A trading day"}>
                  {(aria) => <Input {...aria} type="date" value={values.start} onChange={setRange("start")} />}
                </Field>
                <Field id="start-end" label="End" error={errors.end} hint="Inclusive">
                  {(aria) => <Input {...aria} type="date" value={values.end} onChange={setRange("end")} />}
                </Field>
              </div>
            ) : (
              <div className="grid items-start gap-4 sm:grid-cols-2">
                <Field
                  id="start-day"
                  label="Day"
                  error={errors.day}
                  hint={defaults.replay ? <>The trading day to replay; data from {spanOf(defaults.replay)}</> : "The trading day to replay"}
                >
                  {(aria) => <Input {...aria} type="date" value={values.day} onChange={set("day")} />}
                </Field>
                <Field id="start-every" label="Decide every (minutes)" error={errors.decideEvery} hint={`1 to ${MAX_DECIDE_EVERY}`}>
                  {(aria) => <Input {...aria} inputMode="numeric" value={values.decideEvery} onChange={set("decideEvery")} />}
                </Field>
              </div>
            )}
            <Field id="start-symbols" label="Symbols" error={errors.symbols} hint='Comma-separated tickers, or leave empty (or "all") for every symbol with data'>
              {(aria) => <Input {...aria} value={values.symbols} onChange={set("symbols")} placeholder="all" autoComplete="off" />}
            </Field>
            <Field id="start-label" label="Label (optional)" error={errors.label} hint={`Names this run on the dashboard and the leaderboard, e.g. "prompt v2"; up to ${SESSION_LABEL_MAX} characters`}>
              {(aria) => <Input {...aria} value={values.label} onChange={set("label")} maxLength={SESSION_LABEL_MAX} autoComplete="off" />}
            </Field>
            <SessionSettingsFields values={settings} errors={errors} modelTrading={model?.trading ?? {}} onChange={(next) => setSettings((v) => ({ ...v, ...next }))} defaultOpen={Boolean(prefill)} />
            {errors.form && (
              <p role="alert" className="text-sm text-destructive">
                {errors.form}
              </p>
            )}
            <div className="flex flex-wrap justify-end gap-2">
              <Dialog.Close asChild>
                <Button type="button" variant="ghost">
                  Cancel
                </Button>
              </Dialog.Close>
              <Button type="submit" disabled={pending}>
                {pending ? "Starting…" : count > 1 ? `Start ${count} sessions` : "Start session"}
              </Button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
