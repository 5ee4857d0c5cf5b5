/**
 * The model form's "Model" list as form values: the select posts a listed id, or OTHER_LLM with the id
 * typed in the "Other model id" field. Pure: the form (browser) and its server action share it.
 */
export const OTHER_LLM = "other";

/** What the list shows for a model's `llm`: its option when listed, else "Other…" with the id typed in. */
export function pickedOf(llm: string, listed: readonly string[]): { picked: string; other: string } {
  const id = llm.trim();
  return listed.includes(id) ? { picked: id, other: "" } : { picked: OTHER_LLM, other: id };
}

/** The `llm` a posted form chose: the listed id, or the one typed under "Other…". */
export function llmOfForm(form: { get(name: string): unknown }): string {
  const picked = String(form.get("llm") ?? "");
  return picked === OTHER_LLM ? String(form.get("llmOther") ?? "") : picked;
}
