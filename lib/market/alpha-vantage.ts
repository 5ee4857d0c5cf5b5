import { quoteCut, symbolProblem } from "@/lib/engine/instrument";
import { checkOhlcv, cut, SeriesTracker } from "./bar-checks";
import { alphaVantageStart, type SourceZone } from "./alpha-vantage-time";
import { ProblemList } from "./errors";
import { secondLevelKeys, type KeyOccurrence } from "./json-keys";
import type { ParsedBars } from "./parsed-bars";
import { sortBars } from "./parsed-bars";
import type { Bar, Interval } from "./types";

export interface AlphaVantageOptions {
  fileName?: string;
  /** 'jsonl': one JSON object per line; 'json': the whole text is one object. Default: from the file
   * name's extension, else 'json' when the whole text parses as one object, else 'jsonl'. */
  format?: "jsonl" | "json";
}

const SERIES_INTERVALS: Readonly<Record<string, Interval>> = {
  "Time Series (Daily)": "day",
  "Time Series (60min)": "hour",
  "Time Series (1min)": "minute",
};

/** Alpha Vantage names both ways: "1. open" (standard) and "1. buy price" (the AI-Trader dumps). */
const FIELDS = {
  open: ["1. open", "1. buy price"],
  high: ["2. high"],
  low: ["3. low"],
  close: ["4. close", "4. sell price"],
  volume: ["5. volume"],
} as const;

