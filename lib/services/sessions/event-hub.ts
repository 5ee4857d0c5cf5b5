import "server-only";
import type postgres from "postgres";
import { createDb, type Db } from "@/lib/db/client";
import { listEventsOfSessionsAfter, type SessionEventRow } from "@/lib/db/queries/session-events";

/**
 * ONE LISTEN connection per server process, fanned out to every open event stream (docs/sessions.md).
 * NOTIFY session_events '<session>:<seq>' arrives at commit; the hub then reads the new rows of every
 * session that has news in ONE statement (listEventsOfSessionsAfter) and hands each subscriber the
 * events after the last one it has. Concurrent notifications coalesce into the next read: under load,
 * reads batch up instead of multiplying. Nothing is polled.
 *
 * Subscribers were authorised under RLS when their stream opened (event-stream.ts); the hub reads only
 * their sessions, as the server, and also filters by the owner they were authorised as.
 */
export interface Subscriber {
  sessionId: string;
  userId: string;
  /** The last seq this subscriber has; only later events are delivered, in order. */
  lastSeq: number;
  /** False while its stream replays the backlog under RLS: the hub skips it until then. */
  live: boolean;
  deliver(events: SessionEventRow[]): void;
}

const BATCH = 5_000;

export class EventHub {
  private readonly sql: postgres.Sql;
  private readonly db: Db;
  private readonly bySession = new Map<string, Set<Subscriber>>();
  /** Sessions with news since the last read → the highest seq announced. */
  private readonly pending = new Map<string, number>();
  private listening: Promise<void> | null = null;
  private reading = false;

  constructor(url: string) {
    // Two connections: the LISTEN one (postgres.js reserves it) and one for the reads.
    const { client, db } = createDb(url, 2);
    this.sql = client;
    this.db = db;
  }

  /** Resolves once LISTEN is active: every commit after that reaches this hub. */
  ready(): Promise<void> {
    this.listening ??= this.sql
      .listen(
        "session_events",
        (payload) => this.onNotify(payload),
        // (Re)connected: anything committed while the connection was down is read now.
        () => {
          for (const id of this.bySession.keys()) this.pending.set(id, Number.MAX_SAFE_INTEGER);
          this.schedule();
        },
      )
      .then(() => undefined)
      .catch((err: unknown) => {
        this.listening = null;
        throw err;
      });
    return this.listening;
  }

  subscribe(sub: Subscriber): () => void {
    let set = this.bySession.get(sub.sessionId);
    if (!set) this.bySession.set(sub.sessionId, (set = new Set()));
    set.add(sub);
    return () => {
      set.delete(sub);
      if (set.size === 0 && this.bySession.get(sub.sessionId) === set) this.bySession.delete(sub.sessionId);
    };
  }

  /** Read the session's news now (a stream that just finished its backlog). */
  poke(sessionId: string): void {
    this.pending.set(sessionId, Number.MAX_SAFE_INTEGER);
    this.schedule();
  }

  get subscriberCount(): number {
    let n = 0;
    for (const set of this.bySession.values()) n += set.size;
    return n;
  }

  async close(): Promise<void> {
    await this.sql.end({ timeout: 2 });
  }

  private onNotify(payload: string): void {
    const colon = payload.lastIndexOf(":");
    const sessionId = payload.slice(0, colon);
    const seq = Number(payload.slice(colon + 1));
    if (!this.bySession.has(sessionId)) return;
    this.pending.set(sessionId, Math.max(this.pending.get(sessionId) ?? 0, seq));
    this.schedule();
  }

  private schedule(): void {
    if (this.reading || this.pending.size === 0) return;
    this.reading = true;
    void this.readLoop().finally(() => {
      this.reading = false;
      if (this.pending.size > 0) this.schedule();
    });
  }

  private async readLoop(): Promise<void> {
    while (this.pending.size > 0) {
      const wants: { sessionId: string; userId: string; afterSeq: number }[] = [];
      for (const [sessionId, announced] of this.pending) {
        for (const [userId, after] of this.lowestSeqByOwner(sessionId)) if (after < announced) wants.push({ sessionId, userId, afterSeq: after });
      }
      this.pending.clear();
      if (wants.length === 0) return;
      let rows: SessionEventRow[];
      try {
        rows = await listEventsOfSessionsAfter(this.db, wants, BATCH);
      } catch (err) {
        console.error(`[events] reading new events failed: ${(err as Error).message}`);
        for (const w of wants) this.pending.set(w.sessionId, Number.MAX_SAFE_INTEGER);
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      this.dispatch(rows);
      if (rows.length >= BATCH) for (const w of wants) this.pending.set(w.sessionId, Number.MAX_SAFE_INTEGER);
    }
  }

  private lowestSeqByOwner(sessionId: string): Map<string, number> {
    const out = new Map<string, number>();
    for (const sub of this.bySession.get(sessionId) ?? []) {
      if (!sub.live) continue;
      out.set(sub.userId, Math.min(out.get(sub.userId) ?? Infinity, sub.lastSeq));
    }
    return out;
  }

  private dispatch(rows: SessionEventRow[]): void {
    let i = 0;
    while (i < rows.length) {
      const sessionId = rows[i]!.sessionId;
      let j = i;
      while (j < rows.length && rows[j]!.sessionId === sessionId) j++;
      const events = rows.slice(i, j);
      for (const sub of this.bySession.get(sessionId) ?? []) {
        if (!sub.live) continue;
        const fresh = events.filter((e) => e.seq > sub.lastSeq);
        // Deliver only a gap-free continuation; anything else is read again on the next poke.
        if (fresh.length === 0 || fresh[0]!.seq !== sub.lastSeq + 1) continue;
        sub.lastSeq = fresh[fresh.length - 1]!.seq;
        sub.deliver(fresh);
      }
      i = j;
    }
  }
}

const globalForHub = globalThis as unknown as { bullpenEventHub?: EventHub };

/** The process-wide hub (Next dev reloads modules; the hub and its LISTEN connection survive). */
export function getEventHub(url: string): EventHub {
  globalForHub.bullpenEventHub ??= new EventHub(url);
  return globalForHub.bullpenEventHub;
}
