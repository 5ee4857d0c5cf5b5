import "server-only";
import { createServerClient } from "@supabase/ssr";
import { cookies } from "next/headers";
import { supabasePublishableKey, supabaseServerUrl } from "@/lib/env";
import { AUTH_COOKIE_NAME } from "./config";

/** A Supabase client for this request (server components, actions, route handlers). Never global. */
export async function createClient() {
  const cookieStore = await cookies();
  return createServerClient(supabaseServerUrl, supabasePublishableKey, {
    cookieOptions: { name: AUTH_COOKIE_NAME },
    cookies: {
      getAll: () => cookieStore.getAll(),
      setAll(cookiesToSet) {
        try {
          for (const { name, value, options } of cookiesToSet) cookieStore.set(name, value, options);
        } catch {
          // Called from a server component, which cannot set cookies; the proxy refreshes sessions.
        }
      },
    },
  });
}
