import type { Bar } from "./types";

/** What an importer's parse returns: validated bars, ordered by symbol then start, and their symbols. */
export interface ParsedBars {
  bars: Bar[];
  symbols: string[];
}

export function compareBars(a: Bar, b: Bar): number {
  if (a.symbol !== b.symbol) return a.symbol < b.symbol ? -1 : 1;
  return a.start.getTime() - b.start.getTime();
}

/** Sorts in place by symbol then start and lists the distinct symbols. */
export function sortBars(bars: Bar[]): ParsedBars {
  bars.sort(compareBars);
  const symbols: string[] = [];
  for (const b of bars) if (symbols[symbols.length - 1] !== b.symbol) symbols.push(b.symbol);
  return { bars, symbols };
}
