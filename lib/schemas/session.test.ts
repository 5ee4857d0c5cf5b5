import { describe, expect, it } from "vitest";
import { mergePatch, modelInputSchema, modelPatchSchema } from "./model";
import { mergeTradingSettings, pageQuerySchema, parseSessionCardFilter, sessionFieldErrors, sessionInputSchema, sessionPatchSchema, sessionListQuerySchema, sessionSettingsSchema, tradingDefaultsSchema } from "./session";

describe("mergeTradingSettings", () => {
  const model = { fees: { perOrder: "1", minimum: "0.5" }, slippageBps: 5, allowShort: true, borrowRateBps: 300 };

  it("keeps the model's defaults where the session says nothing", () => {
    expect(mergeTradingSettings(model, {})).toEqual(model);
    expect(mergeTradingSettings({}, {})).toEqual({});
  });

  it("lets the session override each field, fees one by one", () => {
    expect(mergeTradingSettings(model, { fees: { perOrder: "0" }, allowShort: false })).toEqual({
      fees: { perOrder: "0", minimum: "0.5" },
      slippageBps: 5,
      allowShort: false,
      borrowRateBps: 300,
    });
    expect(mergeTradingSettings({}, { slippageBps: 0, fees: { perShare: "0.005" } })).toEqual({ fees: { perShare: "0.005" }, slippageBps: 0 });
    expect(mergeTradingSettings({ ...model, shortMarginRequirementBps: 20_000 }, {}).shortMarginRequirementBps).toBe(20_000);
    expect(mergeTradingSettings({ ...model, shortMarginRequirementBps: 20_000 }, { shortMarginRequirementBps: 12_500 }).shortMarginRequirementBps).toBe(12_500);
    expect(mergeTradingSettings({ ...model, participationBps: 500 }, {}).participationBps).toBe(500);
    expect(mergeTradingSettings({ ...model, participationBps: 500 }, { participationBps: 2_500 }).participationBps).toBe(2_500);
  });

  it("ignores a session's other settings", () => {
    const session = sessionSettingsSchema.parse({ maxSteps: 10, paceMs: 100, slippageBps: 7 });
    expect(mergeTradingSettings(model, session)).toEqual({ ...model, slippageBps: 7 });
  });
});

describe("a model's trading defaults", () => {
  const base = { name: "M", signature: "m-1", llm: "builtin:momentum", startingCash: "1000" };

  it("default to none, and keep what is given", () => {
    expect(modelInputSchema.parse(base).trading).toEqual({});
    expect(modelInputSchema.parse({ ...base, trading: { fees: { perShare: "0.005" }, allowShort: true } }).trading).toEqual({ fees: { perShare: "0.005" }, allowShort: true });
  });

  it("refuse bad values and unknown fields, naming them", () => {
    const bad = [
      [{ slippageBps: -1 }, "trading.slippageBps"],
      [{ slippageBps: 10_000 }, "trading.slippageBps"],
      [{ fees: { perOrder: "1e3" } }, "trading.fees.perOrder"],
      [{ fees: { perOrder: "-1" } }, "trading.fees.perOrder"],
      [{ fees: { notionalBps: 1.5 } }, "trading.fees.notionalBps"],
      [{ allowShort: "yes" }, "trading.allowShort"],
      [{ borrowRateBps: Number.NaN }, "trading.borrowRateBps"],
      [{ shortMarginRequirementBps: 9_999 }, "trading.shortMarginRequirementBps"],
      [{ shortMarginRequirementBps: 100_001 }, "trading.shortMarginRequirementBps"],
      [{ shortMarginRequirementBps: 15_000.5 }, "trading.shortMarginRequirementBps"],
      [{ participationBps: 0 }, "trading.participationBps"],
      [{ participationBps: 10_001 }, "trading.participationBps"],
      [{ participationBps: "10%" }, "trading.participationBps"],
      [{ leverage: 2 }, "trading"],
      ["cheap", "trading"],
    ] as const;
    for (const [trading, path] of bad) {
      const parsed = modelInputSchema.safeParse({ ...base, trading });
      expect(parsed.success, JSON.stringify(trading)).toBe(false);
      expect(parsed.error!.issues[0]!.path.join("."), JSON.stringify(trading)).toBe(path);
    }
    expect(tradingDefaultsSchema.safeParse("cheap").error!.issues[0]!.message).toBe('trading must be an object such as {"slippageBps": 5}');
    // An unknown field is named as such, not as "must be an object".
    expect(tradingDefaultsSchema.safeParse({ leverage: 2 }).error!.issues[0]!.message).toBe('Unrecognized key: "leverage"');
    expect(sessionSettingsSchema.safeParse([]).error!.issues[0]!.message).toBe('settings must be an object such as {"maxSteps": 8}');
    expect(sessionSettingsSchema.safeParse({ seed: -1 }).error!.issues[0]!.message).toBe("seed must be a whole number from 0 to 2147483647");
    expect(tradingDefaultsSchema.safeParse({ shortMarginRequirementBps: 5_000 }).error!.issues[0]!.message).toBe(
      "The short margin requirement must be a whole number of basis points of short value from 10000 to 100000",
    );
  });
});

