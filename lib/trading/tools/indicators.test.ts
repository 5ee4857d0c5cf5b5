import { describe, expect, it } from "vitest";
import { toolInputSchemas, type IndicatorSpec, type IndicatorsOutput } from "@/lib/agent/tool-contract";
import { computeIndicators, type IndicatorBar } from "./indicators";

/**
 * The indicator adapter against PUBLISHED reference tables. Each table's inputs and outputs are copied from its
 * source (outputs as printed there, to 2 decimals); the adapter must reproduce every printed value.
 *
 * - StockCharts ChartSchool, "Relative Strength Index (RSI)", its spreadsheet cs-rsi.xls
 *   (https://school.stockcharts.com/doku.php?id=technical_indicators:relative_strength_index_rsi): RSI(14), Wilder's
 *   smoothing seeded with the 14-period average, the same method as Wilder's worked example in "New Concepts in
 *   Technical Trading Systems" (1978).
 * - StockCharts ChartSchool, "Moving Averages - Simple and Exponential", cs-movavg.xls
 *   (https://school.stockcharts.com/doku.php?id=technical_indicators:moving_averages): the 10-day SMA.
 * - StockCharts ChartSchool, "Bollinger Bands", cs-bollinger.xls
 *   (https://school.stockcharts.com/doku.php?id=technical_indicators:bollinger_bands): 20-day SMA ± 2 population
 *   standard deviations (middle and upper band printed there; the lower band is middle − (upper − middle)).
 * - StockCharts ChartSchool, "Average True Range (ATR)", cs-atr.xls
 *   (https://school.stockcharts.com/doku.php?id=technical_indicators:average_true_range_atr): ATR(14), first TR =
 *   high − low, first ATR the 14-bar average, then Wilder's smoothing.
 * - Tulip Indicators, https://tulipindicators.org/ema and https://tulipindicators.org/macd: EMA(5) and MACD(2,5,9)
 *   on its 15-close example. Tulip seeds an EMA with the first close, as trading-signals does (StockCharts seeds
 *   with a simple average, so its early EMA values differ by design; its EMA table is not used here).
 */

const DAY_MS = 86_400_000;
const T0 = Date.UTC(2025, 0, 1, 14, 30);

/** Daily bars from closes (or high/low/close), one a day from T0. */
function bars(rows: readonly (number | readonly [number, number, number])[], volume = 1_000): IndicatorBar[] {
  return rows.map((r, i) => {
    const [high, low, close] = typeof r === "number" ? [r, r, r] : r;
    const t = new Date(T0 + i * DAY_MS);
    return { t: t.toISOString(), high, low, close, volume, day: t.toISOString().slice(0, 10) };
  });
}

function compute(rows: IndicatorBar[], indicators: IndicatorSpec[], count = 30, interval: "day" | "hour" | "minute" = "day"): IndicatorsOutput {
  return computeIndicators({ symbol: "TEST", interval, bars: rows, indicators, count });
}

/** Values of one field, the last `n` of them. */
const field = (out: IndicatorsOutput, i: number, name: string) => out.indicators[i]!.values.map((v) => v[name] as number);
const fixed2 = (xs: readonly number[]) => xs.map((x) => x.toFixed(2));

// ---- StockCharts cs-rsi.xls -----------------------------------------------------------------------------------
const RSI_CLOSES = [
  44.3389, 44.0902, 44.1497, 43.6124, 44.3278, 44.8264, 45.0955, 45.4245, 45.8433, 46.0826, 45.8931, 46.0328, 45.614,
  46.282, 46.282, 46.0028, 46.0328, 46.4116, 46.2222, 45.6439, 46.2122, 46.2521, 45.7137, 46.4515, 45.7835, 45.3548,
  44.0288, 44.1783, 44.2181, 44.5672, 43.4205, 42.6628, 43.1314,
];
const RSI_14 = [
  70.53, 66.32, 66.55, 69.41, 66.36, 57.97, 62.93, 63.26, 56.06, 62.38, 54.71, 50.42, 39.99, 41.46, 41.87, 45.46, 37.3,
  33.08, 37.77,
];

// ---- StockCharts cs-movavg.xls ----------------------------------------------------------------------------------
const MA_CLOSES = [
  22.2734, 22.194, 22.0847, 22.1741, 22.184, 22.1344, 22.2337, 22.4323, 22.2436, 22.2933, 22.1542, 22.3926, 22.3816,
  22.6109, 23.3558, 24.0519, 23.753, 23.8324, 23.9516, 23.6338, 23.8225, 23.8722, 23.6537, 23.187, 23.0976, 23.326,
  22.6805, 23.0976, 22.4025, 22.1725,
];
const SMA_10 = [
  22.22, 22.21, 22.23, 22.26, 22.31, 22.42, 22.61, 22.77, 22.91, 23.08, 23.21, 23.38, 23.53, 23.65, 23.71, 23.69, 23.61,
  23.51, 23.43, 23.28, 23.13,
];

