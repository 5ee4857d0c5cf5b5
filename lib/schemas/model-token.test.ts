import { describe, expect, it } from "vitest";
import { modelTokenFieldErrors, modelTokenInputSchema } from "./model-token";

const errorsOf = (input: unknown) => {
  const parsed = modelTokenInputSchema.safeParse(input);
  return parsed.success ? null : modelTokenFieldErrors(parsed.error);
};

describe("the model token request (POST /api/v1/models/:id/tokens, the page's form)", () => {
  it("accepts a name, with an expiry in whole days and a session, or without them", () => {
    const session = "0b6f1a3e-4c2d-4e8f-9a7b-1c2d3e4f5a6b";
    expect(modelTokenInputSchema.parse({ name: "  Claude Desktop " })).toEqual({ name: "Claude Desktop" });
    expect(modelTokenInputSchema.parse({ name: "x", expiresInDays: 365, sessionId: session })).toEqual({ name: "x", expiresInDays: 365, sessionId: session });
    expect(modelTokenInputSchema.parse({ name: "x", expiresInDays: null, sessionId: null })).toEqual({ name: "x", expiresInDays: null, sessionId: null });
  });

  it.each([
    [{}, { name: 'Name is required: what uses this token, e.g. "Claude Desktop"' }],
    [{ name: "x".repeat(81) }, { name: "Name must be at most 80 characters" }],
    [{ name: "a\tb" }, { name: "Name must be one line of text" }],
    [{ name: "x", expiresInDays: 0 }, { expiresInDays: "expiresInDays must be a whole number of days from 1 to 365" }],
    [{ name: "x", expiresInDays: 2.5 }, { expiresInDays: "expiresInDays must be a whole number of days from 1 to 365" }],
    [{ name: "x", expiresInDays: 366 }, { expiresInDays: "expiresInDays must be at most 365 (a year); leave it out for a token that never expires" }],
    [{ name: "x", expiresInDays: "30" }, { expiresInDays: "expiresInDays must be a whole number of days from 1 to 365, or left out for a token that never expires" }],
    [{ name: "x", sessionId: "abc" }, { sessionId: "sessionId must be the id of one of this model's sessions (a UUID), or left out for any session" }],
    [{ name: "x", modelId: "m", userId: "u" }, { body: "unknown field(s): modelId, userId" }],
  ])("refuses %j in words", (input, errors) => {
    expect(errorsOf(input)).toEqual(errors);
  });
});
