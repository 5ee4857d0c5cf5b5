/**
 * The security headers (docs/ui.md, "Security headers"). Pure: the proxy passes the request's facts in.
 * Those that never change are sent on every response by next.config.ts; the Content-Security-Policy,
 * which carries a fresh nonce, and HSTS, which depends on the scheme, by proxy.ts.
 */

export const STATIC_SECURITY_HEADERS: ReadonlyArray<{ key: string; value: string }> = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" }, // frame-ancestors 'none' for browsers older than CSP 2
];

/** Two years, the HSTS preload list's minimum being one. Sent only over https (a browser ignores it over http). */
export const STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains";

/** 128 random bits, base64: unguessable and different for every request. */
export function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

export interface CspOptions {
  nonce: string;
  /** `next dev`: React rebuilds server error stacks with eval. */
  dev: boolean;
  /** Served over https: plain-http subresources are upgraded. Never on http, where it would break every asset. */
  https: boolean;
  /** The Supabase project the browser talks to, if not this origin (NEXT_PUBLIC_SUPABASE_URL). */
  supabaseUrl: string | null;
}

/**
 * Scripts only by nonce: Next puts it on its own scripts and inline payloads (it reads it from this header on
 * the request), 'strict-dynamic' lets them load the chunks. Styles allow inline: Recharts and Radix position
 * with style attributes and Sonner injects a <style>; a nonce beside 'unsafe-inline' would turn it off.
 */
export function contentSecurityPolicy(o: CspOptions): string {
  const connect = ["'self'", ...(o.supabaseUrl ? [new URL(o.supabaseUrl).origin] : [])];
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${o.nonce}' 'strict-dynamic'${o.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self' data:",
    `connect-src ${connect.join(" ")}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(o.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** Whether the request reached us over https: directly, or through a proxy that says so. */
export function isHttps(url: URL, forwardedProto: string | null): boolean {
  return url.protocol === "https:" || forwardedProto?.split(",")[0]?.trim() === "https";
}