// ---- StockCharts cs-bollinger.xls -------------------------------------------------------------------------------
const BB_CLOSES = [
  86.1557, 89.0867, 88.7829, 90.3228, 89.0671, 91.1453, 89.4397, 89.175, 86.9302, 87.6752, 86.9596, 89.4299, 89.3221,
  88.7241, 87.4497, 87.2634, 89.4985, 87.9006, 89.126, 90.7043, 92.9001, 92.9784, 91.8021, 92.6647, 92.6843, 92.3021,
  92.7725, 92.5373, 92.949, 93.2039, 91.0669, 89.8318, 89.7435, 90.3994, 90.7387, 88.0177, 88.0867, 88.8439, 90.7781,
  90.5416, 91.3894, 90.65,
];
const BB_MIDDLE = [
  88.71, 89.05, 89.24, 89.39, 89.51, 89.69, 89.75, 89.91, 90.08, 90.38, 90.66, 90.86, 90.88, 90.91, 90.99, 91.15, 91.19,
  91.12, 91.17, 91.25, 91.24, 91.17, 91.05,
];
const BB_UPPER = [
  91.29, 91.95, 92.61, 92.93, 93.31, 93.73, 93.9, 94.27, 94.57, 94.79, 95.04, 94.91, 94.9, 94.9, 94.86, 94.67, 94.56,
  94.68, 94.58, 94.53, 94.53, 94.37, 94.15,
];

// ---- StockCharts cs-atr.xls (high, low, close) -------------------------------------------------------------------
const ATR_HLC: [number, number, number][] = [
  [48.7, 47.79, 48.16], [48.72, 48.14, 48.61], [48.9, 48.39, 48.75], [48.87, 48.37, 48.63], [48.82, 48.24, 48.74],
  [49.05, 48.635, 49.03], [49.2, 48.94, 49.07], [49.35, 48.86, 49.32], [49.92, 49.5, 49.91], [50.19, 49.87, 50.13],
  [50.12, 49.2, 49.53], [49.66, 48.9, 49.5], [49.88, 49.43, 49.75], [50.19, 49.725, 50.03], [50.36, 49.26, 50.31],
  [50.57, 50.09, 50.52], [50.65, 50.3, 50.41], [50.43, 49.21, 49.34], [49.63, 48.98, 49.37], [50.33, 49.61, 50.23],
  [50.29, 49.2, 49.2375], [50.17, 49.43, 49.925], [49.32, 48.08, 48.4275], [48.5, 47.64, 48.135], [48.3201, 41.55, 46.5651],
  [46.8, 44.2833, 45.41], [47.8, 47.31, 47.77], [48.39, 47.2, 47.72], [48.66, 47.9, 48.62], [48.79, 47.7301, 47.85],
];
const ATR_14 = [0.56, 0.59, 0.59, 0.57, 0.62, 0.62, 0.64, 0.67, 0.69, 0.78, 0.78, 1.21, 1.3, 1.38, 1.37, 1.34, 1.32];

// ---- Tulip Indicators example ------------------------------------------------------------------------------------
const TULIP_CLOSES = [81.59, 81.06, 82.87, 83.0, 83.61, 83.15, 82.84, 83.99, 84.55, 84.36, 85.53, 86.54, 86.89, 87.77, 87.29];
const TULIP_EMA_5 = [82.71, 82.86, 82.85, 83.23, 83.67, 83.9, 84.44, 85.14, 85.73, 86.41, 86.7];
// MACD(2,5,9) from the 5th close on: macd, signal, histogram.
const TULIP_MACD = [0.62, 0.35, 0.11, 0.42, 0.58, 0.42, 0.68, 0.93, 0.89, 0.98, 0.62];
const TULIP_MACD_SIGNAL = [0.62, 0.56, 0.47, 0.46, 0.49, 0.47, 0.52, 0.6, 0.66, 0.72, 0.7];
const TULIP_MACD_HISTOGRAM = [0.0, -0.21, -0.36, -0.05, 0.09, -0.05, 0.17, 0.33, 0.24, 0.26, -0.08];

