import { tradingTextsOf } from "@/components/trading-fields";
import type { TradingDefaults } from "@/lib/schemas/session";
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
}

export interface StartPrefill {
  /** The session's fields; those of the other kind keep the dialog's defaults. */
  values: Partial<StartValues>;
  settings: SettingsValues;
}

/** What of a stored session the dialog is filled from. */
export interface SessionSpec {
  modelId: string;
  kind: string;
  interval: string;
  rangeStart: string | null;
  rangeEnd: string | null;
  decideEvery: number;
  symbols: readonly string[];
  settings: unknown;
  maxSteps: number;
  decisionTimeoutMs: number;
  paceMs: number;
}

/**
 * A session as the Start dialog's fields, to change and run again: its model, bars, symbols and every rule
 * it ran with typed in (so the model's defaults of today do not creep in). The seed is not a field: a
 * session started from the dialog gets the default one.
 */
export function prefillOf(s: SessionSpec): StartPrefill {
  const replay = s.kind === "replay";
  return {
    values: {
      modelId: s.modelId,
      symbols: s.symbols.join(", "),
      ...(replay
        ? { kind: "replay", interval: "minute", day: s.rangeStart ?? "", decideEvery: String(s.decideEvery) }
        : { kind: "backtest", interval: s.interval, start: s.rangeStart ?? "", end: s.rangeEnd ?? "" }),
    },
    settings: {
      ...tradingTextsOf((s.settings ?? {}) as TradingDefaults),
      paceMs: String(s.paceMs),
      maxSteps: String(s.maxSteps),
      decisionTimeoutSeconds: String(Math.round(s.decisionTimeoutMs / 1000)),
    },
  };
}
