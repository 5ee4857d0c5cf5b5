import { describe, expect, it } from "vitest";
import { parseAlphaVantage } from "./alpha-vantage";
import { parseBarsCsv } from "./csv";
import { ImportError, MarketDataError } from "./errors";

const entry = (o: string, h: string, l: string, c: string, v = "100") =>
  `{"1. buy price": "${o}", "2. high": "${h}", "3. low": "${l}", "4. sell price": "${c}", "5. volume": "${v}"}`;
const line = (symbol: string, series: string, seriesKey = "Time Series (60min)") =>
  `{"Meta Data": {"2. Symbol": "${symbol}", "6. Time Zone": "US/Eastern"}, "${seriesKey}": {${series}}}`;

function problemsOf(f: () => unknown): ImportError {
  try {
    f();
  } catch (e) {
    if (e instanceof ImportError) return e;
    throw e;
  }
  throw new Error("expected an ImportError");
}

describe("Alpha Vantage validation", () => {
  it("collects every problem with its line and returns nothing", () => {
    const text = [
      line("AAA", `"2025-10-30 10:00:00": ${entry("10", "11", "9", "10.5")}`), // 1 fine
      `{"Meta Data": {"2. Symbol": "BBB"}, "Time Series (60min)": {`, // 2 malformed JSON
      line("CCC", `"2025-10-30 10:00:00": ${entry("-10", "11", "9", "10.5")}`), // 3 negative price
      line("DDD", `"2025-10-30 10:00:00": ${entry("10", "9", "11", "10")}`), // 4 high < low
      line("EEE", `"2025-10-30 10:00:00": ${entry("10", "11", "9", "10")}, "2025-10-30 10:00:00": ${entry("10", "11", "9", "10")}`), // 5 duplicate key
      line("FFF", `"2025-10-30 10:00:00": ${entry("10", "11", "9", "10")}`, "Time Series (7min)"), // 6 unknown interval
      line("GGG", `"2025-02-30 10:00:00": ${entry("10", "11", "9", "10")}`), // 7 bad date
      line("HHH", `"2025-10-30 10:00:00": {"1. buy price": "10", "2. high": "11", "3. low": "9"}`), // 8 missing fields
      line("III", `"2025-10-30 10:00:00": ${entry("abc", "11", "9", "10")}`), // 9 non-numeric
      line("JJJ", `"2025-10-30 10:00:00": ${entry("12", "11", "9", "10")}`), // 10 open outside [low, high]
      line("AAA", `"2025-10-30 10:00:00": ${entry("10", "11", "9", "10.5")}`), // 11 duplicate of line 1
      line("KKK", `"2025-10-30 10:00:00": {"1. buy price": "10"}, "2025-10-30 11:00:00": ${entry("10", "11", "9", "10")}`), // 12 open-only, not newest
      `{"Meta Data": {}, "Time Series (60min)": {}}`, // 13 no symbol
    ].join("\n");
    const error = problemsOf(() => parseAlphaVantage(text, { fileName: "bad.jsonl" }));
    const byLine = (n: number) => error.problems.filter((p) => p.line === n).map((p) => p.message).join(" | ");
    expect(error.code).toBe("IMPORT_INVALID");
    expect(byLine(1)).toBe("");
    expect(byLine(2)).toMatch(/malformed JSON/);
    expect(byLine(3)).toMatch(/CCC 2025-10-30 10:00:00: open -10 is negative/);
    expect(byLine(4)).toMatch(/high 9 is below low 11/);
    expect(byLine(5)).toMatch(/duplicate timestamp 2025-10-30 10:00:00 for EEE/);
    expect(byLine(6)).toMatch(/unknown interval key "Time Series \(7min\)"/);
    expect(byLine(7)).toMatch(/GGG "2025-02-30 10:00:00": not a valid date/);
    expect(byLine(8)).toMatch(/missing close, volume/);
    expect(byLine(9)).toMatch(/open "abc" is not a number/);
    expect(byLine(10)).toMatch(/open 12 is outside \[low 9, high 11\]/);
    expect(byLine(11)).toMatch(/duplicate timestamp 2025-10-30 10:00:00 for AAA \(first on line 1\)/);
    expect(byLine(12)).toMatch(/KKK 2025-10-30 10:00:00 has only an open/);
    expect(byLine(13)).toMatch(/missing "Meta Data" → "2. Symbol"/);
    expect(error.message).toMatch(/^bad\.jsonl: \d+ problem\(s\), nothing imported\. line 2: malformed JSON/);
  });

  it("gives the line of the offending key in a pretty-printed .json file", () => {
    const text = [
      "{",
      '  "Meta Data": {"2. Symbol": "QQQ"},',
      '  "Time Series (60min)": {',
      '    "2025-10-30 15:00:00": {"1. open": "1", "2. high": "2", "3. low": "1", "4. close": "2", "5. volume": "5"},',
      '    "2025-10-30 14:00:00": {"1. open": "1", "2. high": "0.5", "3. low": "1", "4. close": "2", "5. volume": "5"},',
      '    "2025-10-30 15:00:00": {"1. open": "1", "2. high": "2", "3. low": "1", "4. close": "2", "5. volume": "5"}',
      "  }",
      "}",
    ].join("\n");
    const error = problemsOf(() => parseAlphaVantage(text, "QQQ-hourly.json"));
    expect(error.problems).toEqual([
      { line: 5, message: "QQQ 2025-10-30 14:00:00: high 0.5 is below low 1" },
      { line: 6, message: "duplicate timestamp 2025-10-30 15:00:00 for QQQ (first on line 4)" },
    ]);
    const broken = problemsOf(() => parseAlphaVantage('{\n  "Meta Data": {\n    "2. Symbol" "QQQ"\n  }\n}', "x.json"));
    expect(broken.problems[0]?.line).toBe(3);
  });

  it("rejects daily keys that are not NYSE trading days or are outside the calendar", () => {
    const text = line("AAA", `"2025-07-04": ${entry("10", "11", "9", "10")}, "2019-07-05": ${entry("10", "11", "9", "10")}`, "Time Series (Daily)");
    const messages = problemsOf(() => parseAlphaVantage(text, "d.jsonl")).problems.map((p) => p.message);
    expect(messages).toEqual(expect.arrayContaining([expect.stringMatching(/2025-07-04 is not an NYSE trading day/), expect.stringMatching(/outside the NYSE calendar/)]));
  });
});

