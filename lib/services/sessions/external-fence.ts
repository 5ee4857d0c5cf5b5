import { randomUUID } from "node:crypto";

/**
 * The fence token (trading_sessions.runner_id) of a session an outside agent drives: a new one with every write of its
 * turn (a tool call recorded, the session claimed), so a turn's end computed before another call of the same turn
 * committed fails its commit's guard (BAR_NOT_OURS) instead of writing the bar without that call (external-turn.ts).
 */
export function externalFence(): string {
  return `external:${randomUUID()}`;
}

export const isExternalFence = (runnerId: string | null | undefined) => typeof runnerId === "string" && runnerId.startsWith("external:");
