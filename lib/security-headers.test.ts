import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, isHttps, newNonce } from "./security-headers";

const directives = (csp: string) => new Map(csp.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1).join(" ")] as const));

describe("contentSecurityPolicy", () => {
  const base = { nonce: "abc", dev: false, https: false, supabaseUrl: null };

  it("allows scripts by nonce only, in production no eval; no framing; this origin only", () => {
    const d = directives(contentSecurityPolicy(base));
    expect(d.get("script-src")).toBe("'self' 'nonce-abc' 'strict-dynamic'");
    expect(d.get("frame-ancestors")).toBe("'none'");
    expect(d.get("connect-src")).toBe("'self'");
    expect(d.get("object-src")).toBe("'none'");
    expect(d.has("upgrade-insecure-requests")).toBe(false); // over http it would break every asset
  });

  it("adds eval in development, the Supabase project's origin to connect-src, the upgrade over https", () => {
    const d = directives(contentSecurityPolicy({ ...base, dev: true, https: true, supabaseUrl: "https://xyz.supabase.co/" }));
    expect(d.get("script-src")).toContain("'unsafe-eval'");
    expect(d.get("connect-src")).toBe("'self' https://xyz.supabase.co");
    expect(d.has("upgrade-insecure-requests")).toBe(true);
  });
});

describe("newNonce", () => {
  it("is 128 bits of base64, new each time", () => {
    const a = newNonce();
    expect(a).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(newNonce()).not.toBe(a);
  });
});

describe("isHttps", () => {
  it("believes the URL or the first x-forwarded-proto", () => {
    expect(isHttps(new URL("https://a.example/"), null)).toBe(true);
    expect(isHttps(new URL("http://127.0.0.1:3000/"), "https, http")).toBe(true);
    expect(isHttps(new URL("http://127.0.0.1:3000/"), "http")).toBe(false);
    expect(isHttps(new URL("http://127.0.0.1:3000/"), null)).toBe(false);
  });
});
