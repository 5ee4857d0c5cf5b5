"use client";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { applyEvents } from "@/lib/viewer/fold";
import { viewerKey } from "@/lib/viewer/keys";
import { SESSION_EVENT_TYPES, type SessionEvent, type ViewerState } from "@/lib/viewer/types";

export type StreamState = "connecting" | "live" | "reconnecting" | "closed";

export { viewerKey };

/** One SSE message as a session event: `id:` is the seq, `event:` the type, `data:` the row or its payload. */
export function parseSessionEvent(ev: MessageEvent<string>): SessionEvent | null {
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(ev.data) as Record<string, unknown>;
  } catch {
    return null;
  }
  const seq = Number(data.seq ?? ev.lastEventId);
  const type = (typeof data.type === "string" ? data.type : ev.type) as SessionEvent["type"];
  if (!Number.isFinite(seq) || !SESSION_EVENT_TYPES.includes(type)) return null;
  const payload = (data.payload && typeof data.payload === "object" ? data.payload : data) as Record<string, unknown>;
  const at = typeof data.at === "string" ? data.at : null;
  return { seq, type, at, payload };
}

/** The longest a received event waits before it is shown; also the shortest time between two renders. */
export const FLUSH_MS = 250;

/**
 * Opens an EventSource on the session's event stream and hands each batch of events to `onEvents`,
 * at most once every FLUSH_MS (a fast replay sends hundreds of events a second: charts re-render
 * four times a second, not hundreds). The browser reconnects by itself, sending Last-Event-ID, so nothing is missed or repeated.
 * `enabled: false` (a finished session) closes it.
 */
export function useSessionStream(sessionId: string, onEvents: (events: SessionEvent[]) => void, { enabled = true, after }: { enabled?: boolean; after?: number } = {}): StreamState {
  const [state, setState] = useState<StreamState>(enabled ? "connecting" : "closed");
  const handler = useRef(onEvents);
  useEffect(() => {
    handler.current = onEvents;
  });
  // The seq to start after is read once per connection: later events come with their own ids.
  const afterRef = useRef(after);

  useEffect(() => {
    if (!enabled) return;
    const qs = afterRef.current !== undefined ? `?lastEventId=${afterRef.current}` : "";
    const source = new EventSource(`/api/v1/sessions/${sessionId}/events${qs}`);
    let buffer: SessionEvent[] = [];
    let timer: ReturnType<typeof setTimeout> | null = null;
    let lastFlush = 0;
    const flush = () => {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      lastFlush = performance.now();
      const batch = buffer;
      buffer = [];
      if (batch.length > 0) handler.current(batch);
    };
    const onMessage = (ev: MessageEvent<string>) => {
      const e = parseSessionEvent(ev);
      if (!e) return;
      buffer.push(e);
      // At most one render per FLUSH_MS however fast events come (a replay sends hundreds a second).
      timer ??= setTimeout(flush, Math.max(0, FLUSH_MS - (performance.now() - lastFlush)));
    };
    source.onopen = () => setState("live");
    source.onerror = () => setState(source.readyState === EventSource.CLOSED ? "closed" : "reconnecting");
    source.addEventListener("message", onMessage);
    for (const t of SESSION_EVENT_TYPES) source.addEventListener(t, onMessage as EventListener);
    return () => {
      flush();
      source.close();
    };
  }, [sessionId, enabled]);

  return enabled ? state : "closed";
}

/** The viewer's stream: folds every batch into the TanStack Query cache (setQueryData), no refetching. */
export function useSessionEvents(sessionId: string, { enabled = true, after }: { enabled?: boolean; after?: number } = {}): StreamState {
  const queryClient = useQueryClient();
  return useSessionStream(
    sessionId,
    (events) => queryClient.setQueryData<ViewerState>(viewerKey(sessionId), (old) => (old ? applyEvents(old, events) : old)),
    { enabled, after },
  );
}
