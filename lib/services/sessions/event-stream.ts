import "server-only";
import type { Db } from "@/lib/db/client";
import { listSessionEventsAfter, type SessionEventRow } from "@/lib/db/queries/session-events";
import { getTradingSessionById } from "@/lib/db/queries/sessions";
import { withUser } from "@/lib/db/rls";
import { AppError, notFound } from "@/lib/errors";
import { assertId } from "@/lib/services/ids";
import type { UserContext } from "@/lib/services/context";
import type { EventHub, Subscriber } from "./event-hub";

const REPLAY_PAGE = 1_000;

/** `Last-Event-ID` (header, or `?lastEventId=` for EventSource reconnects) → the last seq the client has. */
export function parseLastEventId(value: string | null): number {
  if (value === null || value.trim() === "") return 0;
  if (!/^\d{1,15}$/.test(value.trim())) {
    throw new AppError("reject", "INVALID_LAST_EVENT_ID", "Last-Event-ID must be the id (a whole number) of the last event you received");
  }
  return Number(value.trim());
}

/** One Server-Sent Event: `id` = seq, `event` = type, `data` = JSON { seq, type, at, payload }. */
export function formatEvent(e: SessionEventRow): string {
  const at = e.at === null ? null : new Date(e.at).toISOString();
  return `id: ${e.seq}\nevent: ${e.type}\ndata: ${JSON.stringify({ seq: e.seq, type: e.type, at, payload: e.payload })}\n\n`;
}

/**
 * The events of one of the caller's sessions as Server-Sent Events. The session is loaded under RLS
 * (404 when it is not visible to the caller, exactly like a missing one); the events after `lastSeq`
 * are replayed under RLS, then new ones arrive from the process's shared LISTEN (event-hub.ts), in seq
 * order, without gaps or repeats. A comment line every `heartbeatMs` keeps proxies from closing an
 * idle stream. The stream stays open after a terminal status: close it then (EventSource: es.close()).
 */
export async function openSessionEventStream(
  ctx: UserContext,
  id: string,
  { lastSeq, signal, hub, db, heartbeatMs = 15_000 }: { lastSeq: number; signal?: AbortSignal; hub: EventHub; db: Db; heartbeatMs?: number },
): Promise<ReadableStream<Uint8Array>> {
  assertId(id, "Session");
  const session = await withUser(ctx.claims, (tx) => getTradingSessionById(tx, { id, userId: ctx.userId }), db);
  if (!session) throw notFound("Session");
  await hub.ready();

  const encoder = new TextEncoder();
  let closed = false;
  let cleanup = () => {};
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const write = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      const sub: Subscriber = { sessionId: id, userId: ctx.userId, lastSeq, live: false, deliver: (events) => write(events.map(formatEvent).join("")) };
      const unsubscribe = hub.subscribe(sub);
      const heartbeat = setInterval(() => write(": ping\n\n"), heartbeatMs);
      cleanup = () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        unsubscribe();
        signal?.removeEventListener("abort", cleanup);
        try {
          controller.close();
        } catch {
          // already closed or errored
        }
      };
      signal?.addEventListener("abort", cleanup);
      if (signal?.aborted) return cleanup();
      write(`retry: 2000\n: session ${id}\n\n`);
      try {
        for (;;) {
          const rows = await withUser(ctx.claims, (tx) => listSessionEventsAfter(tx, { sessionId: id, userId: ctx.userId, afterSeq: sub.lastSeq, limit: REPLAY_PAGE }), db);
          if (rows.length > 0) {
            sub.lastSeq = rows[rows.length - 1]!.seq;
            write(rows.map(formatEvent).join(""));
          }
          if (rows.length < REPLAY_PAGE || closed) break;
        }
      } catch (err) {
        console.error(`[events] replay of session ${id} failed: ${(err as Error).message}`);
        return cleanup();
      }
      sub.live = true;
      hub.poke(id);
    },
    cancel() {
      cleanup();
    },
  });
}
