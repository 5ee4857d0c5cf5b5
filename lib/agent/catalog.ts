import { BUILTIN_STRATEGY_NAMES } from "./builtin/types";

/**
 * Which `llm` ids a model may have: `provider:model`. Built-ins run offline; the others call an API.
 * Pure data, shared by validation (forms, API), the provider factory and the model form's list.
 */
export const PROVIDERS = ["builtin", "openai", "openrouter", "compatible"] as const;
export type Provider = (typeof PROVIDERS)[number];
export type RemoteProvider = Exclude<Provider, "builtin">;

export interface RemoteProviderInfo {
  provider: RemoteProvider;
  /** Its name for people. */
  label: string;
  /** The server setting that makes it usable for every model (lib/env.ts). */
  setting: "OPENAI_API_KEY" | "OPENROUTER_API_KEY" | "COMPATIBLE_BASE_URL";
  /** Whether a key stored on the model alone is enough to call it (not for a server only its address names). */
  ownKeyEnough: boolean;
  /**
   * A short list of models that call tools well, offered in the model form (any other id can still be typed:
   * providers add models all the time). An OpenAI-compatible server also lists its own (lib/agent/model-choices.ts).
   */
  models: readonly { id: string; label: string }[];
}

export const REMOTE_PROVIDERS: readonly RemoteProviderInfo[] = [
  {
    provider: "openai",
    label: "OpenAI",
    setting: "OPENAI_API_KEY",
    ownKeyEnough: true,
    models: [
      { id: "gpt-4.1-mini", label: "GPT-4.1 mini" },
      { id: "gpt-4.1", label: "GPT-4.1" },
      { id: "gpt-4o-mini", label: "GPT-4o mini" },
      { id: "o4-mini", label: "o4-mini" },
    ],
  },
  {
    provider: "openrouter",
    label: "OpenRouter",
    setting: "OPENROUTER_API_KEY",
    ownKeyEnough: true,
    models: [
      { id: "anthropic/claude-sonnet-4", label: "Claude Sonnet 4 (Anthropic)" },
      { id: "google/gemini-2.5-flash", label: "Gemini 2.5 Flash (Google)" },
      { id: "openai/gpt-4.1-mini", label: "GPT-4.1 mini (OpenAI)" },
      { id: "deepseek/deepseek-chat", label: "DeepSeek V3 (DeepSeek)" },
      { id: "meta-llama/llama-3.3-70b-instruct", label: "Llama 3.3 70B Instruct (Meta)" },
    ],
  },
  {
    provider: "compatible",
    label: "OpenAI-compatible server",
    setting: "COMPATIBLE_BASE_URL",
    ownKeyEnough: false,
    models: [
      { id: "llama3.1", label: "llama3.1" },
      { id: "qwen2.5", label: "qwen2.5" },
      { id: "mistral-nemo", label: "mistral-nemo" },
    ],
  },
];

/** Returns an error message for an unknown id, or null when the id is valid. */
export function checkLlmId(id: string): string | null {
  const m = /^([a-z]+):(.+)$/.exec(id);
  const provider = m?.[1];
  const model = m?.[2] ?? "";
  if (!m || !PROVIDERS.includes(provider as Provider)) {
    return `Unknown model "${id}". Use builtin:<strategy> or <provider>:<model> with provider openai, openrouter or compatible`;
  }
  if (provider === "builtin" && !(BUILTIN_STRATEGY_NAMES as readonly string[]).includes(model)) {
    return `Unknown built-in strategy "${model}". Choose one of: ${BUILTIN_STRATEGY_NAMES.join(", ")}`;
  }
  if (!/^[A-Za-z0-9._:/@-]{1,100}$/.test(model)) {
    return `Model name "${model}" may contain letters, digits and . _ : / @ - (at most 100 characters)`;
  }
  return null;
}
