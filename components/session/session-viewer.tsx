"use client";
import { useQuery } from "@tanstack/react-query";
import { ScrollRegion } from "@/components/ui/scroll-region";
import { AlertTriangle, Download, SlidersHorizontal } from "lucide-react";
import Link from "next/link";
import { Suspense, useMemo } from "react";
import { getViewerStateAction } from "@/app/(app)/sessions/actions";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { benchmarkReturn, liveMetrics } from "@/lib/viewer/derive";
import { describeTrading, formatPace, KIND_LABEL, sessionTitle } from "@/lib/viewer/format";
import type { DecisionKind } from "@/lib/schemas/session";
import { isFinished, type SessionView, type ViewerState } from "@/lib/viewer/types";
import { DataBadges } from "./data-badges";
import { DecisionsSection } from "./decisions-section";
import { EquityPanel } from "./equity-panel";
import { MetricsPanel } from "./metrics-panel";
import { PositionsPanel } from "./positions-panel";
import { OptionChainPanel } from "./option-chain-panel";
import { PayoffPanel } from "./payoff-panel";
import { OptionGreeksTable } from "./option-greeks-table";
import { holdsContracts, useOptionGreeks } from "./use-option-greeks";
import { parseOccSymbol } from "@/lib/engine/options/occ";
import { PricePanel } from "./price-panel";
import { RunAgainButton } from "./run-again-button";
import { SessionControls } from "./session-controls";
import { SessionProgress } from "./session-progress";
import { SessionTitle } from "./session-title";
import { StatusBadge } from "./status-badge";
import { StreamIndicator } from "./stream-indicator";
import { useOlderDecisions } from "./use-older-decisions";
import { useSessionEvents, viewerKey } from "./use-session-events";
import { WorkingOrdersPanel } from "./working-orders-panel";
import { countOf } from "@/lib/format";

export function describeSession(s: SessionView): string {
  const universe = countOf(s.symbols.length, "symbol");
  const pace = s.paceMs > 0 ? `paced: ${formatPace(s.paceMs)}` : null;
  if (s.kind === "replay") {
    return [KIND_LABEL.replay, s.rangeStart, "minute bars", `decides every ${s.decideEvery} min`, universe, pace].filter(Boolean).join(" · ");
  }
  const range = s.rangeStart && s.rangeEnd ? (s.rangeStart === s.rangeEnd ? s.rangeStart : `${s.rangeStart} to ${s.rangeEnd}`) : null;
  return [KIND_LABEL[s.kind], range, `${s.interval} bars`, universe, pace].filter(Boolean).join(" · ");
}

function Panel({ title, children, className }: { title: string; children: React.ReactNode; className?: string }) {
  return (
    <Card className={"min-w-0 p-4 " + (className ?? "")}>
      <section aria-label={title} className="grid gap-3">
        <h2 className="font-semibold">{title}</h2>
        {children}
      </section>
    </Card>
  );
}

/**
 * The live session viewer. Its state is one TanStack Query entry, hydrated by the server page and then
 * kept current by the session's event stream (useSessionEvents → setQueryData): no polling, no refetch.
 */
export function SessionViewer({ sessionId, show, showError }: { sessionId: string; show?: DecisionKind; showError?: string | null }) {
  const { data, error } = useQuery({
    queryKey: viewerKey(sessionId),
    queryFn: async () => {
      const res = await getViewerStateAction(sessionId);
      if (!res.ok) throw new Error(res.message);
      return res.state;
    },
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    // The fold already keeps unchanged parts identical; comparing 10,000 decisions deeply on every batch is waste.
    structuralSharing: false,
  });
  const finished = data ? isFinished(data.session.status) : true;
  const stream = useSessionEvents(sessionId, { enabled: Boolean(data) && !finished, after: data?.lastSeq });
  if (!data) {
    return error ? (
      <p role="alert" className="text-destructive">
        Could not load this session: {error.message}
      </p>
    ) : (
      <p className="text-muted-foreground">Loading the session…</p>
    );
  }
  return <Viewer state={data} stream={stream} show={show} showError={showError ?? null} />;
}

