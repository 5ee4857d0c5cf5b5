import "server-only";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Db } from "@/lib/db/client";
import { deleteDerivedDays, insertBars, insertInstruments, selectBars } from "@/lib/db/queries/bars";
import { aggregateDaily, decodeBarFile, nyDayOf, parseAlphaVantage, parseBarsCsv, type Bar, type ParsedBars } from "@/lib/market";

export interface ImportOptions {
  /** CSV files only: the interval of every row. */
  interval?: string;
  /** Also store daily bars aggregated from the file's hourly or minute bars (derived: true). */
  deriveDaily?: boolean;
}

export interface ImportReport {
  file: string;
  symbols: number;
  bars: number;
  inserted: number;
  unchanged: number;
  derivedDaily: number;
}

/** Parses by file type; throws ImportError (every problem with its line) before anything is written. */
export function parseBarsFile(fileName: string, text: string, options: ImportOptions = {}): ParsedBars {
  if (fileName.toLowerCase().endsWith(".csv")) return parseBarsCsv(text, { interval: options.interval ?? "", fileName });
  return parseAlphaVantage(text, { fileName });
}

/**
 * Imports one file in one transaction: all of it or nothing. Re-importing changes nothing: bars that
 * exist (same symbol, interval and start) are kept. Derived daily bars fill only sessions without one,
 * and a file's own daily bar replaces a derived one.
 */
export async function importBarsFile(db: Db, filePath: string, options: ImportOptions = {}): Promise<ImportReport> {
  const fileName = path.basename(filePath);
  const parsed = parseBarsFile(fileName, decodeBarFile(await readFile(filePath), fileName), options);
  const daily = options.deriveDaily ? aggregateDaily(parsed.bars.filter((b) => b.interval !== "day")) : [];
  return db.transaction(async (tx) => {
    const source = parsed.bars[0]?.source ?? "import";
    await insertInstruments(
      tx,
      parsed.symbols.map((symbol) => ({ symbol, name: symbol, exchange: "", assetClass: assetClassOf(symbol), source })),
    );
    const fileDays = parsed.bars.filter((b) => b.interval === "day" && !b.derived);
    await deleteDerivedDays(tx, fileDays.map((b) => ({ symbol: b.symbol, day: nyDayOf(b.start) })));
    const inserted = await insertBars(tx, parsed.bars.map(toRow));
    const derivedDaily = await insertBars(tx, (await withoutExistingDays(tx, daily)).map(toRow));
    return {
      file: fileName,
      symbols: parsed.symbols.length,
      bars: parsed.bars.length,
      inserted,
      unchanged: parsed.bars.length - inserted,
      derivedDaily,
    };
  });
}

/** Derived day bars start at their first input bar, not the session open: keep one per (symbol, day). */
async function withoutExistingDays(tx: Parameters<Parameters<Db["transaction"]>[0]>[0], daily: Bar[]): Promise<Bar[]> {
  if (daily.length === 0) return daily;
  const times = daily.map((b) => b.start.getTime());
  const existing = await selectBars(tx, {
    symbols: [...new Set(daily.map((b) => b.symbol))],
    interval: "day",
    from: new Date(Math.min(...times) - 86_400_000),
    to: new Date(Math.max(...times) + 86_400_000),
  });
  const taken = new Set(existing.map((b) => `${b.symbol}|${nyDayOf(b.start)}`));
  return daily.filter((b) => !taken.has(`${b.symbol}|${nyDayOf(b.start)}`));
}

const assetClassOf = (symbol: string) => (/-USDT?$/.test(symbol) ? "crypto" : "equity");

export function toRow(b: Bar) {
  return {
    symbol: b.symbol,
    interval: b.interval,
    start: b.start,
    open: b.open,
    high: b.high,
    low: b.low,
    close: b.close,
    volume: b.volume,
    source: b.source,
    derived: b.derived,
  };
}
