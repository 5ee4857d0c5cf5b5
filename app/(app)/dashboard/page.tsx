import type { Metadata } from "next";
import Link from "next/link";
import { ArchiveModelButton } from "@/components/archive-model-button";
import { IgnoredFilters } from "@/components/filter-form";
import { SessionFilters, SessionPager } from "@/components/session/session-filters";
import { SessionList } from "@/components/session/session-list";
import { prefillOf } from "@/components/session/session-prefill";
import { StartSessionDialog } from "@/components/session/start-session-dialog";
import { Button } from "@/components/ui/button";
import { Badge, Card } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/current-user";
import { AppError } from "@/lib/errors";
import { formatUsd } from "@/lib/format";
import { ownModelOnly } from "@/lib/schemas/search-params";
import { parseSessionCardFilter, SESSION_CARDS_PER_PAGE } from "@/lib/schemas/session";
import type { UserContext } from "@/lib/services/context";
import { listModels } from "@/lib/services/models";
import { rerunInputOf } from "@/lib/services/sessions/create";
import { getSession } from "@/lib/services/sessions/read";
import { getStartDefaults, listSessionCards } from "@/lib/services/session-view";
import { describeTrading } from "@/lib/viewer/format";
import { CloneModelButton } from "./clone-model-button";

export const metadata: Metadata = { title: "Dashboard" };

/** The session named by ?rerun=, if it is one of the user's; "missing" when it is not (or not an id). */
async function sessionToRerun(ctx: UserContext, id: string | string[] | undefined) {
  if (id === undefined || id === "") return null;
  return getSession(ctx, String(id)).catch((err: unknown) => {
    if (err instanceof AppError && err.kind === "not_found") return "missing" as const;
    throw err;
  });
}

export default async function DashboardPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  const ctx = { userId: user.id, claims: user.claims };
  const params = await searchParams;
  const parsed = parseSessionCardFilter(params);
  const [models, defaults, rerun] = await Promise.all([listModels(ctx), getStartDefaults(), sessionToRerun(ctx, params.rerun)]);
  const { filter, error } = ownModelOnly(parsed, models);
  const { cards, total } = await listSessionCards(ctx, {
    modelId: filter.model,
    status: filter.status,
    offset: (filter.page - 1) * SESSION_CARDS_PER_PAGE,
    limit: SESSION_CARDS_PER_PAGE,
  });
  const filtered = Boolean(filter.model || filter.status);
  const active = models.filter((m) => m.isActive).map((m) => ({ id: m.id, name: m.name, llm: m.llm, trading: m.trading }));
  // ?rerun=<session id> (the viewer's "Change and run again"): the Start dialog opens filled from that session.
  const rerunModelActive = rerun !== null && rerun !== "missing" && active.some((m) => m.id === rerun.modelId);
  const rerunError = rerun === "missing" ? "The session to run again was not found." : rerun && !rerunModelActive ? "The model of the session to run again is archived: restore it first." : null;
  return (
    <div className="grid gap-8">
      <section aria-labelledby="models-heading" className="grid gap-4">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h1 id="models-heading" className="text-2xl font-semibold">
            Models
          </h1>
          <Button asChild>
            <Link href="/models/new">New model</Link>
          </Button>
        </div>
        {models.length === 0 ? (
          <Card className="text-center">
            <p className="font-medium">No models yet — create one</p>
            <p className="mt-1 text-sm text-muted-foreground">
              A model is an LLM or a built-in strategy with a strategy prompt and a starting balance.
            </p>
          </Card>
        ) : (
          <ul className="grid gap-3 md:grid-cols-2" aria-label="Models">
            {models.map((m) => (
              <li key={m.id} className="min-w-0">
                <Card className={m.isActive ? "" : "border-dashed bg-muted/40"}>
                  <div className="flex items-start justify-between gap-3">
                    <div className="min-w-0">
                      <h2 className="truncate font-semibold">{m.name}</h2>
                      <p className="truncate font-mono text-xs text-muted-foreground">
                        {m.signature} · {m.llm}
                      </p>
                    </div>
                    {!m.isActive && <Badge>Archived</Badge>}
                  </div>
                  {m.description && <p className="mt-2 line-clamp-2 text-sm text-muted-foreground">{m.description}</p>}
                  <p className="mt-2 text-xs text-muted-foreground">{describeTrading(m.trading)}</p>
                  <div className="mt-4 flex flex-wrap items-center justify-between gap-2">
                    <span className="grid text-sm">
                      Starting cash {formatUsd(m.startingCash)}
                      <Link href={`/dashboard?model=${m.id}#sessions-heading`} className="text-xs text-primary hover:underline" aria-label={`Sessions of ${m.name}`}>
                        Sessions
                      </Link>
                    </span>
                    <div className="flex flex-wrap gap-2">
                      <Button asChild variant="outline" size="sm">
                        <Link href={`/models/${m.id}/edit`} aria-label={`Edit ${m.name}`}>
                          Edit
                        </Link>
                      </Button>
                      <CloneModelButton id={m.id} name={m.name} />
                      <ArchiveModelButton id={m.id} name={m.name} isActive={m.isActive} />
                    </div>
                  </div>
                </Card>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="sessions-heading" className="grid gap-4">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="sessions-heading" className="text-2xl font-semibold">
            Sessions
          </h2>
          <StartSessionDialog models={active} defaults={defaults} prefill={rerunModelActive ? prefillOf(rerunInputOf(rerun)) : undefined} />
        </div>
        {rerunError && (
          <p role="alert" className="text-sm text-destructive">
            {rerunError}
          </p>
        )}
        <IgnoredFilters error={error} />
        {(total > 0 || filtered) && <SessionFilters filter={filter} models={models} />}
        {total === 0 && filtered ? (
          <Card className="text-center">
            <p className="font-medium">No sessions match these filters</p>
            <p className="mt-1 text-sm text-muted-foreground">Choose another model or status, or show all sessions.</p>
          </Card>
        ) : total === 0 ? (
          <Card className="text-center">
            <p className="font-medium">No sessions yet — start one</p>
            <p className="mt-1 text-sm text-muted-foreground">
              {active.length === 0
                ? models.length > 0
                  ? "Your models are archived: restore one or create one, then run it as a backtest or an intraday replay."
                  : "Create a model first, then run it as a backtest or an intraday replay."
                : "Run a model as a backtest over days or hours, or replay one trading day minute by minute."}
            </p>
          </Card>
        ) : (
          <>
            <SessionPager filter={filter} total={total} shown={cards.length} />
            {cards.length > 0 && <SessionList cards={cards} />}
          </>
        )}
      </section>
    </div>
  );
}
