import { describe, expect, it } from "vitest";
import { formatPace } from "./format";

describe("formatPace", () => {
  it("names a session's pace as the dialog offers it and the viewer shows it", () => {
    expect(formatPace(0)).toBe("As fast as possible");
    expect(formatPace(100)).toBe("10 bars a second");
    expect(formatPace(250)).toBe("4 bars a second");
    expect(formatPace(1000)).toBe("1 bar a second");
    expect(formatPace(300)).toBe("3.3 bars a second");
    expect(formatPace(2500)).toBe("1 bar every 2.5 s");
  });
});
