import type { Claims } from "@/lib/db/rls";

/** Who is acting: built from the authenticated request, never from input. */
export interface UserContext {
  userId: string;
  claims: Claims;
}
