import { AppError, type ErrorKind } from "@/lib/errors";

/**
 * Per-decision bookkeeping shared by the tools of one context:
 * - `exclusive`: a mutex (a promise chain). The AI SDK runs one step's tool calls concurrently, and
 *   they share one database transaction, so every read-modify-write (orders, portfolio) runs alone.
 * - `track`: records every execution as it starts and ends, so a decision that times out or fails
 *   mid-step still lists the calls that ran, and `settled()` waits for those still running.
 * - `close`: after the decision ends no tool runs any more (a late model reply cannot trade).
 */

export interface ToolExecution {
  toolCallId: string;
  toolName: string;
  input: unknown;
  /** performance.now() when it started, for ordering. */
  startedAt: number;
  state: "running" | "ok" | "error";
  output?: unknown;
  error?: string;
}

export interface ToolRuntime {
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  track<T>(toolName: string, toolCallId: string, input: unknown, fn: () => Promise<T>): Promise<T>;
  close(reason: string): void;
  readonly closed: boolean;
  /** Resolves once no execution is running. */
  settled(): Promise<void>;
  readonly executions: readonly ToolExecution[];
}

/**
 * What a tool throws: an AppError whose message starts with its stable code, "NOT_IN_UNIVERSE: ZZZZ is not
 * in …". The AI SDK turns a throw into a `tool-error` the model sees as that text, and the decision records
 * it. Kind reject (the model's arguments) unless the failure says otherwise.
 */
export class ToolError extends AppError {
  constructor(
    code: string,
    readonly detail: string,
    kind: ErrorKind = "reject",
    options?: ErrorOptions,
  ) {
    super(kind, code, `${code}: ${detail}`, {}, options);
    this.name = "ToolError";
  }
}

/** A tool called after its decision ended: it did not run. */
export class DecisionClosedError extends ToolError {
  declare readonly code: "DECISION_ENDED";
  constructor(detail: string) {
    super("DECISION_ENDED", detail);
    this.name = "DecisionClosedError";
  }
}

export function createToolRuntime(): ToolRuntime {
  let tail: Promise<unknown> = Promise.resolve();
  let closedReason: string | null = null;
  const running = new Set<Promise<unknown>>();
  const executions: ToolExecution[] = [];

  return {
    exclusive<T>(fn: () => Promise<T>): Promise<T> {
      const run = tail.then(fn, fn);
      tail = run.catch(() => undefined);
      return run;
    },

    track<T>(toolName: string, toolCallId: string, input: unknown, fn: () => Promise<T>): Promise<T> {
      if (closedReason !== null) {
        return Promise.reject(new DecisionClosedError(`this decision has ended (${closedReason}); ${toolName} did not run`));
      }
      const entry: ToolExecution = { toolCallId, toolName, input, startedAt: performance.now(), state: "running" };
      executions.push(entry);
      const run = fn().then(
        (output) => {
          entry.state = "ok";
          entry.output = output;
          return output;
        },
        (err: unknown) => {
          entry.state = "error";
          entry.error = err instanceof Error ? err.message : String(err);
          throw err;
        },
      );
      const done = run.catch(() => undefined);
      running.add(done);
      void done.finally(() => running.delete(done));
      return run;
    },

    close(reason: string) {
      closedReason ??= reason;
    },

    get closed() {
      return closedReason !== null;
    },

    async settled() {
      while (running.size > 0) await Promise.all([...running]);
    },

    executions,
  };
}
