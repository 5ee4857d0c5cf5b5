import Link from "next/link";
import { FilterForm, modelField } from "@/components/filter-form";
import { Button } from "@/components/ui/button";
import { SESSION_CARDS_PER_PAGE, SESSION_STATUSES, type SessionCardFilter } from "@/lib/schemas/session";
import { STATUS_LABEL } from "@/lib/viewer/format";

/** The dashboard URL for a filter (defaults left out). */
function sessionsHref(f: SessionCardFilter, patch: Partial<SessionCardFilter> = {}): string {
  const { model, status, page } = { ...f, ...patch };
  const params = new URLSearchParams();
  if (model) params.set("model", model);
  if (status) params.set("status", status);
  if (page > 1) params.set("page", String(page));
  const query = params.toString();
  return query ? `/dashboard?${query}#sessions-heading` : "/dashboard#sessions-heading";
}

/** The dashboard's session filter: model and status. */
export function SessionFilters({ filter, models }: { filter: SessionCardFilter; models: readonly { id: string; name: string; isActive: boolean }[] }) {
  return (
    <FilterForm
      label="Filter sessions"
      action="/dashboard#sessions-heading"
      clearLabel="Show all sessions"
      fields={[
        modelField(filter.model, models),
        { name: "status", label: "Status", value: filter.status, options: [["", "Any status"], ...SESSION_STATUSES.map((s) => [s, STATUS_LABEL[s]] as const)], className: "w-40" },
      ]}
    />
  );
}

/** "Sessions 51–73 of 73" with links to the newer and older pages. */
export function SessionPager({ filter, total, shown }: { filter: SessionCardFilter; total: number; shown: number }) {
  const pages = Math.max(1, Math.ceil(total / SESSION_CARDS_PER_PAGE));
  if (pages === 1 && filter.page === 1) return null;
  const first = (filter.page - 1) * SESSION_CARDS_PER_PAGE + 1;
  const newer = filter.page > 1 ? sessionsHref(filter, { page: Math.min(filter.page - 1, pages) }) : null;
  const older = filter.page < pages ? sessionsHref(filter, { page: filter.page + 1 }) : null;
  return (
    <nav aria-label="Session pages" className="flex flex-wrap items-center justify-between gap-3 text-sm">
      <p className="text-muted-foreground" data-testid="sessions-range">
        {shown > 0
          ? `Sessions ${first.toLocaleString("en-US")}–${(first + shown - 1).toLocaleString("en-US")} of ${total.toLocaleString("en-US")} · page ${filter.page} of ${pages}`
          : `Page ${filter.page} is past the last page (${pages})`}
      </p>
      <div className="flex gap-2">
        <PageLink href={newer} rel="prev" label="Newer" />
        <PageLink href={older} rel="next" label="Older" />
      </div>
    </nav>
  );
}

/** A pager link, or the same control disabled when there is no such page. */
function PageLink({ href, rel, label }: { href: string | null; rel: "prev" | "next"; label: string }) {
  if (!href) {
    return (
      <Button variant="outline" size="sm" disabled>
        {label}
      </Button>
    );
  }
  return (
    <Button asChild variant="outline" size="sm">
      <Link href={href} rel={rel}>
        {label}
      </Link>
    </Button>
  );
}
