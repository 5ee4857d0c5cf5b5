import { z } from "zod";
import { notFound } from "@/lib/errors";

const uuid = z.uuid();

/**
 * An id that is not a UUID names nothing the caller may see: NOT_FOUND, as for another user's id, and
 * answered before any query (PostgreSQL would refuse it as a malformed uuid, a 500).
 */
export function assertId(id: string, what: string): void {
  if (!uuid.safeParse(id).success) throw notFound(what);
}
