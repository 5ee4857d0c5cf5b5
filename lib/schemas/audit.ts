import { z } from "zod";
import { ORDER_SIDES, ORDER_STATUSES, ORDER_TYPES } from "@/lib/engine";
import { blankToUndefined, optionalParam as optional, searchParamEntries, wholeParam } from "./search-params";
import { isCalendarDate } from "./session";
import { refineText } from "./text";

/** Filters, sort and page of the admin trade audit, from URL search params (page, CSV and API alike). */
export const AUDIT_SORTS = ["placedAt", "symbol", "user", "model", "status", "quantity"] as const;
export const AUDIT_PAGE_SIZE = 50;
/** A CSV export holds at most this many orders; a larger filtered set is refused (narrow the filters), never cut short. */
export const AUDIT_EXPORT_LIMIT = 100_000;

const day = z.string().refine(isCalendarDate, "Use a date like 2025-10-30");

const fields = {
  user: optional(z.string().trim().max(254).superRefine(refineText("User"))),
  model: optional(z.string().trim().max(80).superRefine(refineText("Model"))),
  session: optional(z.uuid("Session must be a session id")),
  symbol: optional(z.string().trim().toUpperCase().regex(/^[A-Z0-9.-]{1,12}$/, "Symbol looks like AAPL")),
  side: optional(z.enum(ORDER_SIDES, { error: `Side must be one of ${ORDER_SIDES.join(", ")}` })),
  status: optional(z.enum(ORDER_STATUSES, { error: `Status must be one of ${ORDER_STATUSES.join(", ")}` })),
  type: optional(z.enum(ORDER_TYPES, { error: `Type must be one of ${ORDER_TYPES.join(", ")}` })),
  from: optional(day),
  to: optional(day),
  sort: z.preprocess(blankToUndefined, z.enum(AUDIT_SORTS, { error: `Sort must be one of ${AUDIT_SORTS.join(", ")}` }).default("placedAt")),
  dir: z.preprocess(blankToUndefined, z.enum(["asc", "desc"], { error: "Direction must be asc or desc" }).default("desc")),
  page: wholeParam("Page", 1, 100_000, 1),
};
const fromBeforeTo = (f: { from?: string; to?: string }) => !f.from || !f.to || f.to >= f.from;
const TO_AFTER_FROM = { message: "To must be on or after From", path: ["to"] };

export const auditFilterSchema = z.object(fields).refine(fromBeforeTo, TO_AFTER_FROM);
/** The API's (GET /api/v1/admin/orders): the same filters, and a parameter it does not know is refused, where the page ignores it. */
export const auditQuerySchema = z.object(fields).strict().refine(fromBeforeTo, TO_AFTER_FROM);
export type AuditFilter = z.output<typeof auditFilterSchema>;

/** Parses URLSearchParams or a Next searchParams object; bad values are reported per field (`strict`: unknown parameters too). */
export function parseAuditFilter(params: URLSearchParams | Record<string, string | string[] | undefined>, { strict = false }: { strict?: boolean } = {}) {
  return (strict ? auditQuerySchema : auditFilterSchema).safeParse(searchParamEntries(params));
}
