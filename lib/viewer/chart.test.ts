import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { barPosition, barTicks, extent, fractionalIndex, indexTicks, markersPath, nearestIndex, niceTicks, spacedTicks, fittingBarTicks, labelOffsets } from "./chart";

describe("niceTicks", () => {
  it("covers the range with round steps", () => {
    expect(niceTicks(96_412, 107_950, 5)).toEqual([96_000, 98_000, 100_000, 102_000, 104_000, 106_000, 108_000]);
    expect(niceTicks(0.13, 0.92, 4)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(100_000, 100_000)).toEqual([99_000, 99_500, 100_000, 100_500, 101_000]); // a flat line, padded by 1%
  });

  it("returns nothing for a range it cannot draw", () => {
    expect(niceTicks(NaN, 1)).toEqual([]);
    expect(niceTicks(1, Infinity)).toEqual([]);
  });

  it("always includes both ends, whatever the range (spot check over many ranges)", () => {
    for (let i = 1; i < 200; i++) {
      const lo = Math.sin(i) * 10 ** (i % 7);
      const hi = lo + Math.abs(Math.cos(i)) * 10 ** (i % 5) + 1e-3;
      const t = niceTicks(lo, hi, 5);
      expect(t[0]).toBeLessThanOrEqual(lo);
      expect(t.at(-1)).toBeGreaterThanOrEqual(hi);
      expect(t.length).toBeLessThanOrEqual(12);
    }
  });
});

describe("indexTicks", () => {
  it("spreads at most `max` ticks over the bars, first and last included", () => {
    expect(indexTicks(500, 5)).toEqual([0, 125, 250, 374, 499]);
    expect(indexTicks(3, 10)).toEqual([0, 1, 2]);
    expect(indexTicks(1, 5)).toEqual([0]);
    expect(indexTicks(0, 5)).toEqual([]);
    expect(indexTicks(100, 1)).toEqual([0]);
  });
});

describe("extent", () => {
  it("skips nulls", () => {
    expect(extent([[3, null, 1], [null, 7]])).toEqual([1, 7]);
    expect(extent([[null]])).toBeNull();
  });
});

describe("fractionalIndex", () => {
  const times = [100, 200, 400, 800];
  it("places an instant between the bars around it", () => {
    expect(fractionalIndex(times, 200)).toBe(1);
    expect(fractionalIndex(times, 300)).toBe(1.5);
    expect(fractionalIndex(times, 800)).toBe(3);
    expect(fractionalIndex(times, 100)).toBe(0);
  });
  it("is null outside the bars drawn", () => {
    expect(fractionalIndex(times, 99)).toBeNull();
    expect(fractionalIndex(times, 801)).toBeNull();
    expect(fractionalIndex([], 1)).toBeNull();
    expect(fractionalIndex(times, NaN)).toBeNull();
  });
});

describe("markersPath", () => {
  it("puts every marker of a kind in one path", () => {
    const d = markersPath([{ x: 10, y: 10 }, { x: 20, y: 10 }], "up", 5);
    expect(d.match(/M/g)).toHaveLength(2);
    expect(d.startsWith("M10.0,5.0")).toBe(true);
    expect(markersPath([], "diamond")).toBe("");
  });
});

