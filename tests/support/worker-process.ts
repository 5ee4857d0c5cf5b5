import { spawn, type ChildProcess } from "node:child_process";

/**
 * A real worker process (scripts/worker.ts) on `url`, resolved once it says it is ready. Node itself runs
 * with tsx's loader: ONE process, so SIGKILL kills the worker (through the tsx wrapper it would survive).
 */
export function spawnWorker(url: string, env: Record<string, string> = {}, children?: Set<ChildProcess>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "scripts/worker.ts"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, DATABASE_URL: url, ...env },
  });
  children?.add(child);
  child.once("exit", () => children?.delete(child));
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => void (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      if (d.toString().includes("[worker] ready")) resolve(child);
    });
    child.once("exit", (code) => reject(new Error(`worker exited (${code}) before it was ready: ${stderr}`)));
  });
}

/** Resolves when the process has exited (at once if it already has). */
export const exited = (c: ChildProcess) => new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once("exit", () => r())));
