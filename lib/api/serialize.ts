import type { ModelRow } from "@/lib/db/queries/models";

/** A model as the API returns it (money as a decimal string). A stored API key shows only as a flag and a redacted hint. */
export function modelJson(m: ModelRow) {
  return {
    id: m.id,
    name: m.name,
    signature: m.signature,
    description: m.description,
    llm: m.llm,
    instructions: m.instructions,
    startingCash: m.startingCash,
    trading: m.trading,
    isActive: m.isActive,
    hasApiKey: m.apiKeyCiphertext !== null,
    apiKeyHint: m.apiKeyCiphertext !== null ? m.apiKeyHint : null,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}
