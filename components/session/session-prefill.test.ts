import { describe, expect, it } from "vitest";
import { sessionInputSchema, type SessionInput } from "@/lib/schemas/session";
import { prefillOf } from "./session-prefill";
import { toSessionInput } from "./start-session-dialog";

const rules = { fees: { perShare: "0", perOrder: "3000", minimum: "0", notionalBps: 0 }, slippageBps: 5, allowShort: true, shortMarginRequirementBps: 20_000, borrowRateBps: 300 };
/** A stored session as rerunInputOf writes it back: its request, with the full rules, limits, pace and seed. */
const backtest: SessionInput = {
  modelId: "6f9619ff-8b86-4d11-b42d-00c04fc964ff",
  kind: "backtest",
  interval: "day",
  start: "2025-03-03",
  end: "2025-03-14",
  symbols: ["ZZSOLR", "ZZPETR"],
  label: "prompt v2",
  settings: { ...rules, seed: 7, maxSteps: 10, decisionTimeoutSeconds: 30, paceMs: 100 },
};
const defaults = { modelId: "", kind: "replay" as const, interval: "hour", start: "2025-01-02", end: "2025-12-31", day: "2025-12-31", symbols: "", decideEvery: "1", label: "" };

describe("the Start dialog filled from a session", () => {
  it("gives back the request the session ran with, seed included, valid for the API", () => {
    const { values, settings } = prefillOf(backtest);
    const input = toSessionInput({ ...defaults, ...values }, settings);
    expect(input).toEqual(backtest);
    expect(sessionInputSchema.safeParse(input).success).toBe(true);
  });

  it("fills a replay's day and cadence, and leaves the backtest's dates to the dialog's defaults", () => {
    const replay: SessionInput = {
      modelId: backtest.modelId,
      kind: "replay",
      day: "2025-06-10",
      decideEvery: 5,
      symbols: ["ZZSOLR", "ZZPETR"],
      settings: { ...rules, allowShort: false, seed: 7, maxSteps: 10, decisionTimeoutSeconds: 30, paceMs: 100 },
    };
    const { values, settings } = prefillOf(replay);
    expect(values).toEqual({ modelId: backtest.modelId, symbols: "ZZSOLR, ZZPETR", label: "", kind: "replay", interval: "minute", day: "2025-06-10", decideEvery: "5" });
    expect({ ...defaults, ...values }.start).toBe("2025-01-02");
    // Without shorting, its margin and borrow rate are not sent (they apply only with shorting).
    expect(toSessionInput({ ...defaults, ...values }, settings).settings).toEqual({ fees: rules.fees, slippageBps: 5, allowShort: false, seed: 7, maxSteps: 10, decisionTimeoutSeconds: 30, paceMs: 100 });
  });
});
