/**
 * pg-boss's errors as log lines, each message at most once per `windowMs` with how often it came meanwhile:
 * while the database is down, every polling worker of a process (hundreds: one per session it may run)
 * reports the same refused connection every two seconds, 260 lines in a 10 s outage with two workers.
 */
export function jobErrorLog(log: (line: string) => void = console.error, windowMs = 30_000): (err: Error) => void {
  const last = new Map<string, { at: number; repeats: number }>();
  return (err) => {
    const message = err.message.replace(/ \(Queue: [^)]*\)$/, "");
    const now = performance.now();
    const seen = last.get(message);
    if (seen && now - seen.at < windowMs) {
      seen.repeats++;
      return;
    }
    if (last.size >= 100) last.clear();
    last.set(message, { at: now, repeats: 0 });
    log(`[jobs] ${message}${seen?.repeats ? ` (${seen.repeats} more since it was last said, ${Math.round((now - seen.at) / 1000)} s ago)` : ""}`);
  };
}
