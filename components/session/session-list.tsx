"use client";
import Link from "next/link";
import { useCallback, useEffect, useState } from "react";
import { Card } from "@/components/ui/card";
import { formatClock, formatPct, KIND_LABEL, sessionTitle, toneOf } from "@/lib/viewer/format";
import { isFinished, type SessionEvent, type SessionView } from "@/lib/viewer/types";
import { cn } from "@/lib/utils";
import { SessionProgress } from "./session-progress";
import { StatusBadge } from "./status-badge";
import { useSessionStream } from "./use-session-events";
import { countOf } from "@/lib/format";

export interface SessionCardData {
  session: SessionView;
  equity: number | null;
  lastSeq: number;
}

/** Browsers allow six connections per origin over HTTP/1.1: the dashboard streams at most this many sessions. */
const MAX_LIVE = 3;

/** A card's status, progress and equity from its stream's status and equity events. */
function foldCard(card: SessionCardData, events: readonly SessionEvent[]): SessionCardData {
  let { session, equity, lastSeq } = card;
  for (const e of events) {
    if (e.seq <= lastSeq) continue;
    lastSeq = e.seq;
    const p = e.payload;
    if (e.type === "status" && typeof p.status === "string") {
      session = { ...session, status: p.status as SessionView["status"], error: typeof p.error === "string" ? p.error : session.error };
      if (p.status === "running" && !session.startedAt) session = { ...session, startedAt: new Date().toISOString() };
      if (typeof p.totalBars === "number") session = { ...session, totalBars: p.totalBars };
    } else if (e.type === "equity") {
      const done = Number(p.done);
      if (Number.isFinite(done)) session = { ...session, cursor: done, heartbeatAt: new Date().toISOString() };
      if (typeof p.total === "number") session = { ...session, totalBars: p.total };
      const eq = Number(p.equity);
      if (Number.isFinite(eq)) equity = eq;
    }
  }
  return { session, equity, lastSeq };
}

function CardBody({ card }: { card: SessionCardData }) {
  const s = card.session;
  const ret = card.equity !== null && s.startingCash > 0 && s.cursor > 0 ? card.equity / s.startingCash - 1 : null;
  const when = s.kind === "replay" ? s.rangeStart : s.rangeStart === s.rangeEnd ? s.rangeStart : `${s.rangeStart} to ${s.rangeEnd}`;
  return (
    <Card className={cn("grid gap-3 p-4", s.status === "failed" && "border-destructive/50")}>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <h3 className="truncate font-semibold">
            <Link href={`/sessions/${s.id}`} className="hover:underline" aria-label={`Open session: ${sessionTitle(s)}, ${KIND_LABEL[s.kind]} ${when ?? ""}`.trim()}>
              {sessionTitle(s)}
            </Link>
          </h3>
          <p className="truncate text-xs text-muted-foreground">
            {KIND_LABEL[s.kind]} · {when} · {s.interval} bars · {countOf(s.symbols.length, "symbol")}
          </p>
        </div>
        <StatusBadge status={s.status} />
      </div>
      <SessionProgress session={s} />
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
        <span>
          Return {isFinished(s.status) ? "" : "so far "}
          <strong data-testid="session-return" className={cn("tabular-nums", toneOf(ret))}>{formatPct(ret)}</strong>
        </span>
        <span className="text-xs text-muted-foreground">
          {s.status === "queued" ? "Queued" : "Started"} {formatClock(s.createdAt, "minute")}
        </span>
      </div>
      {s.status === "failed" && s.error && (
        <p className="text-sm text-destructive">
          <strong>Failed:</strong> {s.error}
        </p>
      )}
    </Card>
  );
}

function LiveCard({ initial, onFinished }: { initial: SessionCardData; onFinished: (id: string) => void }) {
  const [card, setCard] = useState(initial);
  useSessionStream(card.session.id, (events) => setCard((c) => foldCard(c, events)), { enabled: !isFinished(card.session.status), after: initial.lastSeq });
  const finished = isFinished(card.session.status);
  useEffect(() => {
    if (finished) onFinished(card.session.id);
  }, [finished, card.session.id, onFinished]);
  return <CardBody card={card} />;
}

/** Running and pending sessions stream before queued ones (which wait for them). */
const STREAM_ORDER: Partial<Record<SessionView["status"], number>> = { running: 0, pending: 1, queued: 2 };

/**
 * The dashboard's sessions, newest first. Up to MAX_LIVE active ones update live from their streams,
 * running before queued; when one finishes, its stream closes and the next one's opens.
 */
export function SessionList({ cards }: { cards: readonly SessionCardData[] }) {
  const [finished, setFinished] = useState<ReadonlySet<string>>(new Set());
  const onFinished = useCallback((id: string) => setFinished((f) => (f.has(id) ? f : new Set(f).add(id))), []);
  const live = new Set<string>();
  let streams = 0;
  const candidates = cards.filter((c) => STREAM_ORDER[c.session.status] !== undefined).sort((a, b) => STREAM_ORDER[a.session.status]! - STREAM_ORDER[b.session.status]!);
  for (const c of candidates) {
    // A finished card stays live (mounted, its stream closed) and no longer counts against the limit.
    if (finished.has(c.session.id)) live.add(c.session.id);
    else if (streams < MAX_LIVE) {
      live.add(c.session.id);
      streams++;
    }
  }
  return (
    <ul className="grid gap-3 md:grid-cols-2" aria-label="Sessions">
      {cards.map((c) => (
        <li key={c.session.id} className="min-w-0">
          {live.has(c.session.id) ? <LiveCard initial={c} onFinished={onFinished} /> : <CardBody card={c} />}
        </li>
      ))}
    </ul>
  );
}
