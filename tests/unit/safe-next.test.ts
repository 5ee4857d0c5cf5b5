import { describe, expect, it } from "vitest";
import { safeNext } from "@/lib/safe-next";

describe("safeNext", () => {
  it.each([
    ["/models/new", "/models/new"],
    ["/sessions/1?tab=orders#x", "/sessions/1?tab=orders#x"],
    ["/%0d%0aSet-Cookie:x", "/%0d%0aSet-Cookie:x"], // stays percent-encoded: a path, not a header
  ])("keeps the local path %s", (input, out) => expect(safeNext(input)).toBe(out));

  it.each([null, "", "https://evil.com", "//evil.com", "/\\evil.com", "javascript:alert(1)", "\\\\evil.com", "/\tevil"])(
    "falls back to the dashboard for %j",
    (input) => expect(safeNext(input)).toBe("/dashboard"),
  );
});
