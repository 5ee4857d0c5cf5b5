import type { Clock } from "./view-types";

/**
 * THE NEWS GATE: the only way agents read news. At clock t it returns articles published strictly
 * before t, newest first. Like the market view's gate, it asks the source only for articles before t
 * and filters whatever comes back, so even a faulty source cannot leak the future. Pure: no database.
 */

export interface NewsArticle {
  id: string;
  publishedAt: Date;
  title: string;
  summary: string;
  source: string;
  url: string | null;
  /** Tickers the article is about, upper case. */
  symbols: readonly string[];
}

export interface NewsQuery {
  /** Free text: a ticker, a company name, a few words. */
  query: string;
  /** Only articles with publishedAt < before. */
  before: Date;
  limit: number;
}

/** Where articles come from (the `news` table, a provider adapter, or memory in tests). */
export interface NewsSource {
  search(query: NewsQuery): Promise<NewsArticle[]>;
}

export interface NewsView {
  /** Articles matching `query` published before the clock, newest first (at most `limit`, default 10). */
  search(query: string, options?: { limit?: number }): Promise<NewsArticle[]>;
}

export const DEFAULT_NEWS_LIMIT = 10;
export const MAX_NEWS_LIMIT = 20;

export function createNewsView({ clock, source }: { clock: Clock; source: NewsSource }): NewsView {
  return {
    async search(query, options = {}) {
      const limit = Math.min(Math.max(1, Math.trunc(options.limit ?? DEFAULT_NEWS_LIMIT)), MAX_NEWS_LIMIT);
      const text = query.trim();
      if (text === "") return [];
      const before = clock.now();
      const found = await source.search({ query: text, before, limit });
      return found
        .filter((a) => a.publishedAt.getTime() < before.getTime())
        .sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime())
        .slice(0, limit);
    },
  };
}

/** An in-memory source for tests: case-insensitive match on title, summary or a symbol. */
export function createMemoryNewsSource(articles: readonly NewsArticle[]): NewsSource {
  return {
    async search({ query }) {
      const q = query.toLowerCase();
      return articles.filter(
        (a) => a.title.toLowerCase().includes(q) || a.summary.toLowerCase().includes(q) || a.symbols.some((s) => s.toLowerCase() === q),
      );
    },
  };
}
