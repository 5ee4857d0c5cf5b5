/**
 * Where to go after sign-in: only a path on this site. Rejects absolute URLs, protocol-relative
 * ("//evil.com"), backslash tricks ("/\\evil.com") and control characters; falls back to the dashboard.
 */
export function safeNext(next: string | null | undefined, fallback = "/dashboard"): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return fallback;
  if (/[\u0000-\u001f\\]/.test(next)) return fallback;
  try {
    const url = new URL(next, "http://bullpen.invalid");
    if (url.origin !== "http://bullpen.invalid") return fallback;
    return url.pathname + url.search + url.hash;
  } catch {
    return fallback;
  }
}
