import { describe, expect, it } from "vitest";
import { createMemoryNewsSource, createNewsView, type NewsArticle, type NewsSource } from "./news";

const at = (iso: string) => new Date(iso);
const article = (id: string, publishedAt: string, title: string, symbols: string[] = []): NewsArticle => ({
  id,
  publishedAt: at(publishedAt),
  title,
  summary: "",
  source: "test",
  url: null,
  symbols,
});

const CLOCK = at("2025-10-01T13:30:00Z");
const ARTICLES = [
  article("old", "2025-09-30T12:00:00Z", "Apple ships a phone", ["AAPL"]),
  article("newer", "2025-10-01T13:29:59Z", "Apple guidance raised", ["AAPL"]),
  article("at-clock", "2025-10-01T13:30:00Z", "Apple at the open", ["AAPL"]),
  article("future", "2025-10-02T09:00:00Z", "Apple crashes tomorrow", ["AAPL"]),
];

describe("the news gate", () => {
  it("returns only articles published strictly before the clock, newest first", async () => {
    const view = createNewsView({ clock: { now: () => CLOCK }, source: createMemoryNewsSource(ARTICLES) });
    expect((await view.search("apple")).map((a) => a.id)).toEqual(["newer", "old"]);
    expect((await view.search("AAPL", { limit: 1 })).map((a) => a.id)).toEqual(["newer"]);
    expect(await view.search("   ")).toEqual([]);
  });

  it("filters what a faulty source returns: the future never leaks", async () => {
    const asked: Date[] = [];
    const leaky: NewsSource = {
      async search(q) {
        asked.push(q.before);
        return ARTICLES; // ignores `before`
      },
    };
    const view = createNewsView({ clock: { now: () => CLOCK }, source: leaky });
    const found = await view.search("anything", { limit: 50 });
    expect(found.map((a) => a.id)).toEqual(["newer", "old"]);
    expect(asked).toEqual([CLOCK]);
  });

  it("caps the limit at 20", async () => {
    const many = Array.from({ length: 30 }, (_, i) => article(`a${i}`, `2025-09-${String(1 + (i % 28)).padStart(2, "0")}T12:00:00Z`, "Apple"));
    const view = createNewsView({ clock: { now: () => CLOCK }, source: createMemoryNewsSource(many) });
    expect(await view.search("apple", { limit: 1000 })).toHaveLength(20);
  });
});
