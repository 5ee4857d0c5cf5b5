import { describe, expect, it } from "vitest";
import { toolOutputSchemas, type OptionChainOutput, type OptionQuoteOutput } from "@/lib/agent/tool-contract";
import { createMarketView, createMemoryBarSource, parseAlphaVantage, type Bar } from "@/lib/market";
import { DAILY_FILE, readSharedData } from "@/tests/support/shared-data";
import type { TradingContext } from "../context";
import { createGetOptionChainTool } from "./get-option-chain";
import { createGetOptionQuoteTool } from "./get-option-quote";
import { createToolRuntime } from "./index";

/** get_option_chain and get_option_quote over a real market view of the real daily bars, at the open of 2025-10-01. */

const daily = parseAlphaVantage(readSharedData(DAILY_FILE), DAILY_FILE).bars.filter((b) => b.symbol === "AAPL" || b.symbol === "NVDA");
const CLOCK = new Date("2025-10-01T13:30:00Z");

function contextAt(at: Date, bars: readonly Bar[]): TradingContext {
  const clock = { now: () => at };
  return { interval: "day", clock, market: createMarketView({ clock, universe: ["AAPL", "NVDA"], source: createMemoryBarSource([...bars]), intervals: ["day"] }) } as unknown as TradingContext;
}

let calls = 0;
type Execute<T> = (input: unknown, o: { toolCallId: string; messages: []; context: undefined }) => Promise<T>;
const options = () => ({ toolCallId: `c${++calls}`, messages: [] as [], context: undefined });
const chain = (input: unknown, ctx = contextAt(CLOCK, daily)) =>
  (createGetOptionChainTool(ctx, createToolRuntime()).execute as unknown as Execute<OptionChainOutput>)(input, options());
const quote = (input: unknown, ctx = contextAt(CLOCK, daily)) =>
  (createGetOptionQuoteTool(ctx, createToolRuntime()).execute as unknown as Execute<OptionQuoteOutput>)(input, options());
const refusal = (p: Promise<unknown>) => p.then(() => "no error", (e: Error) => e.message);

describe("get_option_chain", () => {
  it("answers the nearest expiry by default (40 contracts), every row modelled, in the contract's shape", async () => {
    const out = toolOutputSchemas.get_option_chain.parse(await chain({ underlying: "aapl" }));
    expect(out.underlying).toBe("AAPL");
    expect(out.at).toBe("2025-10-01T13:30:00.000Z");
    expect(out.source).toBe("modelled");
    expect(out.contracts).toHaveLength(40);
    expect(new Set(out.contracts.map((c) => c.expiry))).toEqual(new Set(["2025-10-03"]));
    expect(out.truncated).toBe(true);
    expect(out.matched).toBe(out.expiries.length * 40);
    expect(out.expiries.at(-1)).toEqual({ expiry: "2026-06-18", kind: "monthly", shiftedFrom: "2026-06-19" });
    expect(out.model.rate).toBe(0.04);
    const atm = out.contracts.find((c) => c.symbol === "AAPL251003C00255000")!;
    expect(atm).toMatchObject({ expiry: "2025-10-03", right: "call", strike: 255, source: "modelled" });
    expect(atm.bid).toBeLessThan(atm.ask);
    expect(atm.delta).toBeGreaterThan(0.3);
    expect(atm.delta).toBeLessThan(0.7);
  });

  it("filters by one expiry, right and strike range; by |delta|", async () => {
    const some = await chain({ underlying: "AAPL", expiry: "2025-10-17", right: "put", minStrike: 240, maxStrike: 250 });
    expect(some.contracts.map((c) => c.symbol)).toEqual(["AAPL251017P00240000", "AAPL251017P00245000", "AAPL251017P00250000"]);
    expect(some.truncated).toBe(false);
    const wings = await chain({ underlying: "AAPL", expiryFrom: "2025-10-20", expiryTo: "2025-11-30", minDelta: 0.2, maxDelta: 0.3, limit: 200 });
    expect(wings.contracts.length).toBeGreaterThan(3);
    expect(new Set(wings.contracts.map((c) => c.expiry))).toEqual(new Set(["2025-10-24", "2025-10-31", "2025-11-21"]));
    for (const c of wings.contracts) expect(Math.abs(c.delta) >= 0.2 && Math.abs(c.delta) <= 0.3, c.symbol).toBe(true);
  });

  it("a future bar changes nothing", async () => {
    const later: Bar = { ...daily.at(-1)!, symbol: "AAPL", start: new Date("2025-10-31T13:30:00Z"), open: 1, high: 1, low: 1, close: 1 };
    const cut = daily.filter((b) => b.start.getTime() <= CLOCK.getTime());
    expect(await chain({ underlying: "AAPL", limit: 100 }, contextAt(CLOCK, [...daily, later]))).toEqual(await chain({ underlying: "AAPL", limit: 100 }, contextAt(CLOCK, cut)));
  });

  it("refuses in words: arguments, a symbol outside the universe, too little history", async () => {
    expect(await refusal(chain({ underlying: "AAPL", expiry: "2025-10-17", expiryTo: "2025-11-01" }))).toMatch(/^INVALID_ARGUMENTS: get_option_chain does not take these arguments \(expiry: give either expiry or expiryFrom\/expiryTo, not both\)/);
    expect(await refusal(chain({ underlying: "AAPL", expiry: "17/10/2025" }))).toMatch(/expiry: an expiry is a day "YYYY-MM-DD"/);
    expect(await refusal(chain({ underlying: "AAPL", minDelta: 0.5, maxDelta: 0.2 }))).toMatch(/minDelta 0.5 is above maxDelta 0.2/);
    expect(await refusal(chain({ underlying: "AAPL", limit: 500 }))).toMatch(/^INVALID_ARGUMENTS/);
    expect(await refusal(chain({ underlying: "MSFT" }))).toMatch(/^NOT_IN_UNIVERSE: MSFT is not in this session's universe/);
    expect(await refusal(chain({ underlying: "AAPL" }, contextAt(new Date("2025-06-24T13:30:00Z"), daily)))).toMatch(
      /^NOT_ENOUGH_BARS: AAPL has 9 daily closes up to the clock; a modelled option chain needs at least 21/,
    );
  });
});

describe("get_option_quote", () => {
  it("answers one contract, equal to its row in the chain", async () => {
    const one = toolOutputSchemas.get_option_quote.parse(await quote({ symbol: "aapl251017p00250000" }));
    const row = (await chain({ underlying: "AAPL", expiry: "2025-10-17", right: "put", minStrike: 250, maxStrike: 250 })).contracts[0]!;
    expect(one).toMatchObject({ ...row, underlying: "AAPL", at: "2025-10-01T13:30:00.000Z" });
  });

  it("refuses a contract that is not listed, expired or off the grid, in words", async () => {
    expect(await refusal(quote({ symbol: "AAPL250919C00250000" }))).toMatch(/^INVALID_REQUEST: AAPL250919C00250000: the expiry 2025-09-19 has expired/);
    expect(await refusal(quote({ symbol: "AAPL251017C00251000" }))).toMatch(/the strike 251 is not on the strike grid/);
    expect(await refusal(quote({ symbol: "AAPL" }))).toMatch(/is not an OCC option symbol/);
  });
});
