import { ATR, BollingerBands, EMA, MACD, RSI, SMA, VWAP } from "trading-signals";
import {
  DEFAULT_INDICATOR_VALUES,
  type BarInterval,
  type IndicatorOutput,
  type IndicatorSpec,
  type IndicatorsOutput,
} from "@/lib/agent/tool-contract";
import { nyDayOf, type Bar } from "@/lib/market";
import { ToolError } from "./errors";

/**
 * get_indicators' arithmetic: the contract's indicator specs over CLOSED bars (oldest first, as the market
 * view's gate returns them), computed by trading-signals (docs/agent.md says why that library), never here.
 * Pure: no clock, no database; what the bars are is the caller's (the tool asks the market view at the clock).
 *
 * Conventions, as the library has them: RSI and ATR use Wilder's smoothing seeded with a simple average
 * (StockCharts' tables); EMA (and so MACD) is seeded with the first close, as Tulip Indicators does, so its
 * earliest values depend on where the bars start: computed from up to 500 bars, the seed has faded.
 */

type Row = { t: string } & Record<string, number>;

/** A closed bar as the indicators read it. */
export interface IndicatorBar {
  t: string;
  high: number;
  low: number;
  close: number;
  volume: number;
  /** New York calendar day of the bar's start: VWAP's session day. */
  day: string;
}

export function indicatorBars(bars: readonly Bar[]): IndicatorBar[] {
  const out: IndicatorBar[] = [];
  for (const b of bars) {
    // The gate returns closed bars only, which have every field; skip anything else rather than invent it.
    if (b.high === null || b.low === null || b.close === null || b.volume === null) continue;
    out.push({ t: b.start.toISOString(), high: b.high, low: b.low, close: b.close, volume: b.volume, day: nyDayOf(b.start) });
  }
  return out;
}

/** One indicator resolved: defaults filled in, how many bars its first value needs, its values per bar (null before then). */
interface Resolved {
  name: IndicatorSpec["name"];
  label: string;
  params: Record<string, number>;
  needs: number;
  digits: number;
  series(bars: readonly IndicatorBar[], opts: { firstDayPartial: boolean }): (Record<string, number> | null)[];
}

const closes = (bars: readonly IndicatorBar[]) => bars.map((b) => b.close);

/** The spec with its defaults, or a rejection the model can act on. */
export function resolveIndicator(spec: IndicatorSpec, interval: BarInterval): Resolved {
  switch (spec.name) {
    case "sma": {
      const period = spec.period ?? 20;
      return {
        name: "sma", label: `SMA(${period})`, params: { period }, needs: period, digits: 4,
        series: (bars) => { const sma = new SMA(period); return closes(bars).map((c) => one(sma.add(c))); },
      };
    }
    case "ema": {
      const period = spec.period ?? 20;
      return {
        name: "ema", label: `EMA(${period})`, params: { period }, needs: period, digits: 4,
        series: (bars) => { const ema = new EMA(period); return closes(bars).map((c) => { const v = ema.add(c); return ema.isStable ? one(v) : null; }); },
      };
    }
    case "rsi": {
      const period = spec.period ?? 14;
      return {
        name: "rsi", label: `RSI(${period})`, params: { period }, needs: period + 1, digits: 2,
        series: (bars) => { const rsi = new RSI(period); return closes(bars).map((c) => one(rsi.add(c))); },
      };
    }
    case "macd": {
      const fast = spec.fast ?? 12;
      const slow = spec.slow ?? 26;
      const signal = spec.signal ?? 9;
      if (fast >= slow) throw new ToolError("INVALID_ARGUMENTS", `macd needs fast < slow (got fast ${fast}, slow ${slow}); e.g. fast 12, slow 26; nothing was computed`);
      return {
        // The library gives a first value at `slow` bars; the signal line means something once it has `signal` of them.
        name: "macd", label: `MACD(${fast},${slow},${signal})`, params: { fast, slow, signal }, needs: slow + signal - 1, digits: 4,
        series: (bars) => {
          const macd = new MACD(new EMA(fast), new EMA(slow), new EMA(signal));
          let seen = 0;
          return closes(bars).map((c) => {
            const r = macd.add(c);
            if (r === null || ++seen < signal) return null;
            return { macd: r.macd, signal: r.signal, histogram: r.histogram };
          });
        },
      };
    }
    case "bollinger": {
      const period = spec.period ?? 20;
      const stdDev = spec.stdDev ?? 2;
      return {
        name: "bollinger", label: `BB(${period},${stdDev})`, params: { period, stdDev }, needs: period, digits: 4,
        series: (bars) => {
          const bb = new BollingerBands(period, stdDev);
          return closes(bars).map((c) => { const r = bb.add(c); return r === null ? null : { upper: r.upper, middle: r.middle, lower: r.lower }; });
        },
      };
    }
    case "atr": {
      const period = spec.period ?? 14;
      return {
        name: "atr", label: `ATR(${period})`, params: { period }, needs: period, digits: 4,
        series: (bars) => { const atr = new ATR(period); return bars.map((b) => one(atr.add({ high: b.high, low: b.low, close: b.close }))); },
      };
    }
    case "vwap": {
      if (interval === "day") {
        throw new ToolError(
          "INVALID_ARGUMENTS",
          'vwap is the session day\'s volume-weighted average price, built from that day\'s intraday bars: ask with interval "hour" or "minute" (a daily bar\'s VWAP would only be its own typical price); nothing was computed',
        );
      }
      return {
        name: "vwap", label: "VWAP(session day)", params: {}, needs: 1, digits: 4,
        series: (bars, { firstDayPartial }) => {
          // A new VWAP each New York day, fed that day's bars: typical price (h+l+c)/3 weighted by volume.
          let vwap = new VWAP();
          return bars.map((b, i) => {
            if (i > 0 && b.day !== bars[i - 1]!.day) vwap = new VWAP();
            const v = vwap.add({ high: b.high, low: b.low, close: b.close, volume: b.volume }); // null for a bar without volume
            return firstDayPartial && b.day === bars[0]!.day ? null : one(v);
          });
        },
      };
    }
  }
}

