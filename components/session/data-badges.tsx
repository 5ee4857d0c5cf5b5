import { Badge } from "@/components/ui/card";
import type { DataLabel } from "@/lib/viewer/types";

/** "Synthetic data" / "Derived minute bars": what the session's prices are, always visible. */
export function DataBadges({ data, interval }: { data: DataLabel; interval: string }) {
  return (
    <>
      {data.synthetic && (
        <Badge className="border-amber-500/60 bg-amber-500/10 text-amber-800 dark:text-amber-200" title="Prices come from Bullpen's seeded synthetic market (ZZ… tickers), not a real exchange">
          Synthetic data
        </Badge>
      )}
      {data.derived && (
        <Badge className="border-sky-500/60 bg-sky-500/10 text-sky-800 dark:text-sky-200" title="Minute bars derived from hourly bars by a seeded Brownian bridge">
          Derived {interval} bars
        </Badge>
      )}
    </>
  );
}
