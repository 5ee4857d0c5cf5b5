import { apiError, asUser, otherMethods } from "@/lib/api/respond";
import { parseAuditFilter } from "@/lib/schemas/audit";
import { auditCsv, auditOrders, auditOrdersForExport } from "@/lib/services/admin-audit";

/** Admins only (404 for anyone else): the filtered orders as JSON (paginated) or `?format=csv` (all of them). */
export const GET = (req: Request) =>
  asUser(req, async (ctx) => {
    const params = new URL(req.url).searchParams;
    const format = params.get("format") ?? "json";
    params.delete("format");
    if (format !== "json" && format !== "csv") return apiError(400, "VALIDATION_FAILED", "Some filters are not valid", { format: 'format must be "json" or "csv"' });
    const parsed = parseAuditFilter(params, { strict: true });
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => (i.code === "unrecognized_keys" ? ["query", `unknown parameter(s): ${i.keys.join(", ")}`] : [String(i.path[0]), i.message]));
      return apiError(400, "VALIDATION_FAILED", "Some filters are not valid", Object.fromEntries(fields));
    }
    if (format === "csv") {
      return new Response(auditCsv(await auditOrdersForExport(ctx, parsed.data)), {
        headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": 'attachment; filename="bullpen-audit.csv"' },
      });
    }
    const { rows, total } = await auditOrders(ctx, parsed.data);
    return Response.json({ orders: rows, total, page: parsed.data.page });
  });

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
