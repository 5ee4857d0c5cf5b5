import { z } from "zod";
import { MAX_CHAT_MESSAGES, MAX_QUESTION_CHARS } from "@/lib/services/session-chat";

/**
 * POST /api/v1/sessions/:id/chat: the body useChat's DefaultChatTransport sends ({ id, messages, trigger,
 * messageId }). Only the LAST message is read, and it must be the user's question: the history the model
 * sees comes from the stored conversation, so a client cannot put words in the model's mouth.
 */
const part = z.looseObject({ type: z.string().max(100) });

const message = z.looseObject({
  id: z.string().max(200).optional(),
  role: z.enum(["system", "user", "assistant"]),
  parts: z.array(part).max(200),
});

export const chatRequestSchema = z
  .looseObject({
    messages: z
      .array(message)
      .min(1, "messages must hold the question")
      .max(MAX_CHAT_MESSAGES, `at most ${MAX_CHAT_MESSAGES} messages`),
  })
  .transform((body, ctx) => {
    const last = body.messages[body.messages.length - 1]!;
    const question = last.parts
      .flatMap((p) => (p.type === "text" && typeof p.text === "string" ? [p.text] : []))
      .join("\n")
      .trim();
    const path = ["messages", body.messages.length - 1];
    if (last.role !== "user") ctx.addIssue({ code: "custom", path, message: "the last message must be the user's question" });
    else if (!question) ctx.addIssue({ code: "custom", path, message: "the question has no text" });
    else if (question.length > MAX_QUESTION_CHARS) ctx.addIssue({ code: "custom", path, message: `a question can be at most ${MAX_QUESTION_CHARS} characters` });
    return { question };
  });

export type ChatRequest = z.output<typeof chatRequestSchema>;
