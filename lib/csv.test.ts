import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { toCsv } from "./csv";

describe("toCsv", () => {
  it("quotes what needs quoting, so a CSV parser reads back every cell", () => {
    const rows = [
      ["need $5,210.00, have $3,900.12", 'say "hi"', "two\nlines", null, undefined, 42, new Date("2025-03-03T14:30:00Z")],
      ["-5.25", "-3", "0", "", "AAPL", 1.5, false],
    ];
    const text = toCsv(["a", "b", "c", "d", "e", "f", "g"], rows);
    expect(text.endsWith("\r\n")).toBe(true);
    expect(parse(text)).toEqual([
      ["a", "b", "c", "d", "e", "f", "g"],
      ["need $5,210.00, have $3,900.12", 'say "hi"', "two\nlines", "", "", "42", "2025-03-03T14:30:00.000Z"],
      ["-5.25", "-3", "0", "", "AAPL", "1.5", "false"],
    ]);
  });

  it("defuses text a spreadsheet would run as a formula, but leaves negative numbers alone", () => {
    const [, line] = parse(toCsv(["x", "y", "z", "w", "v"], [["=HYPERLINK(\"http://x\")", "+1+1", "@SUM(A1)", "-A1", "-12.5"]])) as string[][];
    expect(line).toEqual(["'=HYPERLINK(\"http://x\")", "'+1+1", "'@SUM(A1)", "'-A1", "-12.5"]);
  });
});
