import os from "node:os";

/** At most this many worker processes by default: each holds its own pools (about 25 connections). */
const DEFAULT_MAX = 4;

/**
 * How many worker processes `npm run dev`/`npm start` (and bench:sessions) run: WORKER_PROCESSES, else one
 * per core up to 4. One process's event loop is a bound of its own: on 2 cores, one worker left 20% of the
 * CPU idle under load, and two ran bench:sessions 20% faster (docs/sessions.md, "Performance").
 */
export function workerProcessCount(configured: number | undefined, cores = os.availableParallelism()): number {
  return configured ?? Math.max(1, Math.min(cores, DEFAULT_MAX));
}
