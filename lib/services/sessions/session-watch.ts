import "server-only";
import type postgres from "postgres";
import { createDb } from "@/lib/db/client";

/**
 * ONE LISTEN connection per worker process on `session_control` (sent at commit by every status change,
 * lib/db/queries/sessions.ts SET_STATUS): a session paused, cancelled or ended while its runner waits on a
 * model gets its runner's signal aborted at once, so the model call in flight is dropped and nothing of
 * that bar is written. The commit's fence guard stays the rule; this only makes it land in milliseconds.
 *
 * A notification says only that the status changed: it may arrive late (a `pending` sent by the create or
 * resume that queued this very job, a `paused` sent before that resume). So each one is checked against
 * the row: a runner is stopped only when its session is no longer running under its token.
 */
export class SessionWatch {
  private readonly sql: postgres.Sql;
  private readonly running = new Map<string, Map<AbortController, string>>();
  private listening: Promise<void> | null = null;

  constructor(url: string) {
    // The LISTEN connection and one for the checks (createDb's: they reconnect quickly after an outage).
    this.sql = createDb(url, 1).client;
  }

  ready(): Promise<void> {
    this.listening ??= this.sql
      .listen(
        "session_control",
        (payload) => this.onNotify(payload),
        // (Re)connected: a status that changed while the connection was down (a database outage) sent its
        // notification to nobody, so every runner of this process is checked against its row now.
        () => {
          for (const sessionId of this.running.keys()) this.recheck(sessionId);
        },
      )
      .then(() => undefined)
      .catch((err: unknown) => {
        this.listening = null;
        throw err;
      });
    return this.listening;
  }

  /** A signal aborted when `sessionId` stops running under `runnerId`; release it when the job ends. */
  watch(sessionId: string, runnerId: string): { signal: AbortSignal; release(): void } {
    const controller = new AbortController();
    let runners = this.running.get(sessionId);
    if (!runners) this.running.set(sessionId, (runners = new Map()));
    runners.set(controller, runnerId);
    return {
      signal: controller.signal,
      release: () => {
        runners.delete(controller);
        if (runners.size === 0 && this.running.get(sessionId) === runners) this.running.delete(sessionId);
      },
    };
  }

  private onNotify(payload: string): void {
    const [sessionId, status] = payload.split(":");
    if (!sessionId || status === "running" || !this.running.has(sessionId)) return;
    this.recheck(sessionId);
  }

  /** Checks `sessionId`'s runners against its row now (unchecked, the commit's guard still stops a runner that is not the session's). */
  recheck(sessionId: string): void {
    void this.check(sessionId).catch(() => {});
  }

  private async check(sessionId: string): Promise<void> {
    const [row] = await this.sql<{ status: string; runnerId: string | null }[]>`
      select status, runner_id as "runnerId" from public.trading_sessions where id = ${sessionId}`;
    for (const [c, runnerId] of this.running.get(sessionId) ?? []) {
      if (!row || row.status !== "running" || row.runnerId !== runnerId) c.abort(new Error(`the session is ${row?.status ?? "gone"}`));
    }
  }

  async close(): Promise<void> {
    await this.sql.end({ timeout: 5 });
  }
}
