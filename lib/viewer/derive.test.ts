import { describe, expect, it } from "vitest";
import { downsample, formatEta, liveMetrics, progressOf } from "./derive";

describe("downsample", () => {
  it("keeps short series and the ends of long ones", () => {
    expect(downsample([1, 2, 3], 10)).toEqual([1, 2, 3]);
    const out = downsample(
      Array.from({ length: 10_000 }, (_, i) => i),
      800,
    );
    expect(out).toHaveLength(800);
    expect(out[0]).toBe(0);
    expect(out.at(-1)).toBe(9_999);
  });
});

describe("progressOf", () => {
  it("gives bars done / total and an ETA at the pace so far", () => {
    const start = Date.parse("2026-01-01T00:00:00Z");
    const p = progressOf(
      { cursor: 100, totalBars: 400, status: "running", startedAt: new Date(start).toISOString(), heartbeatAt: new Date(start + 10_000).toISOString() },
      start + 10_000,
    );
    expect(p).toMatchObject({ done: 100, total: 400, fraction: 0.25, etaMs: 30_000 });
    expect(formatEta(p.etaMs)).toBe("about 30 s left");
    expect(progressOf({ cursor: 0, totalBars: 400, status: "pending", startedAt: null, heartbeatAt: null }).etaMs).toBeNull();
    expect(formatEta(null)).toBe("ETA unknown");
  });
});

describe("liveMetrics", () => {
  it("measures the curve from the starting cash", () => {
    const m = liveMetrics(
      [
        { barIndex: 0, t: "a", equity: 110, cash: 0, benchmark: null },
        { barIndex: 1, t: "b", equity: 99, cash: 0, benchmark: null },
      ],
      { startingCash: 100, interval: "minute", tradeCount: 2, closingPnls: [1, -1], fees: 0.5 },
    );
    expect(m.totalReturn).toBeCloseTo(-0.01);
    expect(m.maxDrawdown).toBeCloseTo(0.1);
    expect(m.winRate).toBe(0.5);
    expect(m.feesPaid).toBe(0.5);
  });
});
