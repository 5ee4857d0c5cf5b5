import "server-only";
import postgres from "postgres";

/**
 * ONE LISTEN connection per worker process on `session_control` (sent at commit by every status change,
 * lib/db/queries/sessions.ts SET_STATUS): a session paused, cancelled or ended while its runner waits on a
 * model gets its runner's signal aborted at once, so the model call in flight is dropped and nothing of
 * that bar is written. The commit's fence guard stays the rule; this only makes it land in milliseconds.
 */
export class SessionWatch {
  private readonly sql: postgres.Sql;
  private readonly running = new Map<string, Set<AbortController>>();
  private listening: Promise<void> | null = null;

  constructor(url: string) {
    this.sql = postgres(url, { max: 1, onnotice: () => {} });
  }

  ready(): Promise<void> {
    this.listening ??= this.sql
      .listen("session_control", (payload) => this.onNotify(payload))
      .then(() => undefined)
      .catch((err: unknown) => {
        this.listening = null;
        throw err;
      });
    return this.listening;
  }

  /** A signal aborted when `sessionId` leaves `running`; release it when the job ends. */
  watch(sessionId: string): { signal: AbortSignal; release(): void } {
    const controller = new AbortController();
    let set = this.running.get(sessionId);
    if (!set) this.running.set(sessionId, (set = new Set()));
    set.add(controller);
    return {
      signal: controller.signal,
      release: () => {
        set.delete(controller);
        if (set.size === 0 && this.running.get(sessionId) === set) this.running.delete(sessionId);
      },
    };
  }

  /** Every runner of the process stops its bar in flight (the worker is shutting down). */
  abortAll(reason: string): void {
    for (const set of this.running.values()) for (const c of set) c.abort(new Error(reason));
  }

  private onNotify(payload: string): void {
    const [sessionId, status] = payload.split(":");
    if (!sessionId || status === "running") return;
    for (const c of this.running.get(sessionId) ?? []) c.abort(new Error(`the session is ${status}`));
  }

  async close(): Promise<void> {
    await this.sql.end({ timeout: 5 });
  }
}
