import { createUIMessageStreamResponse } from "ai";
import { asUser, jsonBody, otherMethods } from "@/lib/api/respond";
import { askSessionModel, listSessionChat } from "@/lib/services/session-chat";
import { chatRequestSchema } from "./schema";

type Params = { params: Promise<{ id: string }> };

/** The stored conversation with the session's model: { messages: UIMessage[] }, oldest first. */
export const GET = (req: Request, { params }: Params) =>
  asUser(req, async (ctx) => Response.json({ messages: await listSessionChat(ctx, (await params).id) }));

/**
 * Ask the session's model: the answer streams as an AI SDK UI message stream (SSE). Errors before the
 * stream starts are JSON ({ error }): 404 for a session that is not yours, 400 for a bad question.
 */
export const POST = (req: Request, { params }: Params) =>
  asUser(req, async (ctx) => {
    const { question } = chatRequestSchema.parse(await jsonBody(req));
    const answer = await askSessionModel(ctx, (await params).id, question, { abortSignal: req.signal });
    return createUIMessageStreamResponse({ stream: answer.stream });
  });

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
