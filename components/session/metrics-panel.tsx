import { memo, useId } from "react";
import { annualizedDisplay } from "@/lib/viewer/derive";
import { formatDrawdown, formatMoney, formatPct, formatRatio, formatShare } from "@/lib/viewer/format";
import type { MetricsView } from "@/lib/viewer/types";

function Item({ label, value, testId, note, noteId }: { label: string; value: string; testId?: string; note?: string | null; noteId?: string }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="truncate font-medium tabular-nums" data-testid={testId} title={note ?? undefined} aria-describedby={note ? noteId : undefined}>
        {value}
      </dd>
    </div>
  );
}

/** The session's metrics: the stored final ones when it finished, else computed from the curve so far. */
/** Memoised: the viewer re-renders on every batch of events; this panel only when its own props change. */
export const MetricsPanel = memo(function MetricsPanel({
  metrics,
  final,
  benchmark,
  benchmarkReturn,
  bars,
  interval,
  borrowFeesPaid,
}: {
  metrics: MetricsView;
  final: boolean;
  benchmark: MetricsView | null;
  benchmarkReturn: number | null;
  /** Bars run: the annualised return is shown only when they span long enough (lib/viewer/derive). */
  bars: number;
  interval: "day" | "hour" | "minute";
  /** Stock borrow on shorts so far, shown when there is any (trading fees are "Fees"). */
  borrowFeesPaid: number;
}) {
  const noteId = useId();
  const annualized = annualizedDisplay(metrics.annualizedReturn, { bars, interval });
  const bench = benchmark?.totalReturn ?? benchmarkReturn;
  const excess = metrics.totalReturn !== null && bench !== null ? metrics.totalReturn - bench : null;
  return (
    <div className="grid gap-2">
      <p className="text-xs text-muted-foreground" data-testid="metrics-kind">
        {final ? "Final metrics" : "So far (updates with each bar)"}
      </p>
      <dl className="grid grid-cols-2 gap-x-4 gap-y-2 text-sm sm:grid-cols-3">
        <Item label="Total return" value={formatPct(metrics.totalReturn)} testId="metric-total-return" />
        <Item label="Benchmark" value={formatPct(bench)} />
        <Item label="Excess return" value={formatPct(excess)} />
        <Item label="Sharpe" value={formatRatio(metrics.sharpe)} testId="metric-sharpe" />
        <Item label="Sortino" value={formatRatio(metrics.sortino)} />
        <Item label="Max drawdown" value={formatDrawdown(metrics.maxDrawdown)} testId="metric-max-drawdown" />
        <Item label="Annualized" value={annualized.text} testId="metric-annualized" note={annualized.note} noteId={noteId} />
        <Item label="Volatility" value={formatShare(metrics.volatility)} />
        <Item label="Win rate" value={formatShare(metrics.winRate)} testId="metric-win-rate" />
        <Item label="Trades" value={metrics.tradeCount.toLocaleString("en-US")} testId="metric-trades" />
        <Item label="Fees" value={formatMoney(Number(metrics.feesPaid))} testId="metric-fees" />
        {borrowFeesPaid > 0 && <Item label="Borrow fees" value={formatMoney(borrowFeesPaid)} testId="metric-borrow-fees" />}
      </dl>
      {annualized.note && (
        <p id={noteId} className="text-xs text-muted-foreground">
          {annualized.note}
        </p>
      )}
    </div>
  );
});
