import type { NextRequest } from "next/server";
import { env, supabaseBrowserUrl } from "@/lib/env";
import { contentSecurityPolicy, isHttps, newNonce, STRICT_TRANSPORT_SECURITY } from "@/lib/security-headers";
import { updateSession } from "@/lib/supabase/proxy";

export async function proxy(request: NextRequest) {
  const nonce = newNonce();
  const https = isHttps(request.nextUrl, request.headers.get("x-forwarded-proto"));
  const csp = contentSecurityPolicy({ nonce, dev: env.NODE_ENV === "development", https, supabaseUrl: supabaseBrowserUrl });
  // On the request too: Next reads the nonce from it to put on the scripts it renders; x-nonce for the layout.
  request.headers.set("content-security-policy", csp);
  request.headers.set("x-nonce", nonce);
  const response = await updateSession(request);
  response.headers.set("Content-Security-Policy", csp);
  if (https) response.headers.set("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
  return response;
}

export const config = {
  // Everything but static files and the built-in auth server itself (next.config.ts's headers cover those).
  matcher: ["/((?!_next/static|_next/image|favicon.ico|auth/v1/|.*\\.(?:svg|png|jpg|jpeg|gif|webp|ico)$).*)"],
};
