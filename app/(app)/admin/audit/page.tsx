import type { Metadata } from "next";
import { ScrollRegion } from "@/components/ui/scroll-region";
import Link from "next/link";
import { notFound } from "next/navigation";
import { IgnoredFilters } from "@/components/filter-form";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { requireUser } from "@/lib/auth/current-user";
import { ORDER_SIDES, ORDER_STATUSES, ORDER_TYPES } from "@/lib/engine";
import { AppError } from "@/lib/errors";
import { formatUsd } from "@/lib/format";
import { AUDIT_EXPORT_LIMIT, AUDIT_PAGE_SIZE, parseAuditFilter, type AuditFilter } from "@/lib/schemas/audit";
import { describeIssues } from "@/lib/schemas/search-params";
import { auditOrders, failedDecisions } from "@/lib/services/admin-audit";

export const metadata: Metadata = { title: "Trade audit" };

type Search = Record<string, string | string[] | undefined>;

const SIDE_LABEL: Record<string, string> = { buy: "Buy", sell: "Sell", sell_short: "Short", buy_to_cover: "Cover" };
const TYPE_LABEL: Record<string, string> = { market: "Market", limit: "Limit", stop: "Stop", stop_limit: "Stop limit", trailing_stop: "Trailing stop" };
const LEG_LABEL: Record<string, string> = { entry: "entry", take_profit: "take-profit", stop_loss: "stop-loss" };

/** "limit $101.00 · stop $95.00 · trail $3.00": the prices an order works at (none for a market order). */
function levels(r: { limitPrice: string | null; stopPrice: string | null; trailPrice: string | null; trailPercent: string | null }): string {
  const parts = [
    r.limitPrice ? `limit ${formatUsd(r.limitPrice)}` : null,
    r.stopPrice ? `stop ${formatUsd(r.stopPrice)}` : null,
    r.trailPrice ? `trail ${formatUsd(r.trailPrice)}` : r.trailPercent ? `trail ${Number(r.trailPercent)}%` : null,
  ].filter((p) => p !== null);
  return parts.length > 0 ? parts.join(" · ") : "—";
}

