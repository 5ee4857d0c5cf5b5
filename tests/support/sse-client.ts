/** A Server-Sent Events reader for tests: parses `id`, `event`, `data` blocks from a byte stream. */
export interface SseEvent {
  id: number;
  event: string;
  data: { seq: number; type: string; at: string | null; payload: Record<string, unknown> };
}

/** Reads events until `until` says stop (then cancels the stream) or the stream ends. */
export async function readSse(stream: ReadableStream<Uint8Array>, until: (e: SseEvent, all: SseEvent[]) => boolean, timeoutMs = 60_000): Promise<SseEvent[]> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  let buffer = "";
  const timer = setTimeout(() => void reader.cancel(new Error("timeout")), timeoutMs);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return events;
      buffer += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const fields: Record<string, string> = {};
        for (const line of block.split("\n")) {
          if (line.startsWith(":")) continue;
          const i = line.indexOf(": ");
          if (i > 0) fields[line.slice(0, i)] = line.slice(i + 2);
        }
        if (fields.id === undefined) continue;
        const e: SseEvent = { id: Number(fields.id), event: fields.event ?? "message", data: JSON.parse(fields.data ?? "null") };
        events.push(e);
        if (until(e, events)) {
          await reader.cancel();
          return events;
        }
      }
    }
  } finally {
    clearTimeout(timer);
  }
}

export const isTerminal = (e: SseEvent) => e.event === "status" && ["completed", "failed", "cancelled"].includes(String(e.data.payload.status));
