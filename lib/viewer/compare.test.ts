import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareSessions, type ComparedSession } from "./compare";

const MINUTE = 60_000;
const OPEN = Date.parse("2025-06-10T13:30:00Z");
const at = (minute: number, day = 0) => new Date(OPEN + day * 86_400_000 + minute * MINUTE).toISOString();
const basket = (curve: number[], symbols = ["AAPL", "MSFT"]) => ({ kind: "equal-weight", symbols, curve });

function session(id: string, equity: number[], opts: { cash?: number; day?: number; from?: number; benchmark?: ComparedSession["benchmark"] } = {}): ComparedSession {
  const from = opts.from ?? 0;
  return {
    sessionId: id,
    startingCash: opts.cash ?? 1_000,
    marks: equity.map((e, i) => ({ barIndex: i, at: at(from + i, opts.day), equity: e })),
    benchmark: opts.benchmark ?? null,
  };
}

describe("compareSessions", () => {
  it("draws sessions over the same bars bar by bar, with their times and the benchmark they share", () => {
    const c = compareSessions([
      session("a", [990, 1_010, 1_050], { benchmark: basket([1_000, 1_020, 1_010]) }),
      // The same basket, its symbols listed in another order, from another starting cash.
      session("b", [1_990, 1_900, 2_100], { cash: 2_000, benchmark: basket([2_000, 2_040, 2_020], ["MSFT", "AAPL"]) }),
    ]);
    expect(c).toMatchObject({ axis: "bars", sessionIds: ["a", "b"], benchmark: "equal-weight", span: 3 });
    // The first mark (after the first bar's fees) gives way to the starting cash: 100, as returns are measured.
    expect(c.rows).toEqual([
      { x: 0, t: at(0), values: [100, 100, 100] },
      { x: 1, t: at(1), values: [101, 95, 102] },
      { x: 2, t: at(2), values: [105, 105, 101] },
    ]);
  });

  it("leaves a gap where a session has no mark (a run cancelled early), and the benchmark out when the sessions' differ", () => {
    const c = compareSessions([
      session("cancelled", [1_000, 1_100], { benchmark: basket([1_000, 1_000], ["NVDA"]) }),
      session("full", [1_000, 1_200, 1_300, 1_400], { benchmark: basket([1_000, 1_000, 1_000, 1_000]) }),
    ]);
    expect(c).toMatchObject({ axis: "bars", benchmark: null, span: 4 });
    expect(c.rows.map((r) => r.values)).toEqual([[100, 100], [110, 120], [null, 130], [null, 140]]);
    // A session without a stored benchmark leaves it out too.
    expect(compareSessions([session("a", [1, 2], { benchmark: basket([1_000, 1_000]) }), session("b", [1, 2])]).benchmark).toBeNull();
  });

  it("lines up sessions over different bars by the share of their bars run", () => {
    const c = compareSessions([session("monday", [1_000, 1_100, 1_200, 1_300, 1_400]), session("tuesday", [1_000, 900, 800], { day: 1, benchmark: basket([1, 1, 1]) })]);
    expect(c).toMatchObject({ axis: "share", benchmark: null, span: 5 });
    // Step x of the five is each session's mark at the same share of its own: tuesday's 3 marks at 0, 0.5, 1.
    expect(c.rows).toEqual([
      { x: 0, t: null, values: [100, 100] },
      { x: 1, t: null, values: [110, 90] },
      { x: 2, t: null, values: [120, 90] },
      { x: 3, t: null, values: [130, 80] },
      { x: 4, t: null, values: [140, 80] },
    ]);
  });

  it("draws sessions whose runs overlap in time against all their bars, each from its own start, without a benchmark", () => {
    const c = compareSessions([
      session("early", [1_000, 1_100, 1_200], { benchmark: basket([1_000, 1_000, 1_000]) }),
      session("late", [500, 450, 600, 650], { cash: 500, from: 2, benchmark: basket([1_000, 1_000, 1_000, 1_000]) }),
    ]);
    // early runs over minutes 0–2, late over 2–5: six bars in all, each curve at 100 on its own first.
    expect(c).toMatchObject({ axis: "bars", benchmark: null, span: 6 });
    expect(c.rows).toEqual([
      { x: 0, t: at(0), values: [100, null] },
      { x: 1, t: at(1), values: [110, null] },
      { x: 2, t: at(2), values: [120, 100] },
      { x: 3, t: at(3), values: [null, 90] },
      { x: 4, t: at(4), values: [null, 120] },
      { x: 5, t: at(5), values: [null, 130] },
    ]);
    // One moment shared is enough; none is not: runs that only follow each other line up by share.
    expect(compareSessions([session("a", [1, 2, 3]), session("b", [1, 2, 3], { from: 3 })]).axis).toBe("share");
  });

  it("leaves out sessions without marks or starting cash", () => {
    const c = compareSessions([session("empty", []), session("broke", [0, 0], { cash: 0 }), session("ok", [1_000, 1_010])]);
    expect(c.sessionIds).toEqual(["ok"]);
    expect(c.rows.map((r) => r.values)).toEqual([[100], [101]]);
    expect(compareSessions([])).toEqual({ axis: "share", sessionIds: [], benchmark: null, span: 0, rows: [] });
  });

  it("keeps within the budget, in order, each session's start at 100 and its last mark, ended early or not (random sessions)", () => {
    const arb = fc.array(
      fc.record({
        equity: fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 1, maxLength: 2_000, size: "max" }),
        cash: fc.integer({ min: 1, max: 1_000_000 }),
        day: fc.integer({ min: 0, max: 2 }),
        from: fc.integer({ min: 0, max: 1_500 }),
        benchmark: fc.boolean(),
      }),
      { minLength: 1, maxLength: 8 },
    );
    fc.assert(
      fc.property(arb, fc.integer({ min: 60, max: 500 }), (specs, max) => {
        const sessions = specs.map((s, i) => session(`s${i}`, s.equity, { cash: s.cash, day: s.day, from: s.from, benchmark: s.benchmark ? basket(s.equity) : null }));
        const c = compareSessions(sessions, max);
        const width = sessions.length + (c.benchmark ? 1 : 0);
        expect(c.rows.length).toBeLessThanOrEqual(max);
        expect(c.rows.every((r) => r.values.length === width)).toBe(true);
        expect(c.rows.every((r, i) => i === 0 || r.x > c.rows[i - 1]!.x)).toBe(true);
        expect(c.rows.every((r) => r.x >= 0 && r.x < c.span && (r.t === null) === (c.axis === "share"))).toBe(true);
        // Against bars, in time order: a later row is a later bar.
        expect(c.rows.every((r, i) => i === 0 || c.axis === "share" || r.t! > c.rows[i - 1]!.t!)).toBe(true);
        sessions.forEach((s, k) => {
          const drawn = c.rows.flatMap((r) => r.values[k] ?? []);
          expect(drawn[0]).toBe(100);
          const last = s.marks.length > 1 ? Math.round((s.marks.at(-1)!.equity / s.startingCash) * 100 * 1e4) / 1e4 : 100;
          expect(drawn.at(-1)).toBe(last);
        });
      }),
      { numRuns: 200 },
    );
  });
});
