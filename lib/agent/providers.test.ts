import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { generateText, isStepCount, tool } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLanguageModel, ModelConfigError, type ProviderConfig } from "./providers";
import { toolInputSchemas } from "./tool-contract";

type Inspectable = {
  provider: string;
  modelId: string;
  config: { url(o: { path: string; modelId: string }): string; headers(): Record<string, string | undefined> | PromiseLike<Record<string, string | undefined>> };
};
const inspect = (m: unknown) => m as Inspectable;
async function bearer(m: Inspectable): Promise<string | undefined> {
  const headers = await m.config.headers();
  return Object.entries(headers).find(([k]) => k.toLowerCase() === "authorization")?.[1];
}
const none: ProviderConfig = {};

function configError(fn: () => unknown): ModelConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ModelConfigError) return e;
    throw e;
  }
  throw new Error("expected a ModelConfigError");
}

describe("createLanguageModel", () => {
  it("builtin:* → the built-in strategy model", () => {
    const m = createLanguageModel("builtin:momentum", { config: none });
    expect(m.provider).toBe("bullpen");
    expect(m.modelId).toBe("builtin:momentum");
    expect(m.specificationVersion).toBe("v4");
  });

  it("openai:* → chat completions at api.openai.com, the model's own key before the server's", async () => {
    const m = inspect(createLanguageModel("openai:gpt-4.1-mini", { config: { openaiApiKey: "sk-server" }, apiKey: "sk-own" }));
    expect(m.provider).toBe("openai.chat");
    expect(m.modelId).toBe("gpt-4.1-mini");
    expect(m.config.url({ path: "/chat/completions", modelId: m.modelId })).toBe("https://api.openai.com/v1/chat/completions");
    expect((await bearer(m))).toBe("Bearer sk-own");
    const server = inspect(createLanguageModel("openai:gpt-4.1", { config: { openaiApiKey: "sk-server" } }));
    expect((await bearer(server))).toBe("Bearer sk-server");
  });

  it("openrouter:* → openrouter.ai/api/v1 with the model path kept whole", async () => {
    const m = inspect(createLanguageModel("openrouter:anthropic/claude-sonnet-4", { config: { openrouterApiKey: "sk-or" } }));
    expect(m.provider).toBe("openrouter.chat");
    expect(m.modelId).toBe("anthropic/claude-sonnet-4");
    expect(m.config.url({ path: "/chat/completions", modelId: m.modelId })).toBe("https://openrouter.ai/api/v1/chat/completions");
    expect((await bearer(m))).toBe("Bearer sk-or");
  });

  it("compatible:* → the configured base URL; the key defaults to 'none'", async () => {
    const m = inspect(createLanguageModel("compatible:llama3.1", { config: { compatibleBaseUrl: "http://127.0.0.1:11434/v1/" } }));
    expect(m.provider).toBe("compatible.chat");
    expect(m.config.url({ path: "/chat/completions", modelId: m.modelId })).toBe("http://127.0.0.1:11434/v1/chat/completions");
    expect((await bearer(m))).toBe("Bearer none");
  });

  it("refuses a missing key, a missing base URL and unknown ids with typed errors", () => {
    const key = configError(() => createLanguageModel("openai:gpt-4.1-mini", { config: none, apiKey: "  " }));
    expect(key.code).toBe("MODEL_API_KEY_MISSING");
    expect(key.kind).toBe("reject");
    expect(key.message).toBe("openai:gpt-4.1-mini needs an API key: set OPENAI_API_KEY or store a key on the model");
    expect(configError(() => createLanguageModel("openrouter:x/y", { config: none })).message).toContain("OPENROUTER_API_KEY");
    expect(configError(() => createLanguageModel("compatible:llama3.1", { config: none })).code).toBe("MODEL_BASE_URL_MISSING");
    expect(configError(() => createLanguageModel("anthropic:claude", { config: none })).code).toBe("MODEL_UNKNOWN");
    expect(configError(() => createLanguageModel("builtin:martingale", { config: none })).code).toBe("MODEL_UNKNOWN");
  });
});

describe("compatible:* against a local OpenAI-compatible server", () => {
  const seen: { method?: string; url?: string; auth?: string; body: Record<string, unknown> }[] = [];
  let baseUrl = "";
  const server = createServer(async (req: IncomingMessage, res) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const body = JSON.parse(raw) as { messages: unknown[] };
    seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, body });
    const first = seen.length === 1;
    const message = first
      ? { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "get_quote", arguments: '{"symbol":"AAPL"}' } }] }
      : { role: "assistant", content: "AAPL is at $123.45." };
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        id: `chatcmpl-${seen.length}`,
        object: "chat.completion",
        created: 1_700_000_000,
        model: "llama3.1",
        choices: [{ index: 0, message, finish_reason: first ? "tool_calls" : "stop" }],
        usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
      }),
    );
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("posts to <base>/chat/completions with the key as Bearer and runs the tool loop", async () => {
    const model = createLanguageModel("compatible:llama3.1", { config: { compatibleBaseUrl: baseUrl }, apiKey: "sk-local" });
    const result = await generateText({
      model,
      prompt: "What is AAPL at?",
      tools: {
        get_quote: tool({
          description: "quote",
          inputSchema: toolInputSchemas.get_quote,
          execute: async ({ symbol }) => ({ symbol, price: 123.45, at: "2025-10-30T14:00:00.000Z", basis: "open" as const, derived: false, source: "test" }),
        }),
      },
      stopWhen: isStepCount(3),
    });
    expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual(["POST /v1/chat/completions", "POST /v1/chat/completions"]);
    expect(seen.every((r) => r.auth === "Bearer sk-local")).toBe(true);
    expect(seen[0]!.body.model).toBe("llama3.1");
    expect(JSON.stringify(seen[0]!.body.tools)).toContain('"name":"get_quote"');
    expect(result.steps[0]!.toolCalls[0]).toMatchObject({ toolName: "get_quote", input: { symbol: "AAPL" } });
    expect(JSON.stringify(seen[1]!.body.messages)).toContain("123.45");
    expect(result.text).toBe("AAPL is at $123.45.");
  });
});
