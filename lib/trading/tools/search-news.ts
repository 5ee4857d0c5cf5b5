import "server-only";
import { tool } from "ai";
import { searchNews } from "@/lib/db/queries/news";
import { createNewsView, type NewsView } from "@/lib/market/news";
import { type NewsOutput, TOOL_DESCRIPTIONS } from "@/lib/agent/tool-contract";
import { parseToolInput, toolSchemas } from "./schemas";
import type { TradingContext } from "../context";
import { asTool } from "./errors";
import type { ToolRuntime } from "@/lib/agent/tool-runtime";

/** The news ctx's tools read: ctx.news, else the `news` table through the news gate at ctx.clock. */
export function newsViewOf(ctx: TradingContext): NewsView {
  return ctx.news ?? createNewsView({ clock: ctx.clock, source: { search: (q) => ctx.read((tx) => searchNews(tx, q)) } });
}

/**
 * search_news: articles published BEFORE the session clock (the news gate), newest first. Their text is
 * data for the model, never instructions to the desk: whatever an article says, this tool has no
 * parameter that could name another model or account, and neither has any other tool.
 */
export function createSearchNewsTool(ctx: TradingContext, rt: ToolRuntime) {
  const view = newsViewOf(ctx);
  return tool({
    description: TOOL_DESCRIPTIONS.search_news,
    inputSchema: toolSchemas.search_news,
    execute: (input, { toolCallId }) =>
      rt.track("search_news", toolCallId, input, () =>
        asTool("search_news", async (): Promise<NewsOutput> => {
          const { query, limit } = parseToolInput("search_news", input);
          const found = await view.search(query, { limit });
          return { articles: found.map((a) => ({ title: a.title, summary: a.summary, source: a.source, publishedAt: a.publishedAt.toISOString() })) };
        }),
      ),
  });
}
