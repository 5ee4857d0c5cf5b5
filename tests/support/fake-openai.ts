import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * An OpenAI-compatible chat-completions server on 127.0.0.1 for tests: each request waits `latencyMs`,
 * then the first call of a decision (no tool result yet) answers with one `buy` tool call and the next with
 * a final text. The answer changes on EVERY call the server answers (a counter picks the symbol and
 * quantity), so a decision asked again would trade differently: only a replayed record keeps a run the same.
 */
export interface FakeOpenAI {
  baseUrl: string;
  /** Calls answered, calls whose client went away before the answer, and the most in flight at once. */
  readonly stats: { answered: number; dropped: number; inflight: number; maxInflight: number };
  close(): Promise<void>;
}

export async function startFakeOpenAI({ latencyMs, symbols }: { latencyMs: number; symbols: readonly string[] }): Promise<FakeOpenAI> {
  const stats = { answered: 0, dropped: 0, inflight: 0, maxInflight: 0 };
  let counter = 0;
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => void (body += d.toString()));
    req.on("end", () => {
      stats.inflight++;
      stats.maxInflight = Math.max(stats.maxInflight, stats.inflight);
      let done = false;
      const timer = setTimeout(() => {
        done = true;
        stats.inflight--;
        const n = counter++;
        stats.answered++;
        const request = JSON.parse(body || "{}") as { messages?: { role: string }[] };
        const afterTool = (request.messages ?? []).some((m) => m.role === "tool");
        const message = afterTool
          ? { role: "assistant", content: `Done (answer ${n}).` }
          : {
              role: "assistant",
              content: null,
              tool_calls: [{ id: `call_${n}_${Date.now()}`, type: "function", function: { name: "buy", arguments: JSON.stringify({ symbol: symbols[n % symbols.length], quantity: 1 + (n % 3) }) } }],
            };
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            id: `chatcmpl-${n}`,
            object: "chat.completion",
            created: Math.floor(Date.now() / 1000),
            model: "scripted",
            choices: [{ index: 0, message, finish_reason: afterTool ? "stop" : "tool_calls" }],
            usage: { prompt_tokens: 100, completion_tokens: 10, total_tokens: 110 },
          }),
        );
      }, latencyMs);
      res.on("close", () => {
        if (done) return;
        clearTimeout(timer);
        stats.inflight--;
        stats.dropped++;
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    stats,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
