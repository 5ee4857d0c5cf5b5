import type { NextRequest } from "next/server";
import { databaseUnavailablePage } from "@/lib/api/unavailable-page";
import { clientAddress } from "@/lib/client-address";
import { databaseAnswers } from "@/lib/db/health";
import { env, localAuth, supabaseBrowserUrl } from "@/lib/env";
import { contentSecurityPolicy, isHttps, newNonce, STRICT_TRANSPORT_SECURITY } from "@/lib/security-headers";
import { isAppPage, updateSession } from "@/lib/supabase/proxy";

export async function proxy(request: NextRequest) {
  const nonce = newNonce();
  const https = isHttps(request.nextUrl, request.headers.get("x-forwarded-proto"));
  const csp = contentSecurityPolicy({ nonce, dev: env.NODE_ENV === "development", https, supabaseUrl: supabaseBrowserUrl });
  // On the request too: Next reads the nonce from it to put on the scripts it renders; x-nonce for the layout.
  request.headers.set("content-security-policy", csp);
  request.headers.set("x-nonce", nonce);
  const session = await updateSession(request, forwardedFor(request.headers));
  const response = (await unavailable(request, session)) ?? session;
  response.headers.set("Content-Security-Policy", csp);
  if (https) response.headers.set("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
  return response;
}

/**
 * A signed-in page while the database does not answer: 503 with a page in words (and any cookies the session
 * refresh set), before the page starts rendering. Next gives a page that throws only a 500, so this is where a
 * page can still say 503. Not for the API and the built-in auth (they answer 503 from the error itself:
 * lib/api/respond.ts), nor for server actions (they answer in words: lib/auth/action.ts).
 */
async function unavailable(request: NextRequest, session: Response): Promise<Response | null> {
  if (session.status !== 200 || !isAppPage(request.nextUrl.pathname) || request.headers.has("next-action")) return null;
  if (await databaseAnswers()) return null;
  const page = databaseUnavailablePage();
  for (const cookie of session.headers.getSetCookie()) page.headers.append("set-cookie", cookie);
  return page;
}

/**
 * The visitor's address (lib/client-address.ts) as the only X-Forwarded-For entry of the proxy's own calls
 * to the built-in auth (refreshing the visitor's token). Those go to Next on 127.0.0.1 directly, so without
 * it every visitor's server-side refresh would count against the one address 127.0.0.1; with it, against the
 * visitor's own (a lone entry is what clientAddress reads for any TRUSTED_PROXY_HOPS ≥ 1; with 0 nothing is
 * read, and nothing is sent). Nothing is sent to a real Supabase project either.
 */
function forwardedFor(headers: Headers): Record<string, string> {
  const address = clientAddress(headers);
  return localAuth && address !== "socket" ? { "x-forwarded-for": address } : {};
}

export const config = {
  // Everything but static files and the built-in auth server itself (next.config.ts's headers cover those).
  matcher: ["/((?!_next/static|_next/image|favicon.ico|auth/v1/|.*\\.(?:svg|png|jpg|jpeg|gif|webp|ico)$).*)"],
};
