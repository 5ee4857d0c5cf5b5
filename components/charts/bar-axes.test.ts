import { describe, expect, it } from "vitest";
import { barLabelAt, barTimeAt } from "./bar-axes";

const points = (times: string[]) => times.map((t, bar) => ({ t, bar }));

describe("the time axis' labels", () => {
  it("say only what changes along the axis (New York time)", () => {
    const replay = points(["2025-06-10T13:30:00Z", "2025-06-10T13:31:00Z", "2025-06-10T19:59:00Z"]);
    expect([0, 2].map(barLabelAt(replay))).toEqual(["09:30 AM", "03:59 PM"]);
    // Day bars open at 09:30 New York time, across a change of daylight saving time (14:30 UTC in winter).
    const days = points(["2025-03-07T14:30:00Z", "2025-03-10T13:30:00Z", "2025-03-11T13:30:00Z"]);
    expect([0, 1, 2].map(barLabelAt(days))).toEqual(["Mar 7", "Mar 10", "Mar 11"]);
    const hours = points(["2025-03-10T13:30:00Z", "2025-03-10T14:30:00Z", "2025-03-11T13:30:00Z"]);
    expect([0, 1, 2].map(barLabelAt(hours))).toEqual(["Mar 10, 09:30 AM", "Mar 10, 10:30 AM", "Mar 11, 09:30 AM"]);
    expect(barLabelAt([])(0)).toBe("");
  });

  it("leave the tooltip its full time", () => {
    expect(barTimeAt(points(["2025-06-10T13:30:00Z"]))(0)).toBe("Jun 10, 09:30 AM");
  });
});