describe("get_indicators' arithmetic against published tables", () => {
  it("RSI(14): StockCharts' RSI table (Wilder's method), every value", () => {
    const out = compute(bars(RSI_CLOSES), [{ name: "rsi" }]);
    expect(out.indicators[0]).toMatchObject({ name: "rsi", label: "RSI(14)", params: { period: 14 } });
    expect(fixed2(field(out, 0, "value"))).toEqual(fixed2(RSI_14));
    // Each value carries its bar: the first RSI is at the 15th close.
    expect(out.indicators[0]!.values[0]!.t).toBe(new Date(T0 + 14 * DAY_MS).toISOString());
  });

  it("SMA(10): StockCharts' moving-average table", () => {
    const out = compute(bars(MA_CLOSES), [{ name: "sma", period: 10 }]);
    expect(fixed2(field(out, 0, "value"))).toEqual(fixed2(SMA_10));
  });

  it("Bollinger(20, 2): StockCharts' bands table; the lower band mirrors the upper", () => {
    const out = compute(bars(BB_CLOSES), [{ name: "bollinger" }]);
    expect(out.indicators[0]).toMatchObject({ label: "BB(20,2)", params: { period: 20, stdDev: 2 } });
    expect(fixed2(field(out, 0, "middle"))).toEqual(fixed2(BB_MIDDLE));
    expect(fixed2(field(out, 0, "upper"))).toEqual(fixed2(BB_UPPER));
    for (const v of out.indicators[0]!.values) expect(v.lower!).toBeCloseTo(2 * v.middle! - v.upper!, 3);
  });

  it("ATR(14): StockCharts' ATR table", () => {
    const out = compute(bars(ATR_HLC), [{ name: "atr" }]);
    expect(fixed2(field(out, 0, "value"))).toEqual(fixed2(ATR_14));
  });

  it("EMA(5) and MACD(2,5,9): Tulip Indicators' tables", () => {
    const out = compute(bars(TULIP_CLOSES), [{ name: "ema", period: 5 }, { name: "macd", fast: 2, slow: 5, signal: 9 }]);
    expect(fixed2(field(out, 0, "value"))).toEqual(fixed2(TULIP_EMA_5));
    // The tool gives MACD once its signal line has 9 values (before that the signal is mostly its seed): Tulip's
    // table from its 9th MACD value on, which depends on every close before it.
    const from = 9 - 1;
    expect(fixed2(field(out, 1, "macd"))).toEqual(fixed2(TULIP_MACD.slice(from)));
    expect(fixed2(field(out, 1, "signal"))).toEqual(fixed2(TULIP_MACD_SIGNAL.slice(from)));
    expect(fixed2(field(out, 1, "histogram"))).toEqual(fixed2(TULIP_MACD_HISTOGRAM.slice(from)));
  });
});

describe("get_indicators' answer", () => {
  it("gives the latest `count` values oldest first, rounded, with the bars it used and the last close", () => {
    const rows = bars(RSI_CLOSES);
    const out = compute(rows, [{ name: "rsi" }, { name: "sma", period: 10 }], 3);
    expect(out).toMatchObject({ symbol: "TEST", interval: "day", bars: 33, from: rows[0]!.t, to: rows.at(-1)!.t, lastClose: 43.1314 });
    expect(out.indicators[0]!.values).toEqual(rows.slice(-3).map((b, i) => ({ t: b.t, value: RSI_14.slice(-3)[i] })));
    const sma = out.indicators[1]!.values;
    expect(sma.map((v) => v.t)).toEqual(rows.slice(-3).map((b) => b.t));
    for (const v of sma) expect(v.value).toBe(Number(v.value!.toFixed(4))); // 4 decimals at most
    expect(computeIndicators({ symbol: "TEST", interval: "day", bars: rows, indicators: [{ name: "rsi" }] }).indicators[0]!.values).toHaveLength(5);
  });

  it("VWAP: per New York session day from the day's intraday bars, typical price weighted by volume", () => {
    const hour = (iso: string, high: number, low: number, close: number, volume: number): IndicatorBar => ({ t: iso, high, low, close, volume, day: iso.slice(0, 10) });
    const rows = [
      hour("2025-10-01T13:30:00.000Z", 12, 9, 9, 100), // typical 10
      hour("2025-10-01T14:30:00.000Z", 13, 11, 12, 300), // typical 12
      hour("2025-10-02T13:30:00.000Z", 21, 19, 20, 50), // a new day starts again
      hour("2025-10-02T14:30:00.000Z", 30, 30, 30, 0), // no volume: no value
    ];
    const out = compute(rows, [{ name: "vwap" }], 10, "hour");
    expect(out.indicators[0]).toMatchObject({ label: "VWAP(session day)", params: {} });
    expect(out.indicators[0]!.values).toEqual([
      { t: rows[0]!.t, value: 10 },
      { t: rows[1]!.t, value: 11.5 }, // (10·100 + 12·300) / 400
      { t: rows[2]!.t, value: 20 },
    ]);
    // When the lookback was cut, the first day may be partial: its VWAP is left out rather than understated.
    const cut = computeIndicators({ symbol: "TEST", interval: "hour", bars: rows, indicators: [{ name: "vwap" }], count: 10, truncated: true });
    expect(cut.indicators[0]!.values).toEqual([{ t: rows[2]!.t, value: 20 }]);
  });
});

