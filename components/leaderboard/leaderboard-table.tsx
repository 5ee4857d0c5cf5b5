"use client";
import { useQuery } from "@tanstack/react-query";
import { ArrowDown, ArrowUp } from "lucide-react";
import Link from "next/link";
import { useMemo, useState } from "react";
import { compareSessionsAction } from "@/app/(app)/leaderboard/actions";
import { Badge, Card } from "@/components/ui/card";
import { formatDrawdown, formatPct, formatRatio, KIND_LABEL, sessionTitle, toneOf } from "@/lib/viewer/format";
import type { LeaderboardEntry } from "@/lib/services/leaderboard";
import { cn } from "@/lib/utils";
import { ScrollRegion } from "@/components/ui/scroll-region";
import { CompareChart } from "./compare-chart";
import { countOf } from "@/lib/format";

type SortKey = "totalReturn" | "sharpe" | "maxDrawdown" | "benchmarkReturn" | "excessReturn";
const COLUMNS: { key: SortKey; label: string; format: (v: number | null) => string; /** Better is higher. */ higher: boolean }[] = [
  { key: "totalReturn", label: "Return", format: formatPct, higher: true },
  { key: "sharpe", label: "Sharpe", format: formatRatio, higher: true },
  { key: "maxDrawdown", label: "Max drawdown", format: formatDrawdown, higher: false },
  { key: "benchmarkReturn", label: "Benchmark", format: formatPct, higher: true },
  { key: "excessReturn", label: "Excess return", format: formatPct, higher: true },
];

/** Best first for the column; unknown values last either way. */
function sortEntries(entries: readonly LeaderboardEntry[], key: SortKey, bestFirst: boolean): LeaderboardEntry[] {
  const col = COLUMNS.find((c) => c.key === key)!;
  const sign = (col.higher ? -1 : 1) * (bestFirst ? 1 : -1);
  return [...entries].sort((a, b) => {
    const x = a[key];
    const y = b[key];
    if (x === null && y === null) return 0;
    if (x === null) return 1;
    if (y === null) return -1;
    return sign * (x - y);
  });
}

const label = (e: LeaderboardEntry) => `${sessionTitle(e)}, ${KIND_LABEL[e.kind]} ${e.range}`;

/** The user's completed sessions, sortable by each metric; tick two or more to compare their curves. */
export function LeaderboardTable({ entries }: { entries: readonly LeaderboardEntry[] }) {
  const [sort, setSort] = useState<{ key: SortKey; bestFirst: boolean }>({ key: "totalReturn", bestFirst: true });
  const [picked, setPicked] = useState<readonly string[]>([]);
  const rows = useMemo(() => sortEntries(entries, sort.key, sort.bestFirst), [entries, sort]);
  const names = useMemo(() => new Map(entries.map((e) => [e.id, label(e)])), [entries]);
  const ids = useMemo(() => [...picked].sort(), [picked]);
  const compare = useQuery({
    queryKey: ["compare", ...ids],
    queryFn: async () => {
      const res = await compareSessionsAction(ids);
      if (!res.ok) throw new Error(res.message);
      return res.comparison;
    },
    enabled: ids.length >= 2,
    staleTime: Infinity,
  });

  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id]));
  return (
    <div className="grid gap-6">
      <ScrollRegion label="Leaderboard table" className="overflow-x-auto rounded-lg border bg-card shadow-xs">
        <table className="w-full min-w-[52rem] text-sm" aria-label="Leaderboard">
          <thead>
            <tr className="border-b text-left text-xs text-muted-foreground">
              <th scope="col" className="px-3 py-2 font-medium">
                <span className="sr-only">Compare</span>
              </th>
              <th scope="col" className="px-2 py-2 font-medium">
                #
              </th>
              <th scope="col" className="px-2 py-2 font-medium">
                Session
              </th>
              {COLUMNS.map((c) => {
                const active = sort.key === c.key;
                const ascending = active && (c.higher ? !sort.bestFirst : sort.bestFirst);
                return (
                  <th key={c.key} scope="col" className="px-2 py-2 text-right font-medium" aria-sort={active ? (ascending ? "ascending" : "descending") : "none"}>
                    <button
                      type="button"
                      className="inline-flex items-center gap-1 rounded hover:text-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
                      onClick={() => setSort((s) => ({ key: c.key, bestFirst: s.key === c.key ? !s.bestFirst : true }))}
                      aria-label={`Sort by ${c.label}`}
                    >
                      {c.label}
                      {active && (ascending ? <ArrowUp className="h-3 w-3" aria-hidden /> : <ArrowDown className="h-3 w-3" aria-hidden />)}
                    </button>
                  </th>
                );
              })}
              <th scope="col" className="px-3 py-2 text-right font-medium">
                Trades
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((e, i) => (
              <tr key={e.id} className={cn("border-b last:border-0", picked.includes(e.id) && "bg-muted/60")}>
                <td className="px-3 py-2">
                  <input type="checkbox" className="h-4 w-4 accent-[var(--primary)]" checked={picked.includes(e.id)} onChange={() => toggle(e.id)} aria-label={`Compare ${label(e)}`} />
                </td>
                <td className="px-2 py-2 tabular-nums text-muted-foreground">{i + 1}</td>
                <th scope="row" className="max-w-[18rem] px-2 py-2 text-left font-normal">
                  <Link href={`/sessions/${e.id}`} className="block truncate font-medium hover:underline">
                    {sessionTitle(e)}
                  </Link>
                  <span className="flex flex-wrap items-center gap-1 text-xs text-muted-foreground">
                    {KIND_LABEL[e.kind]} · {e.range} · {e.interval} · {countOf(e.symbols, "symbol")}
                    {e.drivenBy !== null && <span> · driven by: {e.drivenBy}</span>}
                    {e.synthetic && <Badge className="border-amber-500/60 px-1.5 py-0 text-[10px] text-amber-800 dark:text-amber-200">Synthetic data</Badge>}
                  </span>
                </th>
                {COLUMNS.map((c) => (
                  <td
                    key={c.key}
                    className={cn(
                      "px-2 py-2 text-right tabular-nums",
                      (c.key === "totalReturn" || c.key === "excessReturn") && toneOf(e[c.key]),
                    )}
                    title={c.key === "benchmarkReturn" ? (e.benchmarkName ?? undefined) : undefined}
                  >
                    {c.format(e[c.key])}
                  </td>
                ))}
                <td className="px-3 py-2 text-right tabular-nums">{e.trades}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>

      <Card className="p-4">
        <section aria-label="Compare sessions" className="grid gap-3">
          <h2 className="font-semibold">Compare</h2>
          {ids.length < 2 ? (
            <p className="text-sm text-muted-foreground">
              Tick two or more sessions in the table to compare their equity curves on one chart ({ids.length} picked).
            </p>
          ) : compare.isError ? (
            <p role="alert" className="text-sm text-destructive">
              Could not load the curves: {compare.error.message}
            </p>
          ) : compare.isPending ? (
            <p className="grid h-80 place-items-center text-sm text-muted-foreground">Loading curves…</p>
          ) : (
            <CompareChart comparison={compare.data} names={names} />
          )}
        </section>
      </Card>
    </div>
  );
}
