import { env } from "@/lib/env";

/**
 * THE client address, for per-address rate limits (lib/rate-limit.ts). Only what a trusted proxy wrote
 * counts; what the client wrote never does.
 *
 * What Next 16 gives a route handler (checked in next/dist/server/base-server.js, handleRequestImpl): no
 * socket address on the Request (NextRequest.ip is gone), and `x-forwarded-for` set to the socket's
 * address ONLY WHEN THE REQUEST HAS NONE (`req.headers['x-forwarded-for'] ??= socket.remoteAddress`). Next
 * appends nothing: a client that sends `X-Forwarded-For: 1.2.3.4` to Next directly is seen as 1.2.3.4, and
 * the header cannot tell that request from one Next filled in. So:
 *
 * - TRUSTED_PROXY_HOPS = 0 (default, no proxy): X-Forwarded-For is ignored entirely, and every request is
 *   from the socket's address, which the launcher makes this machine's own: `npm start` / `npm run dev`
 *   bind Next to 127.0.0.1 (scripts/launch.ts), so the only clients are local ones. Per-address limits are
 *   then limits for the whole server ("socket"); per-user and per-email limits still tell users apart.
 * - TRUSTED_PROXY_HOPS = N ≥ 1 (N proxies in front, each appending the address it saw, as nginx's
 *   `$proxy_add_x_forwarded_for` and most load balancers do): the N-th entry from the right, the one the
 *   outermost trusted proxy wrote. Entries further left are the client's own and are never read, so a
 *   spoofed X-Forwarded-For changes nothing. With fewer entries than N (a request that did not pass every
 *   proxy: only local processes can reach Next directly) the leftmost.
 */
export function clientAddress(headers: Headers, hops: number = env.TRUSTED_PROXY_HOPS): string {
  if (hops <= 0) return "socket";
  const entries = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0) return "socket";
  return normalize(entries[Math.max(0, entries.length - hops)]!);
}

/** ::ffff:1.2.3.4 is 1.2.3.4; IPv6 as lower case. */
function normalize(address: string): string {
  const a = address.toLowerCase();
  return a.startsWith("::ffff:") && a.includes(".") ? a.slice(7) : a;
}
