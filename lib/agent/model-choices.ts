import "server-only";
import { z } from "zod";
import { BUILTIN_STRATEGIES } from "./builtin";
import { checkLlmId, REMOTE_PROVIDERS, type Provider, type RemoteProvider, type RemoteProviderInfo } from "./catalog";
import { providerConfigFromEnv, type ProviderConfig } from "./providers";

/**
 * What the model form offers as its "Model" list: the built-in strategies (described by the strategies
 * themselves), then the models of each provider this server is configured for. Only the FACT that a provider
 * is configured leaves the server: never a key, nor the compatible server's address.
 */

export interface LlmChoice {
  /** The `llm` id saved on the model. */
  id: string;
  /** The option's words. */
  label: string;
  /** One or two sentences shown under the field while it is chosen. */
  detail: string;
}

export interface LlmChoiceGroup {
  provider: Provider;
  label: string;
  choices: LlmChoice[];
}

export interface UnconfiguredProvider {
  provider: RemoteProvider;
  label: string;
  /** The server setting that would configure it. */
  setting: string;
  /** A key stored on the model is enough to use it (typed under "Other…"). */
  ownKeyEnough: boolean;
}

export interface LlmChoices {
  groups: LlmChoiceGroup[];
  unconfigured: UnconfiguredProvider[];
  /** Said under the field, e.g. that the compatible server's own list could not be read. */
  notes: string[];
}

export function isProviderConfigured(provider: RemoteProvider, config: ProviderConfig): boolean {
  switch (provider) {
    case "openai":
      return Boolean(config.openaiApiKey);
    case "openrouter":
      return Boolean(config.openrouterApiKey);
    case "compatible":
      return Boolean(config.compatibleBaseUrl);
  }
}

export interface ListChoicesOptions {
  config?: ProviderConfig;
  /** For tests: the HTTP client asking the compatible server for its models. */
  fetch?: typeof fetch;
  /** How long the compatible server's list may take before the form shows without it. */
  timeoutMs?: number;
}

export async function listLlmChoices({ config = providerConfigFromEnv(), fetch: fetchImpl = globalThis.fetch, timeoutMs = 1500 }: ListChoicesOptions = {}): Promise<LlmChoices> {
  const groups: LlmChoiceGroup[] = [
    {
      provider: "builtin",
      label: "Built-in strategies (run offline, no API key)",
      choices: BUILTIN_STRATEGIES.map((s) => ({
        id: s.llm,
        label: `${s.title} — ${s.summary}`,
        detail: `${s.llm} runs inside Bullpen with no API key. Its rule: ${s.rule}. Change its parameters in the strategy prompt.`,
      })),
    },
  ];
  const unconfigured: UnconfiguredProvider[] = [];
  const notes: string[] = [];
  for (const p of REMOTE_PROVIDERS) {
    if (!isProviderConfigured(p.provider, config)) {
      unconfigured.push({ provider: p.provider, label: p.label, setting: p.setting, ownKeyEnough: p.ownKeyEnough });
      continue;
    }
    let models = p.models.map((m) => ({ name: m.id, label: m.label === m.id ? m.id : `${m.label} (${m.id})` }));
    if (p.provider === "compatible" && config.compatibleBaseUrl) {
      const listed = await listCompatibleModels(config.compatibleBaseUrl, { apiKey: config.compatibleApiKey, fetch: fetchImpl, timeoutMs });
      if (listed.ok && listed.ids.length > 0) models = listed.ids.map((id) => ({ name: id, label: id }));
      else notes.push(`The OpenAI-compatible server's own list of models ${listed.ok ? "was empty" : `could not be read (${listed.reason})`}; the list shows common ones instead.`);
    }
    groups.push({ provider: p.provider, label: p.label, choices: models.map((m) => ({ id: `${p.provider}:${m.name}`, label: m.label, detail: remoteDetail(p, `${p.provider}:${m.name}`) })) });
  }
  return { groups, unconfigured, notes };
}

function remoteDetail(p: RemoteProviderInfo, id: string): string {
  return p.provider === "compatible"
    ? `${id} is called on this server's OpenAI-compatible server (${p.setting}), with this model's own API key if it has one.`
    : `${id} is called at ${p.label} with this server's key (${p.setting}), or with this model's own API key below.`;
}

const modelList = z.object({ data: z.array(z.object({ id: z.string() })) });

type Listed = { ok: true; ids: string[] } | { ok: false; reason: string };

/** Lists answered lately, per server: the form is opened often and the list changes rarely. */
const recent = new Map<string, { at: number; listed: Listed }>();
const KEEP_MS = { ok: 60_000, failed: 15_000 };
const MAX_LISTED = 200;

/**
 * `GET <base>/models` of an OpenAI-compatible server (Ollama, vLLM, LM Studio answer it): the ids it serves,
 * sorted, those that are valid model names only. Fails soft: a slow, missing or odd answer is a reason in
 * words, never an exception, so the form always opens.
 */
export async function listCompatibleModels(baseUrl: string, { apiKey, fetch: fetchImpl = globalThis.fetch, timeoutMs = 1500 }: { apiKey?: string; fetch?: typeof fetch; timeoutMs?: number } = {}): Promise<Listed> {
  const kept = recent.get(baseUrl);
  if (kept && Date.now() - kept.at < (kept.listed.ok ? KEEP_MS.ok : KEEP_MS.failed)) return kept.listed;
  const listed = await askForModels(baseUrl, { apiKey, fetchImpl, timeoutMs });
  recent.set(baseUrl, { at: Date.now(), listed });
  return listed;
}

async function askForModels(baseUrl: string, { apiKey, fetchImpl, timeoutMs }: { apiKey?: string; fetchImpl: typeof fetch; timeoutMs: number }): Promise<Listed> {
  let res: Response;
  try {
    res = await fetchImpl(`${baseUrl.replace(/\/+$/, "")}/models`, {
      headers: { accept: "application/json", ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
    return { ok: false, reason: timedOut ? `no answer within ${timeoutMs / 1000} s` : "it could not be reached" };
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => {});
    return { ok: false, reason: `it answered ${res.status}` };
  }
  const parsed = modelList.safeParse(await res.json().catch(() => null));
  if (!parsed.success) return { ok: false, reason: "its answer was not a list of models" };
  const ids = [...new Set(parsed.data.data.map((m) => m.id))].filter((id) => checkLlmId(`compatible:${id}`) === null).sort((a, b) => a.localeCompare(b));
  return { ok: true, ids: ids.slice(0, MAX_LISTED) };
}
