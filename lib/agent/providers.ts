import "server-only";
import { createOpenAI } from "@ai-sdk/openai";
import type { LanguageModelV4 } from "@ai-sdk/provider";
import { AppError } from "@/lib/errors";
import { env } from "@/lib/env";
import { createBuiltinModel, isBuiltinStrategyName } from "./builtin";
import { checkLlmId } from "./catalog";

/**
 * `llm` id → AI SDK language model. Every setting is passed explicitly: the OpenAI provider would
 * otherwise read OPENAI_API_KEY / OPENAI_BASE_URL from process.env itself, which is exactly the ambient
 * configuration this project avoids. All three remote providers use the chat completions API (one wire
 * format; OpenAI-compatible servers have no /responses endpoint).
 */

export const OPENAI_BASE_URL = "https://api.openai.com/v1";
export const OPENROUTER_BASE_URL = "https://openrouter.ai/api/v1";

/** Server-wide provider configuration (from lib/env by default; tests pass their own). */
export interface ProviderConfig {
  openaiApiKey?: string;
  openrouterApiKey?: string;
  compatibleBaseUrl?: string;
  compatibleApiKey?: string;
}

export function providerConfigFromEnv(): ProviderConfig {
  return {
    openaiApiKey: env.OPENAI_API_KEY,
    openrouterApiKey: env.OPENROUTER_API_KEY,
    compatibleBaseUrl: env.COMPATIBLE_BASE_URL,
    compatibleApiKey: env.COMPATIBLE_API_KEY,
  };
}

export interface CreateModelOptions {
  /** The model's own decrypted API key: wins over the server-wide one. Never log it. */
  apiKey?: string;
  /** Seed for builtin:random. */
  seed?: number;
  config?: ProviderConfig;
  /** For tests: the HTTP client the provider uses. */
  fetch?: typeof fetch;
}

export type ModelConfigCode = "MODEL_UNKNOWN" | "MODEL_API_KEY_MISSING" | "MODEL_BASE_URL_MISSING";

export class ModelConfigError extends AppError {
  constructor(
    code: ModelConfigCode,
    message: string,
    readonly llmId: string,
  ) {
    super("reject", code, message);
  }
}

export function createLanguageModel(llmId: string, options: CreateModelOptions = {}): LanguageModelV4 {
  const problem = checkLlmId(llmId);
  if (problem) throw new ModelConfigError("MODEL_UNKNOWN", problem, llmId);
  const colon = llmId.indexOf(":");
  const provider = llmId.slice(0, colon);
  const model = llmId.slice(colon + 1);
  const config = options.config ?? providerConfigFromEnv();
  const ownKey = options.apiKey?.trim() || undefined;
  const needKey = (envName: string): never => {
    throw new ModelConfigError(
      "MODEL_API_KEY_MISSING",
      `${llmId} needs an API key: set ${envName} or store a key on the model`,
      llmId,
    );
  };

  switch (provider) {
    case "builtin":
      if (!isBuiltinStrategyName(model)) throw new ModelConfigError("MODEL_UNKNOWN", `Unknown built-in strategy "${model}"`, llmId);
      return createBuiltinModel(model, { seed: options.seed });
    case "openai":
      return createOpenAI({
        name: "openai",
        baseURL: OPENAI_BASE_URL,
        apiKey: ownKey ?? config.openaiApiKey ?? needKey("OPENAI_API_KEY"),
        fetch: options.fetch,
      }).chat(model);
    case "openrouter":
      return createOpenAI({
        name: "openrouter",
        baseURL: OPENROUTER_BASE_URL,
        apiKey: ownKey ?? config.openrouterApiKey ?? needKey("OPENROUTER_API_KEY"),
        headers: { "X-Title": "Bullpen" },
        fetch: options.fetch,
      }).chat(model);
    case "compatible": {
      const baseURL = config.compatibleBaseUrl;
      if (!baseURL) {
        throw new ModelConfigError(
          "MODEL_BASE_URL_MISSING",
          `${llmId} needs the server's address: set COMPATIBLE_BASE_URL (e.g. http://127.0.0.1:11434/v1 for Ollama)`,
          llmId,
        );
      }
      return createOpenAI({
        name: "compatible",
        baseURL,
        apiKey: ownKey ?? config.compatibleApiKey ?? "none",
        fetch: options.fetch,
      }).chat(model);
    }
    default:
      throw new ModelConfigError("MODEL_UNKNOWN", `Unknown provider in "${llmId}"`, llmId);
  }
}
