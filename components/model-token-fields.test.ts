import { describe, expect, it } from "vitest";
import { toTokenInput, whenOf } from "./model-token-fields";

describe("the page's form", () => {
  it("sends what was typed, as the API's body: days as a number when they are one, empty fields left out", () => {
    expect(toTokenInput({ name: "n", expiresInDays: "", sessionId: "" })).toEqual({ name: "n" });
    expect(toTokenInput({ name: "n", expiresInDays: " 30 ", sessionId: "s" })).toEqual({ name: "n", expiresInDays: 30, sessionId: "s" });
    expect(toTokenInput({ name: "n", expiresInDays: "1.5", sessionId: "" })).toEqual({ name: "n", expiresInDays: "1.5" }); // refused by the schema, in words
  });

  it("shows times in UTC, the same on the server and in the browser", () => {
    expect(whenOf("2026-12-07T14:05:59.123Z", "Never")).toBe("2026-12-07 14:05 UTC");
    expect(whenOf(null, "Never")).toBe("Never");
  });
});