interface Context {
  problems: ProblemList;
  tracker: SeriesTracker;
  bars: Bar[];
  startCache: Map<string, number>;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function field(entry: Record<string, unknown>, names: readonly string[]): unknown {
  for (const n of names) if (n in entry) return entry[n];
  return undefined;
}

function jsonErrorLine(e: unknown, firstLine: number): number {
  const m = /\(line (\d+) column \d+\)/.exec(e instanceof Error ? e.message : "");
  return m ? firstLine + Number(m[1]) - 1 : firstLine;
}

function zoneOf(meta: Record<string, unknown>): SourceZone | string {
  const key = Object.keys(meta).find((k) => k.endsWith("Time Zone"));
  const zone = key === undefined ? "US/Eastern" : meta[key];
  if (zone === "US/Eastern" || zone === "America/New_York") return "new-york";
  if (zone === "UTC") return "utc";
  return `unsupported time zone ${typeof zone === "string" ? quoteCut(zone) : cut(String(JSON.stringify(zone)))} (expected "US/Eastern" or "UTC")`;
}

/** Parses one Alpha Vantage object (a JSONL line, or a whole .json file) starting at `firstLine`. */
function parseObject(text: string, firstLine: number, ctx: Context): void {
  const { problems } = ctx;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    problems.add(jsonErrorLine(e, firstLine), `malformed JSON: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  const meta = isObject(doc) ? doc["Meta Data"] : undefined;
  if (!isObject(doc) || !isObject(meta)) {
    problems.add(firstLine, 'expected a JSON object with "Meta Data" and a "Time Series (…)" object');
    return;
  }
  const raw = meta["2. Symbol"];
  if (typeof raw !== "string" || raw.trim() === "") {
    problems.add(firstLine, 'missing "Meta Data" → "2. Symbol"');
    return;
  }
  const symbol = raw.trim();
  const badSymbol = symbolProblem(symbol);
  if (badSymbol) {
    problems.add(firstLine, `"Meta Data" → "2. Symbol": ${badSymbol}`);
    return;
  }
  const zone = zoneOf(meta);
  if (zone !== "new-york" && zone !== "utc") {
    problems.add(firstLine, `${symbol}: ${zone}`);
    return;
  }
  const seriesKeys = Object.keys(doc).filter((k) => k.startsWith("Time Series"));
  if (seriesKeys.length === 0) problems.add(firstLine, `${symbol}: no "Time Series (…)" object`);
  const keyLines = secondLevelKeys(text, firstLine);
  for (const seriesKey of seriesKeys) {
    const interval = SERIES_INTERVALS[seriesKey];
    const series = doc[seriesKey];
    if (interval === undefined) {
      const known = Object.keys(SERIES_INTERVALS).map((k) => `"${k}"`).join(", ");
      problems.add(firstLine, `${symbol}: unknown interval key "${cut(seriesKey)}"; Bullpen reads ${known}`);
    } else if (!isObject(series)) {
      problems.add(firstLine, `${symbol}: "${cut(seriesKey)}" is not an object of bars`);
    } else {
      parseSeries(symbol, interval, zone, series, keyLines.get(seriesKey) ?? [], firstLine, ctx);
    }
  }
}

function parseSeries(
  symbol: string,
  interval: Interval,
  zone: SourceZone,
  series: Record<string, unknown>,
  occurrences: readonly KeyOccurrence[],
  firstLine: number,
  ctx: Context,
): void {
  const { problems } = ctx;
  const lineOf = new Map<string, number>();
  for (const { key, line } of occurrences) {
    const first = lineOf.get(key);
    if (first === undefined) lineOf.set(key, line);
    else problems.add(line, `duplicate timestamp ${cut(key)} for ${symbol} (first on line ${first})`);
  }
  for (const [key, entry] of Object.entries(series)) {
    const line = lineOf.get(key) ?? firstLine;
    const start = alphaVantageStart(key, interval, zone, ctx.startCache);
    if (typeof start === "string") {
      problems.add(line, `${symbol} "${cut(key)}": ${start}`);
      continue;
    }
    if (!isObject(entry)) {
      problems.add(line, `${symbol} ${cut(key)}: expected an object of prices`);
      continue;
    }
    const checked = checkOhlcv({
      open: field(entry, FIELDS.open),
      high: field(entry, FIELDS.high),
      low: field(entry, FIELDS.low),
      close: field(entry, FIELDS.close),
      volume: field(entry, FIELDS.volume),
    });
    if ("errors" in checked) {
      for (const message of checked.errors) problems.add(line, `${symbol} ${cut(key)}: ${message}`);
      continue;
    }
    const openOnly = checked.value.close === null;
    if (!ctx.tracker.add(problems, symbol, interval, start, { line, label: cut(key), openOnly })) continue;
    ctx.bars.push({ symbol, interval, start: new Date(start), ...checked.value, source: "alphavantage", derived: false });
  }
}

function chooseFormat(text: string, options: AlphaVantageOptions): "json" | "jsonl" {
  if (options.format) return options.format;
  const name = options.fileName?.toLowerCase() ?? "";
  if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) return "jsonl";
  if (name.endsWith(".json")) return "json";
  try {
    JSON.parse(text);
    return "json";
  } catch {
    return "jsonl";
  }
}

/**
 * Parses Alpha Vantage time-series JSON or JSONL into bars (source "alphavantage", derived false).
 * Validates everything first and throws one ImportError listing every problem with its line;
 * a file with any problem yields nothing.
 */
export function parseAlphaVantage(text: string, options: AlphaVantageOptions | string = {}): ParsedBars {
  const opts = typeof options === "string" ? { fileName: options } : options;
  const ctx: Context = { problems: new ProblemList(), tracker: new SeriesTracker(), bars: [], startCache: new Map() };
  if (chooseFormat(text, opts) === "json") {
    parseObject(text, 1, ctx);
  } else {
    const lines = text.split(/\r?\n/);
    lines.forEach((line, i) => {
      if (line.trim() !== "") parseObject(line, i + 1, ctx);
    });
  }
  ctx.tracker.checkOpenOnlyIsNewest(ctx.problems);
  if (ctx.bars.length === 0 && ctx.problems.isEmpty) ctx.problems.add(1, "no bars found");
  ctx.problems.throwIfAny(opts.fileName);
  return sortBars(ctx.bars);
}