describe("get_indicators refuses what it cannot answer, in words a model can act on", () => {
  const rows = bars(RSI_CLOSES.slice(0, 10));

  it("a period longer than the bars up to the clock: NOT_ENOUGH_BARS naming what each needs and what there is", () => {
    expect(() => compute(rows, [{ name: "rsi" }])).toThrow(
      /^NOT_ENOUGH_BARS: RSI\(14\) needs 15 closed bars, but TEST has only 10 closed day bars up to the clock; use a period that fits in 10 bars/,
    );
    expect(() => compute(rows, [{ name: "sma", period: 5 }, { name: "macd" }, { name: "atr", period: 11 }])).toThrow(/MACD\(12,26,9\) needs 34 closed bars, ATR\(11\) needs 11 closed bars/);
    expect(() => compute([], [{ name: "sma" }])).toThrow(/^NOT_ENOUGH_BARS: no closed day bars of TEST up to the clock yet/);
    expect(compute(rows, [{ name: "rsi", period: 9 }]).indicators[0]!.values).toHaveLength(1);
    // A finer interval has more bars: suggested, except for minute bars, the finest there is.
    expect(() => compute(rows, [{ name: "rsi" }])).toThrow(/use a period that fits in 10 bars or a finer interval \(or ask again later\)/);
    expect(() => compute(rows, [{ name: "rsi" }], 30, "minute")).toThrow(/use a period that fits in 10 bars \(or ask again later\)/);
  });

  it("MACD with fast ≥ slow, and VWAP on daily bars", () => {
    expect(() => compute(bars(TULIP_CLOSES), [{ name: "macd", fast: 26, slow: 12 }])).toThrow(/^INVALID_ARGUMENTS: macd needs fast < slow \(got fast 26, slow 12\)/);
    expect(() => compute(bars(TULIP_CLOSES), [{ name: "vwap" }])).toThrow(/^INVALID_ARGUMENTS: vwap is the session day's volume-weighted average price.*ask with interval "hour" or "minute"/);
  });

  it("the contract refuses unknown indicators and periods that are 0, negative, NaN, fractional or huge, naming the field", () => {
    const issues = (indicators: unknown[], extra: object = {}) => {
      const r = toolInputSchemas.get_indicators.safeParse({ symbol: "AAPL", indicators, ...extra });
      return r.success ? "ok" : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    };
    expect(issues([{ name: "rsi" }, { name: "macd", fast: 5, slow: 35, signal: 5 }, { name: "bollinger", period: 10, stdDev: 2.5 }, { name: "vwap" }])).toBe("ok");
    expect(issues([{ name: "stochastic" }])).toBe("indicators.0.name: name must be one of sma, ema, rsi, macd, bollinger, atr, vwap");
    expect(issues([{ name: "rsi", period: 0 }])).toBe("indicators.0.period: a period is at least 2 bars");
    expect(issues([{ name: "sma", period: -20 }])).toBe("indicators.0.period: a period is at least 2 bars");
    expect(issues([{ name: "ema", period: Number.NaN }])).toMatch(/^indicators\.0\.period: .*expected number, received NaN/);
    expect(issues([{ name: "ema", period: 2.5 }])).toBe("indicators.0.period: a period is a whole number of bars");
    expect(issues([{ name: "atr", period: 1e9 }])).toBe("indicators.0.period: a period is at most 200 bars");
    expect(issues([{ name: "bollinger", stdDev: 0 }])).toMatch(/^indicators\.0\.stdDev: /);
    // A parameter another indicator takes is refused, naming what this one takes; an unknown one too.
    expect(issues([{ name: "macd", period: 14 }])).toBe("indicators.0.period: macd takes fast, slow, signal, not period");
    expect(issues([{ name: "rsi", fast: 3 }])).toBe("indicators.0.fast: rsi takes period, not fast");
    expect(issues([{ name: "vwap", period: 20 }])).toBe("indicators.0.period: vwap takes no parameters, not period");
    expect(issues([{ name: "sma", period: 50, stdDev: 2 }])).toBe("indicators.0.stdDev: sma takes period, not stdDev");
    expect(issues([{ name: "sma", length: 50 }])).toMatch(/^indicators\.0: Unrecognized key: "length"/);
    expect(issues([])).toBe("indicators: ask for at least one indicator");
    expect(issues(Array(9).fill({ name: "sma" }))).toBe("indicators: at most 8 indicators per call");
    expect(issues([{ name: "sma" }], { count: 0 })).toMatch(/^count: /);
    expect(issues([{ name: "sma" }], { count: 31 })).toMatch(/^count: /);
    expect(issues([{ name: "sma" }], { interval: "week" })).toMatch(/^interval: /);
  });
});
