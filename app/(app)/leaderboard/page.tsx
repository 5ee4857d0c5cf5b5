import type { Metadata } from "next";
import Link from "next/link";
import { LeaderboardTable } from "@/components/leaderboard/leaderboard-table";
import { Card } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/current-user";
import { getLeaderboard } from "@/lib/services/leaderboard";

export const metadata: Metadata = { title: "Leaderboard" };

export default async function LeaderboardPage() {
  const user = await requireUser();
  const { entries, unranked } = await getLeaderboard({ userId: user.id, claims: user.claims });
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
      {entries.length === 0 ? (
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
