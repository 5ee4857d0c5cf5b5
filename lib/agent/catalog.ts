/**
 * Which `llm` ids a model may have: `provider:model`. Built-ins run offline; the others call an API.
 * Pure data, shared by validation (forms, API) and, later, the provider factory.
 */
export const BUILTIN_MODELS = {
  "buy-and-hold": "Buys an equal-weight basket on the first bar and holds it",
  momentum: "Buys recent winners, sells losers",
  "mean-reversion": "Buys dips below the moving average, sells rallies above it",
  random: "Seeded random trades: a baseline any strategy should beat",
} as const;

export const PROVIDERS = ["builtin", "openai", "openrouter", "compatible"] as const;
export type Provider = (typeof PROVIDERS)[number];

export const SUGGESTED_LLM_IDS = [
  ...Object.keys(BUILTIN_MODELS).map((m) => `builtin:${m}`),
  "openai:gpt-4.1-mini",
  "openai:gpt-4.1",
  "openrouter:anthropic/claude-sonnet-4",
  "compatible:llama3.1",
];

/** Returns an error message for an unknown id, or null when the id is valid. */
export function checkLlmId(id: string): string | null {
  const m = /^([a-z]+):(.+)$/.exec(id);
  const provider = m?.[1];
  const model = m?.[2] ?? "";
  if (!m || !PROVIDERS.includes(provider as Provider)) {
    return `Unknown model "${id}". Use builtin:<strategy> or <provider>:<model> with provider openai, openrouter or compatible`;
  }
  if (provider === "builtin" && !Object.hasOwn(BUILTIN_MODELS, model)) {
    return `Unknown built-in strategy "${model}". Choose one of: ${Object.keys(BUILTIN_MODELS).join(", ")}`;
  }
  if (!/^[A-Za-z0-9._:/@-]{1,100}$/.test(model)) {
    return `Model name "${model}" may contain letters, digits and . _ : / @ - (at most 100 characters)`;
  }
  return null;
}
