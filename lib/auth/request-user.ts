import "server-only";
import { createClient as createSupabaseClient } from "@supabase/supabase-js";
import { supabasePublishableKey, supabaseServerUrl } from "@/lib/env";
import type { CurrentUser } from "./current-user";
import { getCurrentUser } from "./current-user";

/**
 * The caller of an API route: `Authorization: Bearer <Supabase access token>` (verified locally against
 * the JWKS, like the proxy does), or else the session cookie. Null when neither verifies.
 */
export async function getRequestUser(req: Request): Promise<CurrentUser | null> {
  const token = /^Bearer\s+(\S+)$/i.exec(req.headers.get("authorization") ?? "")?.[1];
  if (!token) return getCurrentUser();
  const supabase = createSupabaseClient(supabaseServerUrl, supabasePublishableKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  });
  const { data, error } = await supabase.auth.getClaims(token);
  const claims = data?.claims;
  if (error || !claims?.sub || claims.role !== "authenticated") return null;
  return { id: claims.sub, email: String(claims.email ?? ""), claims: claims as CurrentUser["claims"] };
}