const one = (value: number | null): Record<string, number> | null => (value === null ? null : { value });

/** Rounded for a model to read: RSI to 2 decimals, prices and the rest to 4. */
function rounded(fields: Record<string, number>, digits: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = Number(v.toFixed(digits));
  return out;
}

export interface ComputeIndicatorsInput {
  symbol: string;
  interval: BarInterval;
  /** Closed bars, oldest first. */
  bars: readonly IndicatorBar[];
  indicators: readonly IndicatorSpec[];
  count?: number;
  /** True when `bars` may start inside a day (the lookback was cut): that day's VWAP is left out. */
  truncated?: boolean;
}

/** The tool's answer for these bars, or a ToolError naming what is missing (never a made-up value). */
export function computeIndicators(input: ComputeIndicatorsInput): IndicatorsOutput {
  const { symbol, interval, bars } = input;
  const count = input.count ?? DEFAULT_INDICATOR_VALUES;
  const resolved = input.indicators.map((spec) => resolveIndicator(spec, interval));
  const first = bars[0];
  const last = bars.at(-1);
  if (!first || !last) {
    throw new ToolError("NOT_ENOUGH_BARS", `no closed ${interval} bars of ${symbol} up to the clock yet, so no indicator can be computed; try another interval or later in the session`);
  }
  const short = resolved.filter((r) => r.needs > bars.length);
  if (short.length > 0) {
    throw new ToolError(
      "NOT_ENOUGH_BARS",
      `${short.map((r) => `${r.label} needs ${r.needs} closed bars`).join(", ")}, but ${symbol} has only ${bars.length} closed ${interval} bar${bars.length === 1 ? "" : "s"} up to the clock; ` +
        `use a period that fits in ${bars.length} bars${interval === "minute" ? "" : " or a finer interval"} (or ask again later); nothing was computed`,
    );
  }
  const firstDayPartial = input.truncated === true;
  const indicators: IndicatorOutput[] = resolved.map((r) => {
    const series = r.series(bars, { firstDayPartial });
    const values: IndicatorOutput["values"] = [];
    for (let i = series.length - 1; i >= 0 && values.length < count; i--) {
      const fields = series[i];
      if (fields) values.push({ t: bars[i]!.t, ...rounded(fields, r.digits) } as Row);
    }
    return { name: r.name, label: r.label, params: r.params, values: values.reverse() };
  });
  return { symbol, interval, bars: bars.length, from: first.t, to: last.t, lastClose: last.close, indicators };
}
