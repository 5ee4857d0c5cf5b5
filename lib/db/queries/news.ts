import "server-only";
import { and, desc, ilike, lt, or, sql } from "drizzle-orm";
import type { Executor } from "@/lib/db/client";
import { news } from "@/lib/db/schema";
import type { NewsArticle, NewsQuery } from "@/lib/market/news";

/** News articles: shared and read-only to users; the server's importers write them. */
export type NewsInsert = typeof news.$inferInsert;

/** `%`, `_` and `\` are ILIKE wildcards: match them literally. */
const likeEscape = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Articles published before `before` whose title or summary match the query (full-text, all words,
 * or the query as a phrase) or that are tagged with it as a ticker; newest first.
 */
export async function searchNews(tx: Executor, { query, before, limit }: NewsQuery): Promise<NewsArticle[]> {
  const text = query.trim();
  const phrase = `%${likeEscape(text)}%`;
  const rows = await tx
    .select({
      id: news.id,
      publishedAt: news.publishedAt,
      title: news.title,
      summary: news.summary,
      source: news.source,
      url: news.url,
      symbols: news.symbols,
    })
    .from(news)
    .where(
      and(
        lt(news.publishedAt, before),
        or(
          sql`${text.toUpperCase()} = any(${news.symbols})`,
          sql`to_tsvector('english', ${news.title} || ' ' || ${news.summary}) @@ websearch_to_tsquery('english', ${text})`,
          ilike(news.title, phrase),
          ilike(news.summary, phrase),
        ),
      ),
    )
    .orderBy(desc(news.publishedAt))
    .limit(limit);
  return rows;
}

/** Stores articles (server connection only: users have no INSERT); an existing url is left as it is. */
export async function insertNews(tx: Executor, rows: readonly NewsInsert[]): Promise<number> {
  if (rows.length === 0) return 0;
  const done = await tx.insert(news).values([...rows]).onConflictDoNothing().returning({ id: news.id });
  return done.length;
}
