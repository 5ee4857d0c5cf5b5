import { createHash } from "node:crypto";

/**
 * A UUID (version 8, RFC 9562: custom) derived from `text`: the same bar, order or fill of a session
 * gets the same id every time it is run, so a bar run again after a crash writes exactly the rows the
 * uninterrupted run would have, and a retried write is recognisable.
 */
export function uuidFrom(text: string): string {
  const h = createHash("sha256").update(text).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The decision of a session's bar. */
export const decisionIdFor = (sessionId: string, barIndex: number) => uuidFrom(`decision:${sessionId}:${barIndex}`);