describe("bars with gaps (a downsampled curve)", () => {
  it("finds the nearest bar drawn", () => {
    expect(nearestIndex([0, 4, 10], 6)).toBe(1);
    expect(nearestIndex([0, 4, 10], 8)).toBe(2);
    expect(nearestIndex([0, 4, 10], 7)).toBe(1); // a tie goes to the lower one
    expect(nearestIndex([0, 4, 10], -5)).toBe(0);
    expect(nearestIndex([0, 4, 10], 99)).toBe(2);
    expect(nearestIndex([], 1)).toBe(-1);
  });

  it("puts time ticks on bars drawn, spread over the span by bar number", () => {
    // Without gaps: the same as indexTicks.
    expect(barTicks([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 4)).toEqual(indexTicks(10, 4));
    // Points at bars 0, 1, 2, 3 and then 90…99 (a run kept 4 points, the next 10): the ticks follow the
    // bars' numbers, not the points' order (ticks at points 0, 3, 6, 9 would put 2 of 4 in bars 90-99).
    const bars = [0, 1, 2, 3, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99];
    expect(barTicks(bars, 4)).toEqual([0, 3, 90, 99]);
    expect(barTicks([], 4)).toEqual([]);
    expect(barTicks([7], 4)).toEqual([7]);
  });

  it("keeps time labels apart: ticks rounded to few bars would put two labels on each other", () => {
    // 5 daily bars on 604 px, labels 105 px wide: indexTicks(5, 4) gives bars 0, 1, 3, 4, and bar 1 is
    // 151 px from bar 0, whose label (starting at its tick) reaches 105 px, the next one's half 52.5 px.
    const x = (bar: number) => (bar / 4) * 604;
    expect(barTicks([0, 1, 2, 3, 4], 4)).toEqual([0, 1, 3, 4]);
    // Bar 1 is dropped, and bar 3 (151 px before the last label's end) gives way to the last.
    expect(spacedTicks([0, 1, 3, 4], x, 105, 16)).toEqual([0, 4]);
    expect(spacedTicks([0, 2, 4], x, 105, 16)).toEqual([0, 2, 4]);
    // So the axis asks for fewer ticks until none collide: 3 evenly spread, not 2.
    expect(fittingBarTicks([0, 1, 2, 3, 4], 4, x, 105, 16)).toEqual([0, 2, 4]);
    expect(fittingBarTicks([0, 1, 2, 3, 4], 4, (b) => b * 20, 105, 16)).toEqual([0]);
    const many = Array.from({ length: 390 }, (_, i) => i);
    expect(fittingBarTicks(many, 5, (b) => (b / 389) * 1000, 60, 16)).toEqual(barTicks(many, 5));
    // Too narrow for both ends: only the first; one tick or none as given.
    expect(spacedTicks([0, 4], (b) => b * 20, 105, 16)).toEqual([0]);
    expect(spacedTicks([7], x, 105, 16)).toEqual([7]);
    expect(spacedTicks([], x, 105, 16)).toEqual([]);
  });

  it("never lets two kept labels overlap, and keeps the first tick (property)", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 1_000 }), { minLength: 1, maxLength: 30 }).map((a) => a.sort((p, q) => p - q)),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 0, max: 40 }),
        fc.double({ min: 0.1, max: 5, noNaN: true }),
        (ticks, width, gap, scale) => {
          const x = (t: number) => t * scale;
          const kept = spacedTicks(ticks, x, width, gap);
          expect(kept[0]).toBe(ticks[0]);
          expect(kept.every((t) => ticks.includes(t))).toBe(true);
          // Each label's extent as drawn: first from its tick, last up to its tick, the others centred.
          const span = (i: number): [number, number] => {
            const at = x(kept[i]!);
            if (i === 0 && kept.length > 1) return [at, at + width];
            if (i === kept.length - 1 && i > 0) return [at - width, at];
            return [at - width / 2, at + width / 2];
          };
          for (let i = 1; i < kept.length; i++) expect(span(i)[0] - span(i - 1)[1]).toBeGreaterThanOrEqual(gap - 1e-9);
        },
      ),
    );
  });

  it("places an instant at its fractional bar number between the points around it", () => {
    const times = [0, 100, 200];
    expect(barPosition(times, [0, 10, 40], 150)).toBe(25);
    expect(barPosition(times, [0, 10, 40], 200)).toBe(40);
    expect(barPosition(times, [0, 10, 40], 0)).toBe(0);
    expect(barPosition(times, [0, 10, 40], 250)).toBeNull();
  });
});

describe("labelOffsets", () => {
  it("moves a label down only as far as it must to keep its distance from the one above it", () => {
    // axis 50–100 over 200 px: 4 px a dollar. 95 and 60 are clear; 51.02 is 0.08 px under 51.023 (gap 12 px).
    const offsets = labelOffsets([95, 51.023, 60, 51.02], 50, 100, 200, 12);
    expect(offsets[0]).toBe(0);
    expect(offsets[2]).toBe(0);
    expect(offsets[1]).toBe(0);
    expect(offsets[3]).toBeCloseTo(12 - 0.012, 6);
  });
  it("pushes a run of close labels down one after another, and leaves a flat axis at 0", () => {
    expect(labelOffsets([70, 70, 70], 50, 100, 200, 10)).toEqual([0, 10, 20]);
    expect(labelOffsets([70, 70], 70, 70, 200, 10)).toEqual([0, 10]);
  });
});