describe("a model's fields of the wrong type", () => {
  it("are named in words, as the API returns them", () => {
    const messages = (v: unknown) => Object.fromEntries(modelInputSchema.safeParse(v).error!.issues.map((i) => [i.path.join("."), i.message]));
    expect(messages({})).toEqual({
      name: "Name is required",
      signature: "Signature is required",
      llm: "Model is required",
      startingCash: "Starting cash must be a positive amount in dollars, e.g. 10000 or 2500.50",
    });
    expect(messages({ name: 42, signature: 5, llm: null, startingCash: {}, description: 5, instructions: 7, apiKey: 3 })).toMatchObject({
      name: "Name must be text",
      signature: "Signature must be text",
      llm: "Model must be text",
      startingCash: "Starting cash must be a positive amount in dollars, e.g. 10000 or 2500.50",
      description: "Description must be text",
      instructions: "Instructions must be text",
      apiKey: "API key must be text",
    });
    expect(modelPatchSchema.safeParse({ isActive: "yes" }).error!.issues[0]!.message).toBe("isActive must be true or false");
  });
});

describe("a model's PATCH", () => {
  it("carries only the fields given, so that the others keep their stored values", () => {
    expect(modelPatchSchema.parse({ name: "Renamed" })).toEqual({ name: "Renamed" });
    expect(modelPatchSchema.parse({ trading: { slippageBps: 2, fees: { minimum: null } } })).toEqual({ trading: { slippageBps: 2, fees: { minimum: null } } });
    expect(modelPatchSchema.parse({ trading: null })).toEqual({ trading: null });
    // Its values are checked once merged (patchModel); here only that it is an object or null.
    expect(modelPatchSchema.safeParse({ trading: "cheap" }).error!.issues[0]!.message).toBe('trading must be an object such as {"slippageBps": 5}, or null');
  });

  it("merges trading as RFC 7396 says", () => {
    const stored = { fees: { perShare: "0.005", minimum: "1" }, slippageBps: 5, allowShort: true };
    expect(mergePatch(stored, {})).toEqual(stored);
    expect(mergePatch(stored, { slippageBps: 2 })).toEqual({ ...stored, slippageBps: 2 });
    expect(mergePatch(stored, { fees: { minimum: null, perOrder: "1" }, allowShort: null })).toEqual({ fees: { perShare: "0.005", perOrder: "1" }, slippageBps: 5 });
    expect(mergePatch(stored, { fees: null })).toEqual({ slippageBps: 5, allowShort: true });
    expect(mergePatch(stored, null)).toBeNull();
    expect(mergePatch({}, { fees: { perOrder: "1" } })).toEqual({ fees: { perOrder: "1" } });
    // A value that is not an object replaces the member whole (and is then refused by the schema).
    expect(mergePatch(stored, { fees: "free" })).toEqual({ ...stored, fees: "free" });
    expect(stored).toEqual({ fees: { perShare: "0.005", minimum: "1" }, slippageBps: 5, allowShort: true });
    // "__proto__" from JSON is a member like any other, not the merged object's prototype.
    const polluted = mergePatch(stored, JSON.parse('{"__proto__": {"allowShort": false}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(polluted)).toBe(Object.prototype);
    expect(Object.keys(polluted)).toContain("__proto__");
    expect(tradingDefaultsSchema.safeParse(polluted).error!.issues[0]!.message).toBe('Unrecognized key: "__proto__"');
  });
});

describe("the dashboard's session filter from its URL", () => {
  const id = "6f9619ff-8b86-4d11-b42d-00c04fc964ff";
  it("reads model, status and page; blanks and unknown names mean not given", () => {
    expect(parseSessionCardFilter({ model: id, status: "failed", page: "3" })).toEqual({ filter: { model: id, status: "failed", page: 3 }, error: null });
    expect(parseSessionCardFilter({ model: "", status: "", utm: "x" })).toEqual({ filter: { page: 1 }, error: null });
    expect(parseSessionCardFilter({ status: ["paused", "failed"] })).toEqual({ filter: { status: "paused", page: 1 }, error: null });
  });

  it("leaves out each bad value with its reason and keeps the good ones", () => {
    expect(parseSessionCardFilter({ model: "'; drop table models; --", status: "running" })).toEqual({
      filter: { status: "running", page: 1 },
      error: "model: Model must be one of your models",
    });
    const { filter, error } = parseSessionCardFilter({ model: id, status: "done", page: "0" });
    expect(filter).toEqual({ model: id, page: 1 });
    expect(error).toContain("status: Status must be one of queued, pending, running, paused, completed, failed, cancelled");
    expect(error).toContain("page: Page must be a whole number from 1 to 20000");
    for (const page of ["1.5", "abc", "-2", "1e9"]) expect(parseSessionCardFilter({ page }).filter.page).toBe(1);
  });
});

describe("the API's paging parameters", () => {
  const messages = (schema: { safeParse: (v: unknown) => { error?: { issues: { path: PropertyKey[]; message: string }[] } } }, q: Record<string, string>) =>
    Object.fromEntries((schema.safeParse(q).error?.issues ?? []).map((i) => [String(i.path[0]), i.message]));

  it("default when left out or blank, and name the range in words when missed", () => {
    expect(sessionListQuerySchema.parse({})).toEqual({ offset: 0, limit: 50 });
    expect(sessionListQuerySchema.parse({ offset: "", limit: "" })).toEqual({ offset: 0, limit: 50 });
    expect(messages(sessionListQuerySchema, { offset: "abc", limit: "-1" })).toEqual({
      offset: "offset must be a whole number from 0 to 1000000",
      limit: "limit must be a whole number from 1 to 200",
    });
    expect(pageQuerySchema.parse({ offset: "9950", limit: "50" })).toEqual({ offset: 9950, limit: 50 });
    for (const limit of ["0", "5001", "2.5", "NaN", "1e3x"]) expect(messages(pageQuerySchema, { limit }), limit).toEqual({ limit: "limit must be a whole number from 1 to 5000" });
  });
});

describe("a session's label", () => {
  const request = (label: unknown) => ({ modelId: "6f9619ff-8b86-4d11-b42d-00c04fc964ff", kind: "replay", day: "2025-06-10", label });
  const messageOf = (label: unknown) => {
    const parsed = sessionInputSchema.safeParse(request(label));
    return parsed.success ? parsed.data.label : sessionFieldErrors(parsed.error).label;
  };

  it("is trimmed, and refused in words when blank, too long, on two lines or not text", () => {
    expect(messageOf("  prompt v2 ")).toBe("prompt v2");
    expect(messageOf("é".repeat(80))).toBe("é".repeat(80));
    expect(messageOf("x".repeat(81))).toBe("The label must be at most 80 characters");
    expect(messageOf(" ")).toBe("The label must not be empty: leave it out for none");
    expect(messageOf("v2\tfast")).toBe("The label must be one line of text");
    expect(messageOf(42)).toBe("The label must be text");
    expect(sessionInputSchema.parse(request(undefined)).label).toBeUndefined();
  });

  it("is the one thing a rename may send: a label, or null for none", () => {
    const rename = (body: unknown) => {
      const parsed = sessionPatchSchema.safeParse(body);
      return parsed.success ? parsed.data : sessionFieldErrors(parsed.error);
    };
    expect(rename({ label: " v3 " })).toEqual({ label: "v3" });
    expect(rename({ label: null })).toEqual({ label: null });
    expect(rename({})).toEqual({ label: "The label is missing: send null for none" });
    expect(rename({ label: "" })).toEqual({ label: "The label must not be empty: send null for none" });
    expect(rename({ label: "v3", status: "completed" })).toEqual({ body: "unknown field(s): status" });
    expect(rename([])).toEqual({ body: expect.any(String) });
  });
});

describe("a session's driver", () => {
  const backtest = { modelId: "00000000-0000-4000-8000-000000000001", kind: "backtest", interval: "day", start: "2025-10-01", end: "2025-10-03" };

  it("is the model's by default; an outside agent's when asked for a backtest", () => {
    expect(sessionInputSchema.parse(backtest)).not.toHaveProperty("driver");
    expect(sessionInputSchema.parse({ ...backtest, driver: "external" })).toMatchObject({ driver: "external" });
    expect(sessionInputSchema.parse({ ...backtest, driver: "model" })).toMatchObject({ driver: "model" });
  });

  it("refuses anything else in words; a replay is always its model's", () => {
    const bad = sessionInputSchema.safeParse({ ...backtest, driver: "claude" });
    expect(bad.success).toBe(false);
    expect(sessionFieldErrors(bad.error!)).toEqual({ driver: 'driver must be "model" (the session\'s model decides) or "external" (an outside agent with a model API token decides)' });
    const replay = sessionInputSchema.safeParse({ modelId: backtest.modelId, kind: "replay", day: "2025-10-01", driver: "external" });
    expect(replay.success).toBe(false);
    expect(sessionFieldErrors(replay.error!)).toEqual({ driver: 'a replay is decided by its model: driver "external" is for backtests' });
  });
});
