import { spawn, type ChildProcess } from "node:child_process";

/**
 * A TypeScript script of the project in a process of its own on DATABASE_URL `url`, resolved with the first
 * match of `ready` in its output. Node itself runs with tsx's loader: ONE process, so SIGKILL kills the script
 * (through the tsx wrapper it would survive). Rejects, with its stderr, if it exits first.
 */
export function spawnScript(
  script: string,
  { url, args = [], env = {}, ready, children }: { url: string; args?: string[]; env?: Record<string, string>; ready: RegExp; children?: Set<ChildProcess> },
): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", script, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, DATABASE_URL: url, ...env },
  });
  children?.add(child);
  child.once("exit", () => children?.delete(child));
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => void (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      const match = d.toString().match(ready);
      if (match) resolve({ child, match });
    });
    child.once("exit", (code) => reject(new Error(`${script} exited (${code}) before it was ready: ${stderr}`)));
  });
}

/** A real worker process (scripts/worker.ts) on `url`, resolved once it says it is ready. */
export async function spawnWorker(url: string, env: Record<string, string> = {}, children?: Set<ChildProcess>): Promise<ChildProcess> {
  return (await spawnScript("scripts/worker.ts", { url, env, ready: /\[worker\] ready/, children })).child;
}

/** Resolves when the process has exited (at once if it already has). */
export const exited = (c: ChildProcess) => new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once("exit", () => r())));
