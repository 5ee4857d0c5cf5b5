/**
 * Token cost at list prices (USD per 1M tokens, input / output). Built-ins cost nothing; a model not in
 * the table has an unknown cost (null), which the UI shows as "unknown", not as free.
 */
const OPENAI_PRICES: Readonly<Record<string, readonly [input: number, output: number]>> = {
  "gpt-4.1": [2, 8],
  "gpt-4.1-mini": [0.4, 1.6],
  "gpt-4.1-nano": [0.1, 0.4],
  "gpt-4o": [2.5, 10],
  "gpt-4o-mini": [0.15, 0.6],
  "gpt-5": [1.25, 10],
  "gpt-5-mini": [0.25, 2],
  "gpt-5-nano": [0.05, 0.4],
  o3: [2, 8],
  "o4-mini": [1.1, 4.4],
};

export interface TokenUsage {
  inputTokens: number | null;
  outputTokens: number | null;
}

/** Cost in USD as a decimal string with 6 decimals (rounded up to the micro-dollar), or null when unknown. */
export function costOf(llm: string, usage: TokenUsage): string | null {
  if (llm.startsWith("builtin:")) return "0.000000";
  const price = llm.startsWith("openai:") ? OPENAI_PRICES[llm.slice("openai:".length)] : undefined;
  if (!price || usage.inputTokens === null || usage.outputTokens === null) return null;
  // micro-dollars = tokens × (USD per 1M tokens × 1e6) / 1e6 = tokens × USD-per-1M, exactly in bigint
  const perMillion = (usd: number) => BigInt(Math.round(usd * 1_000_000));
  const numerator = BigInt(usage.inputTokens) * perMillion(price[0]) + BigInt(usage.outputTokens) * perMillion(price[1]);
  const micros = (numerator + 999_999n) / 1_000_000n;
  return `${micros / 1_000_000n}.${(micros % 1_000_000n).toString().padStart(6, "0")}`;
}
