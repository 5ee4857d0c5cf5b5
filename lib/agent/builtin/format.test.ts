import { describe, expect, it } from "vitest";
import { nyClock } from "./format";

describe("nyClock", () => {
  it("names an instant in New York time, as the desk shows the session clock", () => {
    expect(nyClock("2025-06-10T19:59:00.000Z")).toBe("2025-06-10 15:59 New York time"); // EDT, UTC−4
    expect(nyClock("2025-03-07T14:30:00.000Z")).toBe("2025-03-07 09:30 New York time"); // EST, UTC−5
    expect(nyClock("2025-03-10T13:30:00.000Z")).toBe("2025-03-10 09:30 New York time"); // the Monday after the change
    expect(nyClock("2025-01-02T05:00:00.000Z")).toBe("2025-01-02 00:00 New York time"); // midnight is 00, not 24
  });

  it("leaves text that is not an instant as it is", () => {
    expect(nyClock("not a time")).toBe("not a time");
  });
});
