import { describe, expect, it, vi } from "vitest";
import { BUILTIN_STRATEGIES, BUILTIN_STRATEGY_NAMES } from "./builtin";
import { momentum } from "./builtin/momentum";
import { listCompatibleModels, listLlmChoices } from "./model-choices";

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
/** A fetch that answers `answer` and records what it was asked. */
function fakeFetch(answer: () => Response | Promise<Response>) {
  return vi.fn(async (url: string | URL | Request, init?: RequestInit) => {
    void url;
    void init;
    return answer();
  });
}
let servers = 0;
/** Each test its own server address: answers are remembered per address for a minute. */
const newBase = () => `http://127.0.0.1:11434/v${++servers}/`;

describe("listLlmChoices", () => {
  it("with no provider configured: the built-ins, described by the strategies themselves, and what would configure the others", async () => {
    const fetch = fakeFetch(() => json({ data: [] }));
    const choices = await listLlmChoices({ config: {}, fetch });
    expect(choices.groups.map((g) => g.provider)).toEqual(["builtin"]);
    const builtins = choices.groups[0]!.choices;
    expect(builtins.map((c) => c.id)).toEqual(BUILTIN_STRATEGY_NAMES.map((n) => `builtin:${n}`));
    expect(builtins[1]).toEqual({
      id: "builtin:momentum",
      label: "Momentum — Buys recent winners, sells losers",
      detail: expect.stringContaining(`Its rule: ${momentum.rule(momentum.params.parse({}))}.`),
    });
    expect(BUILTIN_STRATEGIES.map((s) => s.title)).toEqual(["Buy and hold", "Momentum", "Mean reversion", "Random", "Breakout", "Covered call"]);
    expect(builtins.at(-1)).toMatchObject({ id: "builtin:covered-call", label: "Covered call — Owns 100-share lots and sells a 30-delta monthly call against each; rolls at expiry" });
    expect(builtins.at(-1)!.detail).toContain("sell one call nearest 0.3 delta");
    expect(choices.unconfigured.map((p) => [p.provider, p.setting, p.ownKeyEnough])).toEqual([
      ["openai", "OPENAI_API_KEY", true],
      ["openrouter", "OPENROUTER_API_KEY", true],
      ["compatible", "COMPATIBLE_BASE_URL", false],
    ]);
    expect(fetch).not.toHaveBeenCalled();
  });

  it("lists the curated models of the configured providers; no key or address reaches the result", async () => {
    const choices = await listLlmChoices({ config: { openaiApiKey: "sk-openai-secret", openrouterApiKey: "sk-or-secret" } });
    expect(choices.groups.map((g) => g.label)).toEqual(["Built-in strategies (run offline, no API key)", "OpenAI", "OpenRouter"]);
    expect(choices.groups[1]!.choices[0]).toEqual({ id: "openai:gpt-4.1-mini", label: "GPT-4.1 mini (gpt-4.1-mini)", detail: expect.stringContaining("OPENAI_API_KEY") });
    expect(choices.groups[2]!.choices.map((c) => c.id)).toContain("openrouter:anthropic/claude-sonnet-4");
    expect(choices.unconfigured.map((p) => p.provider)).toEqual(["compatible"]);
    expect(JSON.stringify(choices)).not.toMatch(/secret/);
  });

  it("an OpenAI-compatible server: the models it lists at /models, asked with its key, sorted, odd names left out", async () => {
    const base = newBase();
    const fetch = fakeFetch(() => json({ object: "list", data: [{ id: "qwen2.5:7b" }, { id: "llama3.1:8b" }, { id: "has space" }, { id: "llama3.1:8b" }] }));
    const choices = await listLlmChoices({ config: { compatibleBaseUrl: base, compatibleApiKey: "local-secret" }, fetch });
    expect(fetch).toHaveBeenCalledTimes(1);
    const [url, init] = fetch.mock.calls[0]!;
    expect(String(url)).toBe(`${base.replace(/\/$/, "")}/models`);
    expect(new Headers(init?.headers).get("authorization")).toBe("Bearer local-secret");
    const compatible = choices.groups.find((g) => g.provider === "compatible")!;
    expect(compatible.choices.map((c) => c.id)).toEqual(["compatible:llama3.1:8b", "compatible:qwen2.5:7b"]);
    expect(choices.notes).toEqual([]);
    expect(JSON.stringify(choices)).not.toContain("127.0.0.1");
    expect(JSON.stringify(choices)).not.toContain("local-secret");

    // Asked again within the minute: the list remembered, no second request.
    await listLlmChoices({ config: { compatibleBaseUrl: base }, fetch });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("fails soft: a server that does not answer in time, answers an error or something else leaves the common models and says why", async () => {
    const hang = vi.fn(
      (_url: string | URL | Request, init?: RequestInit) =>
        new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal!.reason as Error))),
    );
    const slow = await listLlmChoices({ config: { compatibleBaseUrl: newBase() }, fetch: hang, timeoutMs: 50 });
    expect(slow.groups.find((g) => g.provider === "compatible")!.choices.map((c) => c.id)).toEqual(["compatible:llama3.1", "compatible:qwen2.5", "compatible:mistral-nemo"]);
    expect(slow.notes).toEqual(["The OpenAI-compatible server's own list of models could not be read (no answer within 0.05 s); the list shows common ones instead."]);

    expect(await listCompatibleModels(newBase(), { fetch: fakeFetch(() => json({ error: "nope" }, 404)) })).toEqual({ ok: false, reason: "it answered 404" });
    expect(await listCompatibleModels(newBase(), { fetch: fakeFetch(() => new Response("<html>")) })).toEqual({ ok: false, reason: "its answer was not a list of models" });
    const refused = fakeFetch(() => Promise.reject(new TypeError("fetch failed")));
    expect(await listCompatibleModels(newBase(), { fetch: refused })).toEqual({ ok: false, reason: "it could not be reached" });
    const empty = await listLlmChoices({ config: { compatibleBaseUrl: newBase() }, fetch: fakeFetch(() => json({ data: [] })) });
    expect(empty.notes).toEqual(["The OpenAI-compatible server's own list of models was empty; the list shows common ones instead."]);
  });
});