describe("CSV import", () => {
  const header = "symbol,time,open,high,low,close,volume";

  it("parses times with offsets or Z, and day bars as dates or session opens", () => {
    const hourly = parseBarsCsv(
      [header, "AAPL,2025-10-30T15:00:00-04:00,271.0884,271.5979,270.7337,271.1184,11077995", "AAPL,2025-10-30T20:00:00Z,271.2,,,,"].join("\n"),
      { interval: "hour", fileName: "a.csv" },
    );
    expect(hourly.symbols).toEqual(["AAPL"]);
    expect(hourly.bars.map((b) => b.start.toISOString())).toEqual(["2025-10-30T19:00:00.000Z", "2025-10-30T20:00:00.000Z"]);
    expect(hourly.bars[0]).toMatchObject({ source: "csv", derived: false, interval: "hour", close: 271.1184, volume: 11077995 });
    expect(hourly.bars[1]).toMatchObject({ open: 271.2, high: null, low: null, close: null, volume: null });
    const partial = problemsOf(() => parseBarsCsv(`${header}\nAAPL,2025-10-30T20:00:00Z,271.2,271.3,271.1,271.25,`, { interval: "hour" }));
    expect(partial.problems).toEqual([{ line: 2, message: "AAPL 2025-10-30T20:00:00Z: missing volume" }]);
  });

  it("accepts day bars written as a date or as the session open", () => {
    const daily = parseBarsCsv([header, "MSFT,2025-10-29,1,2,1,2,10", "MSFT,2025-10-30T09:30:00-04:00,1,2,1,2,10"].join("\n"), { interval: "day" });
    expect(daily.bars.map((b) => b.start.toISOString())).toEqual(["2025-10-29T13:30:00.000Z", "2025-10-30T13:30:00.000Z"]);
  });

  it("collects every problem with its line", () => {
    const text = [
      header, // 1
      "AAPL,2025-10-30T15:00:00,1,2,1,2,10", // 2 no zone
      "AAPL,2025-10-30T16:00:00Z,-1,2,1,2,10", // 3 negative
      "AAPL,2025-10-30T17:00:00Z,1,1,2,1,10", // 4 high < low
      "AAPL,2025-10-30T18:00:00Z,1,2,1,2,10", // 5 fine
      "AAPL,2025-10-30T14:00:00-04:00,1,2,1,2,10", // 6 duplicate of line 5 (18:00Z)
      "AAPL,2025-10-30T19:00:00Z,1,2,1,2", // 7 too few fields
      "AAPL,not-a-time,1,2,1,2,10", // 8 bad time
      "AAPL,2025-10-30T20:00:00Z,x,2,1,2,10", // 9 non-numeric
      ",2025-10-30T21:00:00Z,1,2,1,2,10", // 10 missing symbol
      'AAPL,"2025-10-30T22:00:00Z,1,2,1,2,10', // 11 unclosed quote
    ].join("\n");
    const error = problemsOf(() => parseBarsCsv(text, { interval: "hour", fileName: "bad.csv" }));
    const byLine = (n: number) => error.problems.filter((p) => p.line === n).map((p) => p.message).join(" | ");
    expect(byLine(2)).toMatch(/has no zone: add 'Z' or an offset/);
    expect(byLine(3)).toMatch(/open -1 is negative/);
    expect(byLine(4)).toMatch(/high 1 is below low 2/);
    expect(byLine(5)).toBe("");
    expect(byLine(6)).toMatch(/duplicate timestamp 2025-10-30T14:00:00-04:00 for AAPL \(first on line 5\)/);
    expect(byLine(7)).toMatch(/expected 7 fields, found 6/);
    expect(byLine(8)).toMatch(/not an ISO 8601 time/);
    expect(byLine(9)).toMatch(/open "x" is not a number/);
    expect(byLine(10)).toMatch(/missing symbol/);
    expect(error.problems.some((p) => p.line >= 11 && /unreadable CSV/.test(p.message))).toBe(true);
  });

  it("checks the header, the interval option and day-bar starts", () => {
    expect(problemsOf(() => parseBarsCsv("symbol,time,open,close\nA,2025-10-30,1,1", { interval: "day" })).problems).toEqual([
      { line: 1, message: "header lacks high, low, volume: expected symbol,time,open,high,low,close,volume" },
    ]);
    expect(() => parseBarsCsv(`${header}\n`, { interval: "week" })).toThrow(MarketDataError);
    expect(() => parseBarsCsv(`${header}\n`, { interval: "week" })).toThrow(/unknown interval "week"/);
    const day = problemsOf(() => parseBarsCsv(`${header}\nA,2025-10-30T00:00:00Z,1,2,1,2,3\nA,2025-07-04,1,2,1,2,3`, { interval: "day" }));
    expect(day.problems.map((p) => p.line)).toEqual([2, 3]);
    expect(day.problems[0]?.message).toMatch(/a day bar starts at the NYSE session open/);
    expect(problemsOf(() => parseBarsCsv(`${header}\nA,2025-10-30T15:00:30Z,1,2,1,2,3`, { interval: "minute" })).problems[0]?.message).toMatch(/whole minutes/);
  });
});
