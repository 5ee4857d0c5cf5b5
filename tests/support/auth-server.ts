import http from "node:http";
import type { AddressInfo } from "node:net";
import { handleAuthRequest } from "@/lib/auth-server/handler";
import { randomUUID } from "node:crypto";
import { customAuthLimits, type AuthLimits } from "@/lib/auth-server/rate-limit";
import type { Db } from "@/lib/db/client";

/**
 * The built-in auth handler on a real HTTP port, so supabase-js talks to it exactly as in the app. Its rate
 * limits are the app's Postgres ones, 1000 of each unless `limits` says otherwise, counted apart from any
 * other server's (`prefix`, random unless given: two servers given the same one share their counts).
 */
export async function startAuthServer(
  db: Db,
  { limits: points = {}, prefix = randomUUID(), trustedProxyHops = 0 }: { limits?: Partial<Record<keyof AuthLimits, number>>; prefix?: string; trustedProxyHops?: number } = {},
) {
  const limits = customAuthLimits(db, prefix, { signUp: 1000, signInAddress: 1000, signInEmail: 1000, refresh: 1000, ...points });
  const requests: string[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${req.url}`;
    const path = new URL(url).pathname.replace(/^\/auth\/v1/, "");
    requests.push(`${req.method} ${path}`);
    const request = new Request(url, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: chunks.length ? Buffer.concat(chunks) : undefined,
    });
    const response = await handleAuthRequest(request, path, { db, limits, trustedProxyHops });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, requests, close: () => new Promise((r) => server.close(r)) };
}
