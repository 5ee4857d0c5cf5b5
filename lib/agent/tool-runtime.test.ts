import { describe, expect, it } from "vitest";
import { createToolRuntime } from "./tool-runtime";

const tick = () => new Promise((r) => setTimeout(r, 1));

describe("the tool runtime", () => {
  it("runs exclusive sections one at a time, in call order, even when one fails", async () => {
    const rt = createToolRuntime();
    const events: string[] = [];
    const section = (name: string, fail = false) =>
      rt.exclusive(async () => {
        events.push(`${name}:start`);
        await tick();
        events.push(`${name}:end`);
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([section("a"), section("b", true), section("c")]);
    expect(events).toEqual(["a:start", "a:end", "b:start", "b:end", "c:start", "c:end"]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
  });

  it("logs every execution with its result or error", async () => {
    const rt = createToolRuntime();
    await rt.track("calculate", "c1", { expression: "1+1" }, async () => ({ result: 2 }));
    await rt.track("get_quote", "c2", { symbol: "X" }, async () => Promise.reject(new Error("NOT_IN_UNIVERSE: X"))).catch(() => {});
    expect(rt.executions.map(({ toolCallId, state, output, error }) => ({ toolCallId, state, output, error }))).toEqual([
      { toolCallId: "c1", state: "ok", output: { result: 2 }, error: undefined },
      { toolCallId: "c2", state: "error", output: undefined, error: "NOT_IN_UNIVERSE: X" },
    ]);
  });

  it("waits for running executions and refuses new ones once closed", async () => {
    const rt = createToolRuntime();
    let finished = false;
    void rt.track("buy", "slow", {}, async () => {
      await new Promise((r) => setTimeout(r, 20));
      finished = true;
    });
    rt.close("timeout after 10 ms");
    await rt.settled();
    expect(finished).toBe(true);
    await expect(rt.track("buy", "late", {}, async () => "traded")).rejects.toThrow(/^DECISION_ENDED: this decision has ended \(timeout after 10 ms\); buy did not run$/);
    expect(rt.executions.map((e) => e.toolCallId)).toEqual(["slow"]);
  });
});
