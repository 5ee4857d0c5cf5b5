"use client";
import { useChat } from "@ai-sdk/react";
import { ScrollRegion } from "@/components/ui/scroll-region";
import { useQuery } from "@tanstack/react-query";
import { DefaultChatTransport, type UIMessage } from "ai";
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { Button } from "@/components/ui/button";
import { Textarea } from "@/components/ui/input";

/**
 * "Ask the model": a chat with the session's model about the session (docs/chat.md). The answer streams
 * from POST /api/v1/sessions/:id/chat; the model has read-only tools at the session clock and cannot trade.
 * Self-contained: place <SessionChat sessionId={id} /> anywhere inside <Providers> (it needs TanStack Query).
 */
type ChatMessage = UIMessage<{ clock: string | null; createdAt?: string }>;
type Part = ChatMessage["parts"][number];

const MAX_QUESTION_CHARS = 2_000;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The API's `{ error: { message, fields } }` in words; anything else as it is. */
function errorInWords(raw: string): string {
  try {
    const body = JSON.parse(raw) as { error?: { message?: string; fields?: Record<string, string> } };
    const fields = Object.values(body.error?.fields ?? {});
    if (body.error?.message) return fields.length > 0 ? `${body.error.message}: ${fields.join("; ")}` : body.error.message;
  } catch {
    // not JSON: the stream's own error text
  }
  return raw || "Something went wrong; try again.";
}

async function fetchHistory(api: string): Promise<ChatMessage[]> {
  const res = await fetch(api, { credentials: "same-origin", cache: "no-store" });
  if (!res.ok) throw new HttpError(res.status, errorInWords(await res.text()));
  return ((await res.json()) as { messages: ChatMessage[] }).messages;
}

export function SessionChat({ sessionId }: { sessionId: string }) {
  const api = `/api/v1/sessions/${encodeURIComponent(sessionId)}/chat`;
  const history = useQuery({ queryKey: ["session-chat", sessionId], queryFn: () => fetchHistory(api), staleTime: Infinity, refetchOnWindowFocus: false });
  return (
    <section aria-label="Conversation with the model" className="grid gap-3 rounded-lg border bg-card p-5 shadow-xs">
      <div>
        <h2 className="text-base font-semibold">Ask the model</h2>
        <p className="text-sm text-muted-foreground">It answers from its own decisions and positions, with read-only tools at the session clock. It cannot trade here.</p>
      </div>
      {history.isPending ? (
        <p role="status" className="text-sm text-muted-foreground">
          Loading the conversation…
        </p>
      ) : history.isError ? (
        <div role="alert" className="flex items-center gap-3 text-sm text-destructive">
          <span>Could not load the conversation: {history.error.message}</span>
          <Button size="sm" variant="outline" onClick={() => void history.refetch()}>
            Try again
          </Button>
        </div>
      ) : (
        <ChatPanel key={sessionId} api={api} sessionId={sessionId} initial={history.data} />
      )}
    </section>
  );
}

