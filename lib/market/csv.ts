import { parse } from "csv-parse/sync";
import { symbolProblem } from "@/lib/engine/instrument";
import { checkOhlcv, cut, SeriesTracker } from "./bar-checks";
import { csvStart } from "./csv-time";
import { ProblemList } from "./errors";
import { requireInterval } from "./intervals";
import { sortBars, type ParsedBars } from "./parsed-bars";
import type { Bar } from "./types";

export const CSV_COLUMNS = ["symbol", "time", "open", "high", "low", "close", "volume"] as const;
type Column = (typeof CSV_COLUMNS)[number];

export interface CsvOptions {
  /** The interval of every bar in the file: "day", "hour" or "minute" (anything else throws INVALID_REQUEST). */
  interval: string;
  fileName?: string;
  /** Stored as Bar.source; default "csv". */
  source?: string;
}

interface CsvRow {
  record: string[];
  info: { lines: number };
}

function lineOfCsvError(err: unknown): number {
  const lines = (err as { lines?: unknown } | undefined)?.lines;
  return typeof lines === "number" && lines > 0 ? lines : 1;
}

/**
 * Parses a CSV of bars with the header symbol,time,open,high,low,close,volume (any order, extra
 * columns ignored). Validates every row and throws one ImportError listing every problem by line.
 * A row with an open and nothing else is the open-only bar in progress (allowed as the newest bar).
 */
export function parseBarsCsv(text: string, options: CsvOptions): ParsedBars {
  const interval = requireInterval(options.interval);
  const source = options.source ?? "csv";
  const problems = new ProblemList();
  let rows: CsvRow[] = [];
  try {
    rows = parse(text, {
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (err) => {
        problems.add(lineOfCsvError(err), `unreadable CSV: ${err?.message ?? "invalid record"}`);
        return undefined;
      },
    }) as unknown as CsvRow[];
  } catch (e) {
    problems.add(lineOfCsvError(e), `unreadable CSV: ${e instanceof Error ? e.message : String(e)}`);
  }
  const [header, ...body] = rows;
  if (!header) {
    problems.add(1, `empty file: expected the header ${CSV_COLUMNS.join(",")}`);
    problems.throwIfAny(options.fileName);
    return { bars: [], symbols: [] };
  }
  const names = header.record.map((h) => h.trim().toLowerCase());
  const index = {} as Record<Column, number>;
  const missing = CSV_COLUMNS.filter((c) => (index[c] = names.indexOf(c)) < 0);
  if (missing.length > 0) {
    problems.add(header.info.lines, `header lacks ${missing.join(", ")}: expected ${CSV_COLUMNS.join(",")}`);
    problems.throwIfAny(options.fileName);
  }

  const tracker = new SeriesTracker();
  const bars: Bar[] = [];
  const cell = (row: CsvRow, c: Column): string | undefined => row.record[index[c]];
  for (const row of body) {
    const line = row.info.lines;
    if (row.record.length !== names.length) {
      problems.add(line, `expected ${names.length} fields, found ${row.record.length}`);
      continue;
    }
    const symbol = (cell(row, "symbol") ?? "").trim();
    const time = cell(row, "time") ?? "";
    const symbolError = symbol === "" ? "missing symbol" : symbolProblem(symbol);
    const symbolOk = symbolError === null;
    if (!symbolOk) problems.add(line, symbolError);
    const start = csvStart(time, interval);
    if (typeof start === "string") problems.add(line, start);
    const checked = checkOhlcv({
      open: cell(row, "open"),
      high: cell(row, "high"),
      low: cell(row, "low"),
      close: cell(row, "close"),
      volume: cell(row, "volume"),
    });
    if ("errors" in checked) for (const message of checked.errors) problems.add(line, `${cut(symbol)} ${cut(time)}: ${message}`);
    if (typeof start === "string" || "errors" in checked || !symbolOk) continue;
    const openOnly = checked.value.close === null;
    if (!tracker.add(problems, symbol, interval, start, { line, label: time.trim(), openOnly })) continue;
    bars.push({ symbol, interval, start: new Date(start), ...checked.value, source, derived: false });
  }
  tracker.checkOpenOnlyIsNewest(problems);
  if (bars.length === 0 && problems.isEmpty) problems.add(1, "no bars found after the header");
  problems.throwIfAny(options.fileName);
  return sortBars(bars);
}
