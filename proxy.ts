import type { NextRequest } from "next/server";
import { updateSession } from "@/lib/supabase/proxy";

export function proxy(request: NextRequest) {
  return updateSession(request);
}

export const config = {
  // Everything but static files and the built-in auth server itself.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|auth/v1/|.*\\.(?:svg|png|jpg|jpeg|gif|webp|ico)$).*)"],
};