function ChatPanel({ api, sessionId, initial }: { api: string; sessionId: string; initial: ChatMessage[] }) {
  const inputId = useId();
  const [transport] = useState(
    () =>
      new DefaultChatTransport<ChatMessage>({
        api,
        credentials: "same-origin",
        // The server keeps the conversation: send only the new question.
        prepareSendMessagesRequest: ({ id, messages, trigger, messageId }) => ({ body: { id, trigger, messageId, messages: messages.slice(-1) } }),
      }),
  );
  const { messages, sendMessage, status, error, stop, clearError } = useChat<ChatMessage>({ id: `session-chat-${sessionId}`, messages: initial, transport });
  const [input, setInput] = useState("");
  const [asked, setAsked] = useState(false);
  const busy = status === "submitted" || status === "streaming";
  const end = useRef<HTMLLIElement>(null);

  useEffect(() => {
    end.current?.scrollIntoView?.({ block: "nearest" });
  }, [messages]);

  function submit(e?: FormEvent) {
    e?.preventDefault();
    const text = input.trim();
    if (!text || busy) return;
    clearError();
    setAsked(true);
    setInput("");
    void sendMessage({ text });
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) submit(e);
  }

  const announcement = status === "submitted" ? "Asking the model…" : status === "streaming" ? "The model is answering…" : asked && status === "ready" ? "The answer is complete." : "";

  return (
    <div className="grid gap-3">
      {messages.length > 0 ? (
        <ScrollRegion label="Conversation" className="max-h-[28rem] overflow-y-auto pr-1">
          <ol aria-label="Conversation" aria-busy={busy} className="grid gap-3">
            {messages.map((m) => (
              <li key={m.id} className={m.role === "user" ? "rounded-md bg-muted px-3 py-2" : "px-3 py-1"}>
                <p className="text-xs font-medium text-muted-foreground">{m.role === "user" ? "You" : "Model"}</p>
                <div className="grid gap-1 text-sm">{m.parts.map((p, i) => renderPart(p, i))}</div>
              </li>
            ))}
            <li ref={end} aria-hidden className="h-0" />
          </ol>
        </ScrollRegion>
      ) : (
        <p className="text-sm text-muted-foreground">No questions yet. Try: “Why did you buy NVDA?” or “What do you hold?”</p>
      )}
      <p role="status" aria-live="polite" className="min-h-5 text-xs text-muted-foreground">
        {announcement}
      </p>
      {error && (
        <p role="alert" className="text-sm text-destructive">
          The model could not answer: {errorInWords(error.message)}
        </p>
      )}
      <form onSubmit={submit} className="grid gap-2">
        <label htmlFor={inputId} className="text-sm font-medium">
          Ask the model
        </label>
        <Textarea
          id={inputId}
          rows={2}
          maxLength={MAX_QUESTION_CHARS}
          className="min-h-16"
          value={input}
          onChange={(e) => setInput(e.target.value)}
          onKeyDown={onKeyDown}
          placeholder="Why did you sell NVDA at 11:00?"
        />
        <div className="flex gap-2">
          <Button type="submit" disabled={busy || !input.trim()}>
            Send
          </Button>
          {busy && (
            <Button type="button" variant="outline" onClick={() => void stop()}>
              Stop
            </Button>
          )}
        </div>
      </form>
    </div>
  );
}

function renderPart(part: Part, key: number) {
  if (part.type === "text") {
    return (
      <p key={key} className="whitespace-pre-wrap">
        {part.text}
      </p>
    );
  }
  if (part.type.startsWith("tool-") || part.type === "dynamic-tool") {
    return (
      <p key={key} className="text-xs text-muted-foreground">
        {toolLabel(part as ToolPart)}
      </p>
    );
  }
  return null;
}

interface ToolPart {
  type: string;
  toolName?: string;
  state: string;
  input?: unknown;
  errorText?: string;
}

/** A tool call in a few words: "Looked up portfolio", "Looking up quote for NVDA…". */
function toolLabel(part: ToolPart): string {
  const name = part.type === "dynamic-tool" ? (part.toolName ?? "tool") : part.type.slice("tool-".length);
  const input = (part.input ?? {}) as { symbol?: string; underlying?: string; interval?: string; expression?: string };
  const what: Record<string, string> = {
    get_portfolio: "portfolio",
    get_quote: `quote for ${input.symbol ?? "…"}`,
    get_bars: `${input.interval ? `${input.interval} ` : ""}bars for ${input.symbol ?? "…"}`,
    get_indicators: `${input.interval ? `${input.interval} ` : ""}indicators for ${input.symbol ?? "…"}`,
    get_option_chain: `modelled option chain for ${input.underlying ?? "…"}`,
    get_option_quote: `modelled option quote for ${input.symbol ?? "…"}`,
  };
  const done = part.state === "output-available" || part.state === "output-error";
  const label =
    name === "calculate"
      ? `${done ? "Calculated" : "Calculating"} ${input.expression ?? ""}`.trim()
      : name in what
        ? `${done ? "Looked up" : "Looking up"} ${what[name]}`
        : `${done ? "Used" : "Using"} ${name}`;
  if (part.state === "output-error") return `${label}: failed (${part.errorText ?? "no reason given"})`;
  return done ? label : `${label}…`;
}
