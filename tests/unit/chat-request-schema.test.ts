import { describe, expect, it } from "vitest";
import { chatRequestSchema } from "@/app/api/v1/sessions/[id]/chat/schema";

const user = (text: string) => ({ id: "u", role: "user", parts: [{ type: "text", text }] });
const assistant = (text: string) => ({ id: "a", role: "assistant", parts: [{ type: "step-start" }, { type: "text", text }] });
const issues = (body: unknown) => {
  const r = chatRequestSchema.safeParse(body);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("POST /api/v1/sessions/:id/chat body", () => {
  it("takes the last message's text as the question, whatever else useChat sends", () => {
    const body = { id: "chat", trigger: "submit-message", messageId: undefined, messages: [user("first?"), assistant("answer"), user("  Why did you sell NVDA at 11:00?  ")] };
    expect(chatRequestSchema.parse(body)).toEqual({ question: "Why did you sell NVDA at 11:00?" });
  });

  it("refuses a body without a user question at the end, an empty or too long question, and too many messages", () => {
    expect(issues({})).toEqual(["messages: Invalid input: expected array, received undefined"]);
    expect(issues({ messages: [] })).toEqual(["messages: messages must hold the question"]);
    expect(issues({ messages: [user("q"), assistant("a")] })).toEqual(["messages.1: the last message must be the user's question"]);
    expect(issues({ messages: [{ role: "user", parts: [{ type: "file", url: "x" }] }] })).toEqual(["messages.0: the question has no text"]);
    expect(issues({ messages: [user("x".repeat(2_001))] })).toEqual(["messages.0: a question can be at most 2000 characters"]);
    expect(issues({ messages: [user("x".repeat(2_000))] })).toEqual([]);
    expect(issues({ messages: Array.from({ length: 51 }, () => user("q")) })).toEqual(["messages: at most 50 messages"]);
    expect(issues({ messages: [{ role: "tool", parts: [] }] })[0]).toMatch(/^messages\.0\.role/);
  });
});