function hrefWith(f: AuditFilter, patch: Partial<AuditFilter>, path = "/admin/audit") {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...f, ...patch })) if (v !== undefined && v !== "") params.set(k, String(v));
  return `${path}?${params}`;
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requireUser();
  const parsed = parseAuditFilter(await searchParams);
  const filter = parsed.success ? parsed.data : parseAuditFilter({}).data!;
  const result = await auditOrders({ userId: user.id, claims: user.claims }, filter).catch((err: unknown) => {
    if (err instanceof AppError && err.kind === "not_found") notFound();
    throw err;
  });
  const failed = await failedDecisions({ userId: user.id, claims: user.claims });
  const pages = Math.max(1, Math.ceil(result.total / AUDIT_PAGE_SIZE));
  const sortLink = (key: AuditFilter["sort"], label: string) => (
    <Link
      href={hrefWith(filter, { sort: key, dir: filter.sort === key && filter.dir === "desc" ? "asc" : "desc", page: 1 })}
      className="hover:underline"
      aria-label={`Sort by ${label}`}
    >
      {label}
      {filter.sort === key ? (filter.dir === "desc" ? " ↓" : " ↑") : ""}
    </Link>
  );

  return (
    <div className="grid gap-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">Trade audit</h1>
        {result.total > AUDIT_EXPORT_LIMIT ? (
          <p className="text-sm text-muted-foreground" id="export-limit">
            Export CSV: at most {AUDIT_EXPORT_LIMIT.toLocaleString("en-US")} orders; narrow the filters.
          </p>
        ) : (
          <Button asChild variant="outline">
            <a href={hrefWith(filter, { page: 1 }, "/api/v1/admin/orders").replace("?", "?format=csv&")} download="bullpen-audit.csv">
              Export CSV
            </a>
          </Button>
        )}
      </div>
      <IgnoredFilters error={parsed.success ? null : describeIssues(parsed.error)} />
      <Card>
        <form method="get" className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4" aria-label="Filters">
          {(
            [
              ["user", "User email"],
              ["model", "Model"],
              ["session", "Session id"],
              ["symbol", "Symbol"],
            ] as const
          ).map(([name, label]) => (
            <label key={name} className="grid gap-1 text-sm">
              {label}
              <Input name={name} defaultValue={filter[name] ?? ""} />
            </label>
          ))}
          {(
            [
              ["side", "Side", ORDER_SIDES.map((v) => [v, SIDE_LABEL[v]])],
              ["status", "Status", ORDER_STATUSES.map((v) => [v, v])],
              ["type", "Type", ORDER_TYPES.map((v) => [v, TYPE_LABEL[v]])],
            ] as const
          ).map(([name, label, options]) => (
            <label key={name} className="grid gap-1 text-sm">
              {label}
              <select name={name} defaultValue={filter[name] ?? ""} className="h-9 rounded-md border bg-card px-2 text-sm">
                <option value="">Any</option>
                {options.map(([value, text]) => (
                  <option key={value} value={value}>
                    {text}
                  </option>
                ))}
              </select>
            </label>
          ))}
          <label className="grid gap-1 text-sm">
            From (UTC day)
            <Input type="date" name="from" defaultValue={filter.from ?? ""} />
          </label>
          <label className="grid gap-1 text-sm">
            To (UTC day)
            <Input type="date" name="to" defaultValue={filter.to ?? ""} />
          </label>
          <div className="flex gap-2 sm:col-span-2 lg:col-span-4">
            <Button type="submit">Apply filters</Button>
            <Button asChild variant="ghost">
              <Link href="/admin/audit">Clear</Link>
            </Button>
          </div>
        </form>
      </Card>
      <p className="text-sm text-muted-foreground" aria-live="polite">
        {result.total.toLocaleString("en-US")} orders · page {filter.page} of {pages}
      </p>
      {result.rows.length === 0 ? (
        <Card className="text-center">No orders match these filters.</Card>
      ) : (
        <ScrollRegion label="Orders (scrolls sideways)" className="overflow-x-auto rounded-lg border bg-card">
          <table className="w-full text-sm" aria-label="Orders">
            <thead className="border-b text-left text-muted-foreground">
              <tr>
                <th className="p-2">{sortLink("placedAt", "Time (UTC)")}</th>
                <th className="p-2">{sortLink("user", "User")}</th>
                <th className="p-2">{sortLink("model", "Model")}</th>
                <th className="p-2">{sortLink("symbol", "Symbol")}</th>
                <th className="p-2">Side</th>
                <th className="p-2 text-right">{sortLink("quantity", "Quantity")}</th>
                <th className="p-2">Type</th>
                <th className="p-2">Prices</th>
                <th className="p-2">{sortLink("status", "Status")}</th>
                <th className="p-2">Triggered (UTC)</th>
                <th className="p-2 text-right">Fill price</th>
                <th className="p-2 text-right">Fee</th>
                <th className="p-2">Decision</th>
              </tr>
            </thead>
            <tbody>
              {result.rows.map((r) => (
                <tr key={r.id} className="border-b last:border-0">
                  <td className="whitespace-nowrap p-2 font-mono text-xs">{r.placedAt.toISOString().replace("T", " ").slice(0, 16)}</td>
                  <td className="p-2">{r.userEmail}</td>
                  <td className="p-2">
                    {r.modelName}
                    {r.drivenBy && <span className="block text-xs text-muted-foreground">driven by: {r.drivenBy}</span>}
                  </td>
                  <td className="p-2 font-mono">{r.symbol ?? "—"}</td>
                  <td className="p-2">{r.side ? SIDE_LABEL[r.side] : "—"}</td>
                  <td className="p-2 text-right">{r.quantity ?? "—"}</td>
                  <td className="whitespace-nowrap p-2">
                    {TYPE_LABEL[r.type] ?? r.type} · {r.timeInForce}
                    {r.orderClass !== "simple" && (
                      <span className="block text-xs text-muted-foreground">
                        {r.orderClass} {LEG_LABEL[r.leg] ?? r.leg}
                      </span>
                    )}
                  </td>
                  <td className="whitespace-nowrap p-2 font-mono text-xs">{levels(r)}</td>
                  <td className="p-2">
                    {r.status === "rejected" ? (
                      <span className="text-destructive" title={r.rejectMessage ?? undefined}>
                        rejected · {r.rejectCode}
                      </span>
                    ) : (
                      <>
                        {r.status}
                        {r.reason && <span className="text-muted-foreground"> · {r.reason.replaceAll("_", " ")}</span>}
                      </>
                    )}
                  </td>
                  <td className="whitespace-nowrap p-2 font-mono text-xs">{r.triggeredAt ? r.triggeredAt.toISOString().replace("T", " ").slice(0, 16) : "—"}</td>
                  <td className="p-2 text-right">{r.fillPrice ? formatUsd(r.fillPrice) : "—"}</td>
                  <td className="p-2 text-right">{r.fee ? formatUsd(r.fee) : "—"}</td>
                  <td className="p-2">
                    {r.decisionId ? (
                      <Link className="text-primary underline" href={`/admin/audit/decisions/${r.decisionId}`} aria-label={`Open the decision behind order ${r.id}`}>
                        Open
                      </Link>
                    ) : (
                      "—"
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      <nav aria-label="Pages" className="flex gap-2">
        {filter.page > 1 && (
          <Button asChild variant="outline" size="sm">
            <Link href={hrefWith(filter, { page: filter.page - 1 })}>Previous page</Link>
          </Button>
        )}
        {filter.page < pages && (
          <Button asChild variant="outline" size="sm">
            <Link href={hrefWith(filter, { page: filter.page + 1 })}>Next page</Link>
          </Button>
        )}
      </nav>
      <section aria-labelledby="failed-heading" className="grid gap-2">
        <h2 id="failed-heading" className="text-lg font-semibold">
          Failed decisions
        </h2>
        {failed.length === 0 ? (
          <p className="text-sm text-muted-foreground">No decision has failed.</p>
        ) : (
          <ul className="grid gap-2" aria-label="Failed decisions">
            {failed.map((f) => (
              <li key={f.id} className="rounded-md border border-destructive/50 bg-card p-3 text-sm">
                <Link className="font-medium text-primary underline" href={`/admin/audit/decisions/${f.id}`}>
                  {f.clock.toISOString().replace("T", " ").slice(0, 16)} · {f.userEmail} · {f.modelName}
                </Link>
                <p className="text-destructive">Failed: {f.error}</p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
