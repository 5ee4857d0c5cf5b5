import type { APIResponse } from "@playwright/test";
import { bearer, expect, newEmail, PUBLISHABLE_KEY, signUpForToken, test } from "./fixtures";

/** The headers every response carries (next.config.ts; lib/security-headers.ts). */
function expectStaticHeaders(res: APIResponse) {
  const h = res.headers();
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(h["x-frame-options"]).toBe("DENY");
}

const nonceOf = (csp: string) => /'nonce-([^']+)'/.exec(csp)?.[1];

test("pages, the API and the auth server carry the security headers; the CSP's nonce is new on every page", async ({ request }) => {
  const page = await request.get("/sign-in");
  expectStaticHeaders(page);
  const csp = page.headers()["content-security-policy"]!;
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'(;|$)/); // no eval in production
  expect(csp).not.toContain("upgrade-insecure-requests"); // served over http here
  expect(page.headers()["strict-transport-security"]).toBeUndefined();
  // Next put the nonce on its scripts, and it is new for every request.
  const html = await page.text();
  expect(html).toContain(`nonce="${nonceOf(csp)}"`);
  expect(html).not.toMatch(/<script(?![^>]*\bnonce=)[^>]*>/);
  expect(nonceOf((await request.get("/sign-in")).headers()["content-security-policy"]!)).not.toBe(nonceOf(csp));

  const t = await signUpForToken(request, newEmail("headers"));
  const api = await request.get("/api/v1/models", { headers: bearer(t) });
  expect(api.status()).toBe(200);
  expectStaticHeaders(api);
  expect(api.headers()["content-security-policy"]).toContain("default-src 'self'");

  expectStaticHeaders(await request.get("/auth/v1/.well-known/jwks.json", { headers: { apikey: PUBLISHABLE_KEY } }));
  const script = /<script[^>]+src="(\/_next\/static\/[^"]+\.js)"/.exec(html)![1]!;
  expectStaticHeaders(await request.get(script));

  // Behind a TLS proxy: HSTS, and plain-http subresources upgraded.
  const https = await request.get("/sign-in", { headers: { "x-forwarded-proto": "https" } });
  expect(https.headers()["strict-transport-security"]).toBe("max-age=63072000; includeSubDomains");
  expect(https.headers()["content-security-policy"]).toContain("upgrade-insecure-requests");
});

test("pages load and hydrate under the CSP, and an injected inline handler is refused", async ({ page, desk }) => {
  // The page fixture fails the test on any CSP report in the console (e2e/fixtures.ts); this one watches too.
  const refused: string[] = [];
  page.on("console", (m) => void (/Content Security Policy|Refused to/.test(m.text()) && refused.push(m.text())));
  await desk.signUp(newEmail("csp")); // the sign-up form works only once React has hydrated
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  expect(refused).toEqual([]);

  // In another tab of the same sign-in: the fixture watches only `page`, and this report is the point.
  const other = await page.context().newPage();
  await other.goto("/dashboard");
  // The classic injection: markup with an inline handler (a script element added from script would be let in
  // by 'strict-dynamic', which trusts what trusted scripts add).
  const blocked = await other.evaluate(
    () =>
      new Promise<string>((resolve) => {
        document.addEventListener("securitypolicyviolation", (e) => resolve(`${e.effectiveDirective} ${e.blockedURI}`), { once: true });
        document.body.insertAdjacentHTML("beforeend", `<img src="/nothing.png" alt="" onerror="window.__injected = true">`);
      }),
  );
  expect(blocked).toMatch(/^script-src(-attr)? inline$/); // Chromium names either
  expect(await other.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
});
