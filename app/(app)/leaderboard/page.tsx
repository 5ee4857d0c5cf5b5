import type { Metadata } from "next";
import Link from "next/link";
import { FilterForm, IgnoredFilters, modelField } from "@/components/filter-form";
import { LeaderboardTable } from "@/components/leaderboard/leaderboard-table";
import { Card } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/current-user";
import { LEADERBOARD_LIMIT, parseLeaderboardFilter } from "@/lib/schemas/leaderboard";
import { ownModelOnly } from "@/lib/schemas/search-params";
import { getLeaderboard } from "@/lib/services/leaderboard";
import { listModels } from "@/lib/services/models";

export const metadata: Metadata = { title: "Leaderboard" };

const BAR_OPTIONS = [
  ["", "Any bars"],
  ["day", "Day bars (backtests)"],
  ["hour", "Hour bars (backtests)"],
  ["minute", "Minute bars (replays)"],
] as const;

export default async function LeaderboardPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  const ctx = { userId: user.id, claims: user.claims };
  const models = await listModels(ctx);
  const { filter, error } = ownModelOnly(parseLeaderboardFilter(await searchParams), models);
  const { entries, total, unranked } = await getLeaderboard(ctx, { modelId: filter.model, interval: filter.bars });
  const filtered = Boolean(filter.model || filter.bars);
  return (
    <div className="grid gap-6">
      <div className="grid gap-1">
        <h1 className="text-2xl font-semibold">Leaderboard</h1>
        <p className="text-sm text-muted-foreground">
          Your completed sessions, ranked by return, Sharpe (risk-free 0, annualised by the bar interval) and maximum drawdown, against a buy-and-hold
          benchmark with the same starting cash.
          {unranked > 0 && ` ${unranked} session${unranked === 1 ? " is" : "s are"} not ranked yet (running, paused, failed or cancelled).`}
        </p>
      </div>
      <IgnoredFilters error={error} />
      {(total > 0 || filtered) && (
        <FilterForm
          label="Filter the leaderboard"
          action="/leaderboard"
          clearLabel="Rank all sessions"
          fields={[
            modelField(filter.model, models),
            { name: "bars", label: "Bars", value: filter.bars, options: BAR_OPTIONS, className: "w-56" },
          ]}
        />
      )}
      {total > entries.length && (
        <p className="text-sm text-muted-foreground" data-testid="leaderboard-limit">
          Ranking the {LEADERBOARD_LIMIT} most recently finished of {total.toLocaleString("en-US")} sessions: filter by model or bars to rank the others.
        </p>
      )}
      {entries.length === 0 && filtered ? (
        <Card className="text-center">
          <p className="font-medium">No completed sessions match these filters</p>
          <p className="mt-1 text-sm text-muted-foreground">Choose another model or bars, or rank all sessions.</p>
        </Card>
      ) : entries.length === 0 ? (
        <Card className="text-center">
          <p className="font-medium">No completed sessions yet</p>
          <p className="mt-1 text-sm text-muted-foreground">
            Start a session from the{" "}
            <Link href="/dashboard" className="text-primary underline">
              dashboard
            </Link>
            ; it shows up here when it completes.
          </p>
        </Card>
      ) : (
        <LeaderboardTable entries={entries} />
      )}
    </div>
  );
}
