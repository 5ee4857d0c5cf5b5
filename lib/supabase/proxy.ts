import { createServerClient } from "@supabase/ssr";
import { NextResponse, type NextRequest } from "next/server";
import { supabasePublishableKey, supabaseServerUrl } from "@/lib/env";
import { AUTH_COOKIE_NAME } from "./config";

const PUBLIC_PATHS = ["/", "/sign-in", "/sign-up"];

/** A page only a signed-in visitor sees (everything but the public pages and the API): these read the database. */
export const isAppPage = (pathname: string) => !PUBLIC_PATHS.includes(pathname) && !pathname.startsWith("/api/");

/**
 * Refreshes the auth session on every request and sends signed-out visitors of app pages to sign-in.
 * `authHeaders` go with its calls to the auth server (the visitor's address: proxy.ts).
 */
export async function updateSession(request: NextRequest, authHeaders: Record<string, string> = {}) {
  let response = NextResponse.next({ request });
  const supabase = createServerClient(supabaseServerUrl, supabasePublishableKey, {
    cookieOptions: { name: AUTH_COOKIE_NAME },
    global: { headers: authHeaders },
    cookies: {
      getAll: () => request.cookies.getAll(),
      setAll(cookiesToSet, headers) {
        for (const { name, value } of cookiesToSet) request.cookies.set(name, value);
        response = NextResponse.next({ request });
        for (const { name, value, options } of cookiesToSet) response.cookies.set(name, value, options);
        for (const [key, value] of Object.entries(headers)) response.headers.set(key, value);
      },
    },
  });
  // Right after creating the client: verifies the token (locally, via JWKS) and refreshes it if expired.
  const { data } = await supabase.auth.getClaims();

  const { pathname, search } = request.nextUrl;
  if (!data?.claims && isAppPage(pathname)) {
    const url = request.nextUrl.clone();
    url.pathname = "/sign-in";
    url.search = `?next=${encodeURIComponent(pathname + search)}`;
    return NextResponse.redirect(url);
  }
  return response;
}
