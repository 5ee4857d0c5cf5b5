import { describe, expect, it } from "vitest";
import { llmOfForm, OTHER_LLM, pickedOf } from "./llm-choice";

describe("the model list as form values", () => {
  const listed = ["builtin:momentum", "openai:gpt-4.1-mini"];

  it("shows a listed id as its option, anything else under Other… with the id typed in", () => {
    expect(pickedOf("builtin:momentum", listed)).toEqual({ picked: "builtin:momentum", other: "" });
    expect(pickedOf("openrouter:x-ai/grok-4", listed)).toEqual({ picked: OTHER_LLM, other: "openrouter:x-ai/grok-4" });
    expect(pickedOf("", listed)).toEqual({ picked: OTHER_LLM, other: "" });
  });

  it("posts the listed id, or the typed one when Other… is chosen", () => {
    const form = (entries: Record<string, string>) => new Map(Object.entries(entries));
    expect(llmOfForm(form({ llm: "builtin:momentum", llmOther: "ignored:x" }))).toBe("builtin:momentum");
    expect(llmOfForm(form({ llm: OTHER_LLM, llmOther: "compatible:llama3.1" }))).toBe("compatible:llama3.1");
    expect(llmOfForm(form({ llm: OTHER_LLM }))).toBe("");
    // A client that posts the id itself (an older page, a script) still works.
    expect(llmOfForm(form({ llm: "openai:gpt-5" }))).toBe("openai:gpt-5");
  });
});
