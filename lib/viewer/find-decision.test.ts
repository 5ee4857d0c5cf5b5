import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findDecision, nyKeyOf } from "./find-decision";
import type { DecisionSummary } from "./types";

const at = (iso: string, i: number): DecisionSummary => ({
  id: `d${i}`, clock: iso, outcome: "held", text: "", toolCalls: 0, filledOrders: 0, rejectedOrders: 0, toolErrors: 0, error: null, latencyMs: 1,
});

describe("go to a decision", () => {
  // A replay deciding every 5 minutes from 09:30 New York time (13:30 UTC in June).
  const replay = Array.from({ length: 78 }, (_, i) => at(new Date(Date.UTC(2025, 5, 10, 13, 30 + 5 * i)).toISOString(), i));

  it("names clocks in New York time, across daylight saving", () => {
    expect(nyKeyOf("2025-06-10T13:30:00.000Z")).toBe("2025-06-10 09:30");
    expect(nyKeyOf("2025-01-10T14:30:00.000Z")).toBe("2025-01-10 09:30");
    expect(nyKeyOf("2025-06-10T03:59:00.000Z")).toBe("2025-06-09 23:59");
  });

  it("lands a time on the last decision at or before it", () => {
    expect(findDecision(replay, { day: "2025-06-10", time: "09:30" })?.id).toBe("d0");
    expect(findDecision(replay, { day: "2025-06-10", time: "11:02" })?.id).toBe("d18"); // 11:00
    expect(findDecision(replay, { day: "2025-06-10", time: "11:05" })?.id).toBe("d19");
    expect(findDecision(replay, { day: "2025-06-10", time: "16:00" })?.id).toBe("d77");
    expect(findDecision(replay, { day: "2025-06-10", time: "09:29" })).toBeNull();
    expect(findDecision([], { day: "2025-06-10", time: "10:00" })).toBeNull();
  });

  it("lands a day on its first decision, or the next day's", () => {
    const daily = ["2025-03-03", "2025-03-04", "2025-03-05", "2025-03-07"].map((d, i) => at(`${d}T14:30:00.000Z`, i));
    expect(findDecision(daily, { day: "2025-03-04" })?.id).toBe("d1");
    expect(findDecision(daily, { day: "2025-03-06" })?.id).toBe("d3"); // no bar that day: the next one
    expect(findDecision(daily, { day: "2025-01-01" })?.id).toBe("d0");
    expect(findDecision(daily, { day: "2025-03-08" })).toBeNull();
  });

  it("agrees with a linear scan", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), (h, m) => {
        const time = `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`;
        const want = replay.filter((d) => nyKeyOf(d.clock) <= `2025-06-10 ${time}`).at(-1) ?? null;
        expect(findDecision(replay, { day: "2025-06-10", time })).toBe(want);
      }),
    );
  });
});
