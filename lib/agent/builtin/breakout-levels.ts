import { ATR } from "trading-signals";
import type { BarOutput } from "../tool-contract";

/** Where a symbol stands for the breakout rule, from its closed bars (oldest first). */
export interface BreakoutLevels {
  /** The highest high of the last `lookback` closed bars: the top of the recent range. */
  rangeHigh: number;
  /** Average true range (Wilder) over `atrPeriod` bars, as of the last close. */
  atr: number;
  lastClose: number;
}

/**
 * The range high, the ATR and the last close; null while there are fewer bars than the range and the ATR need
 * (the ATR needs one bar more than its period: its first true range uses the close before). ATR by trading-signals,
 * the library get_indicators uses, not by hand.
 */
export function breakoutLevels(bars: readonly BarOutput[], lookback: number, atrPeriod: number): BreakoutLevels | null {
  if (bars.length < Math.max(lookback, atrPeriod + 1)) return null;
  const atr = new ATR(atrPeriod);
  let value: number | null = null;
  for (const b of bars) value = atr.add({ high: b.h, low: b.l, close: b.c }) ?? value;
  if (value === null || !(value > 0)) return null;
  const rangeHigh = Math.max(...bars.slice(-lookback).map((b) => b.h));
  return { rangeHigh, atr: value, lastClose: bars[bars.length - 1]!.c };
}

/** Dollars to the cent, up, down or to the nearest (order prices are sent with two decimals). */
export const centsUp = (x: number) => Math.ceil(Math.round(x * 1e6) / 1e4) / 100;
export const centsDown = (x: number) => Math.floor(Math.round(x * 1e6) / 1e4) / 100;
export const cents = (x: number) => Math.round(x * 100) / 100;
