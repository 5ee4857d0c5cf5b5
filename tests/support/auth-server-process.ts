import { spawn, type ChildProcess } from "node:child_process";

/**
 * The built-in auth server (tests/support/auth-server.ts) in a process of its own on DATABASE_URL: what a
 * second web process or machine is to the rate limits. `options` go to startAuthServer (the same `prefix`
 * as a server in the test's process: the two count together). Resolves with its origin once it listens.
 */
export function spawnAuthServer(url: string, options: object, children?: Set<ChildProcess>): Promise<{ child: ChildProcess; origin: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "tests/support/auth-server-main.ts", JSON.stringify(options)], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, DATABASE_URL: url },
  });
  children?.add(child);
  child.once("exit", () => children?.delete(child));
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => void (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      const origin = d.toString().match(/\[auth-server\] (http:\/\/\S+)/)?.[1];
      if (origin) resolve({ child, origin });
    });
    child.once("exit", (code) => reject(new Error(`auth server exited (${code}) before it listened: ${stderr}`)));
  });
}
