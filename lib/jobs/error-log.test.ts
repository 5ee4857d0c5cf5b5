import { describe, expect, it, vi } from "vitest";
import { jobErrorLog } from "./error-log";

describe("jobErrorLog", () => {
  it("says each message once per window, with how often it came meanwhile; the queue and worker do not make it another", () => {
    vi.useFakeTimers();
    try {
      const lines: string[] = [];
      const log = jobErrorLog((l) => lines.push(l), 30_000);
      for (let i = 0; i < 50; i++) log(new Error(`connect ECONNREFUSED 127.0.0.1:5432 (Queue: session-run, Worker: ${i})`));
      log(new Error("terminating connection due to administrator command"));
      vi.advanceTimersByTime(31_000);
      log(new Error("connect ECONNREFUSED 127.0.0.1:5432 (Queue: session-run-llm, Worker: x)"));
      expect(lines).toEqual([
        "[jobs] connect ECONNREFUSED 127.0.0.1:5432",
        "[jobs] terminating connection due to administrator command",
        "[jobs] connect ECONNREFUSED 127.0.0.1:5432 (49 more since it was last said, 31 s ago)",
      ]);
    } finally {
      vi.useRealTimers();
    }
  });
});
