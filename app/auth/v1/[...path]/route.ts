import { handleAuthRequest } from "@/lib/auth-server/handler";
import { authLimits } from "@/lib/auth-server/rate-limit";
import { getDb } from "@/lib/db/client";
import { localAuth } from "@/lib/env";

/** The built-in Supabase Auth subset; absent (404) when a real Supabase project is configured. */
async function handle(req: Request, { params }: { params: Promise<{ path: string[] }> }) {
  if (!localAuth) return new Response("Not found", { status: 404 });
  const { path } = await params;
  return handleAuthRequest(req, `/${path.join("/")}`, { db: getDb(), limits: authLimits(getDb()) });
}

// Every method reaches the handler, which answers one it does not serve in Supabase's shape (405 or 404), not with Next's empty 405.
export { handle as GET, handle as POST, handle as PUT, handle as PATCH, handle as DELETE };