function Viewer({
  state,
  stream,
  show,
  showError,
}: {
  state: ViewerState;
  stream: ReturnType<typeof useSessionEvents>;
  show?: DecisionKind;
  showError: string | null;
}) {
  const s = state.session;
  const finished = isFinished(s.status);
  const final = s.status === "completed" && s.metrics !== null;
  // Only while running: a finished session shows its stored metrics.
  const live = useMemo(() => {
    if (final) return null;
    const closing = state.fills.flatMap((f) => (f.realizedPnl === null ? [] : [f.realizedPnl]));
    const fees = state.fills.reduce((sum, f) => sum + f.fee, 0);
    return liveMetrics(state.equity, { startingCash: s.startingCash, interval: s.interval, tradeCount: state.fills.length, closingPnls: closing, fees });
  }, [final, state.equity, state.fills, s.startingCash, s.interval]);
  const lastPoint = state.equity[state.equity.length - 1];
  const bars = Math.max(state.equity.length, s.cursor);
  const olderError = useOlderDecisions(s.id, state.olderDecisions);
  return (
    <div className="grid gap-4">
      <header className="grid gap-3">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="min-w-0 flex-1 basis-96">
            <p className="text-sm text-muted-foreground">
              <Link href="/dashboard" className="hover:underline">
                Dashboard
              </Link>{" "}
              / Session
            </p>
            <SessionTitle sessionId={s.id} title={sessionTitle(s)} label={s.label} />
            <p className="text-sm text-muted-foreground">
              {describeSession(s)} · <span className="font-mono sm:whitespace-nowrap">{s.llm}</span>
              {s.drivenBy !== null && <span data-testid="driven-by"> · driven by: {s.drivenBy}</span>}
            </p>
            <p className="text-sm text-muted-foreground" data-testid="session-trading">
              Trading: {describeTrading(s.trading)}
            </p>
            {s.instructions !== null && (
              <details className="text-sm text-muted-foreground">
                <summary className="cursor-pointer">Strategy prompt (as the session started)</summary>
                <ScrollRegion label="Strategy prompt" className="mt-1 max-h-48 max-w-prose overflow-y-auto rounded-md border bg-muted/40">
                  <p className="whitespace-pre-wrap p-2 text-foreground" data-testid="session-prompt">
                    {s.instructions || "None: the model runs on its built-in rule or its provider's defaults."}
                  </p>
                </ScrollRegion>
              </details>
            )}
            <div className="mt-2 flex flex-wrap items-center gap-2">
              <StatusBadge status={s.status} />
              <DataBadges data={s.data} interval={s.interval} />
              <StreamIndicator state={stream} finished={finished} />
            </div>
          </div>
          <div className="flex flex-wrap items-center gap-2">
            <Button asChild variant="outline" size="sm">
              <a href={`/api/v1/sessions/${s.id}/orders.csv`} download>
                <Download className="h-4 w-4" aria-hidden />
                Export orders (CSV)
              </a>
            </Button>
            {finished && (
              <>
                <RunAgainButton sessionId={s.id} />
                <Button asChild variant="outline" size="sm">
                  <Link href={`/dashboard?rerun=${s.id}`}>
                    <SlidersHorizontal className="h-4 w-4" aria-hidden />
                    Change and run again
                  </Link>
                </Button>
              </>
            )}
            <SessionControls sessionId={s.id} status={s.status} />
          </div>
        </div>
        <SessionProgress session={s} />
        {s.status === "failed" && (
          <p role="alert" className="flex items-start gap-2 rounded-md border border-destructive/50 bg-destructive/10 p-3 text-sm text-destructive">
            <AlertTriangle className="mt-0.5 h-4 w-4 shrink-0" aria-hidden />
            <span>
              <strong>The session failed{s.errorCode ? ` (${s.errorCode})` : ""}:</strong> {s.error ?? "no reason was recorded"}
            </span>
          </p>
        )}
      </header>

      {/* Suspense boundaries (nothing suspends) split hydration: each hydrates and commits in a task of
          its own after the header, instead of the whole viewer in one commit. */}
      <Suspense>
        <div className="grid gap-4 lg:grid-cols-3">
          <Panel title="Equity" className="lg:col-span-2">
            <EquityPanel equity={state.equity} bars={bars} benchmarkName={s.benchmarkName} />
          </Panel>
          <Panel title="Metrics">
            <MetricsPanel
              metrics={final ? s.metrics! : live!}
              final={final}
              benchmark={final ? s.benchmarkMetrics : null}
              benchmarkReturn={benchmarkReturn(state.equity, s.startingCash)}
              bars={bars}
              interval={s.interval}
              borrowFeesPaid={s.borrowFeesPaid}
            />
          </Panel>
          <Panel title="Price and trades" className="lg:col-span-2">
            <PricePanel sessionId={s.id} symbols={s.symbols} fills={state.fills} orders={state.workingOrders} clock={lastPoint?.t ?? null} finished={s.status === "completed"} />
          </Panel>
          <Panel title="Positions and cash">
            <PositionsPanel sessionId={s.id} positions={state.positions} cash={state.cash} equity={lastPoint?.equity ?? null} running={!finished} />
          </Panel>
          <Panel title={`Working orders (${state.workingOrders.length})`} className="lg:col-span-3">
            <WorkingOrdersPanel sessionId={s.id} orders={state.workingOrders} interval={s.interval} finished={finished} />
          </Panel>
          {holdsContracts(state.positions) && (
            <Panel title="Options" className="lg:col-span-3">
              <OptionsHeld sessionId={s.id} positions={state.positions} running={!finished} interval={s.interval} />
            </Panel>
          )}
          <Panel title="Option chain" className="lg:col-span-3">
            <OptionChainPanel sessionId={s.id} symbols={s.symbols} initialUnderlying={underlyingOfFirstContract(state.positions) ?? s.symbols[0] ?? ""} running={!finished} interval={s.interval} />
          </Panel>
        </div>
      </Suspense>

      <Suspense>
        <Panel title={`Decisions (${(state.decisions.length + state.olderDecisions).toLocaleString("en-US")})`}>
          {olderError && (
            <p role="alert" className="text-sm text-destructive">
              {olderError}
            </p>
          )}
          {showError && (
            <p role="alert" className="text-sm text-destructive">
              The link&apos;s decision filter was not valid and was ignored: {showError}
            </p>
          )}
          <DecisionsSection decisions={state.decisions} older={state.olderDecisions} settlements={state.settlements} marginCalls={state.marginCalls} sessionId={s.id} interval={s.interval}
            initialFilter={show ?? "all"}
            day={s.kind === "replay" ? s.rangeStart : null}
          />
        </Panel>
      </Suspense>
    </div>
  );
}

/** The contracts held: their Greeks in full and a position's payoff, with the Greeks the positions panel asked for (one shared query). */
function OptionsHeld({ sessionId, positions, running, interval }: { sessionId: string; positions: ViewerState["positions"]; running: boolean; interval: SessionView["interval"] }) {
  const greeks = useOptionGreeks(sessionId, positions, running);
  return (
    <div className="grid gap-4 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
      <OptionGreeksTable positions={positions} greeks={greeks.data} error={greeks.error?.message ?? null} interval={interval} />
      <PayoffPanel positions={positions} greeks={greeks.data} />
    </div>
  );
}

function underlyingOfFirstContract(positions: ViewerState["positions"]): string | null {
  for (const p of positions) {
    if (p.quantity === 0) continue;
    const c = parseOccSymbol(p.symbol);
    if (c.ok) return c.value.underlying;
  }
  return null;
}
