import { fieldText, tradingTextsOf } from "@/components/trading-fields";
import type { SessionInput } from "@/lib/schemas/session";
import type { SettingsValues } from "./session-settings-fields";

/** The Start dialog's own fields (the settings are SettingsValues). */
export interface StartValues {
  modelId: string;
  kind: "backtest" | "replay";
  interval: string;
  start: string;
  end: string;
  day: string;
  symbols: string;
  decideEvery: string;
  /** The user's name for the run; empty: none. */
  label: string;
}

export interface StartPrefill {
  /** The session's fields; those of the other kind keep the dialog's defaults. */
  values: Partial<StartValues>;
  settings: SettingsValues;
}

/**
 * A session's request (rerunInputOf: its model, bars, resolved symbols and every rule it ran with) as the
 * Start dialog's fields, to change and run again; the model's defaults of today do not creep in.
 */
export function prefillOf(r: SessionInput): StartPrefill {
  const s = r.settings ?? {};
  return {
    values: {
      modelId: r.modelId,
      symbols: (r.symbols ?? []).join(", "),
      label: r.label ?? "",
      ...(r.kind === "replay"
        ? { kind: "replay", interval: "minute", day: r.day, decideEvery: String(r.decideEvery ?? 1) }
        : { kind: "backtest", interval: r.interval, start: r.start, end: r.end }),
    },
    settings: {
      ...tradingTextsOf(s),
      paceMs: String(s.paceMs ?? 0),
      maxSteps: fieldText(s.maxSteps),
      decisionTimeoutSeconds: fieldText(s.decisionTimeoutSeconds),
      seed: fieldText(s.seed),
    },
  };
}
