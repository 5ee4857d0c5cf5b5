import { quoteOutputSchema } from "../tool-contract";
import { describePosition } from "./narrate";
import { dollars, list, nyClock, usd } from "./format";
import type { ParsedPrompt } from "./prompt";
import { textReply, type Reply } from "./reply";
import { readPortfolio, symbolOf } from "./snapshot";

const NOT_TICKERS = new Set(
  "I A AM PM OK ET UTC GMT USD AI LLM ETF PNL P L ID IPO CEO CFO EPS YTD EOD API US USA NY NYSE NASDAQ Q1 Q2 Q3 Q4 FAQ TL DR".split(" "),
);
const MAX_QUOTES = 5;

/** Upper-case words that look like tickers, in order, without common abbreviations. */
export function mentionedSymbols(text: string): string[] {
  const words = text.match(/\b[A-Z][A-Z0-9]{0,5}(?:\.[A-Z]{1,2})?\b/g) ?? [];
  return [...new Set(words.filter((w) => !NOT_TICKERS.has(w)))].slice(0, MAX_QUOTES);
}

/**
 * A chat question (no decision prompt): first look up the portfolio and quotes of the symbols it names,
 * then answer from those results, the strategy's rule and what this model said earlier in the chat.
 */
export function chatTurn(t: {
  parsed: ParsedPrompt;
  modelId: string;
  rule: string;
  paramNote: string | null;
  tools: ReadonlySet<string>;
}): Reply {
  const { parsed } = t;
  const symbols = mentionedSymbols(parsed.userText);
  if (parsed.calls.length === 0 && parsed.step === 1) {
    const calls = [
      ...(t.tools.has("get_portfolio") ? [{ toolName: "get_portfolio", input: {} }] : []),
      ...(t.tools.has("get_quote") ? symbols.map((symbol) => ({ toolName: "get_quote", input: { symbol } })) : []),
    ];
    if (calls.length > 0) return { kind: "tool-calls", calls, warnings: [] };
  }

  const lines = [`I am ${t.modelId}, a rule-based model (not an LLM). My rule: ${t.rule}.`];
  if (t.paramNote) lines.push(t.paramNote);
  const portfolioCall = parsed.calls.find((c) => c.name === "get_portfolio");
  const portfolio = portfolioCall ? readPortfolio(parsed.results.find((r) => r.id === portfolioCall.id)) : null;
  if (portfolio?.ok) {
    const p = portfolio.value;
    const positions = p.positions.filter((x) => x.quantity !== 0).map(describePosition);
    lines.push(
      `Now: cash ${usd(dollars(p.cash))}, equity ${usd(dollars(p.equity))}; ${positions.length > 0 ? `positions: ${list(positions)}` : "no positions"}.`,
    );
  } else if (portfolio) {
    lines.push(`I could not read the portfolio: ${portfolio.error}.`);
  }

  for (const symbol of symbols) {
    const parts: string[] = [];
    const quoteCall = parsed.calls.find((c) => c.name === "get_quote" && symbolOf(c.input) === symbol);
    const result = quoteCall && parsed.results.find((r) => r.id === quoteCall.id);
    if (result && !result.ok) continue; // not a ticker of this session: say nothing about it
    const quote = result ? quoteOutputSchema.safeParse(result.value) : null;
    if (quote?.success) {
      const q = quote.data;
      parts.push(`last price ${usd(q.price)} (${q.basis} of ${nyClock(q.at)}${q.derived ? ", derived data" : ""}, source ${q.source})`);
    }
    if (portfolio?.ok) {
      const held = portfolio.value.positions.find((x) => x.symbol.toUpperCase() === symbol && x.quantity !== 0);
      parts.push(held ? `I hold ${held.quantity} shares` : "I hold none");
    }
    const earlier = lastSentenceAbout(parsed.earlierAssistantText, symbol);
    const said = earlier ? ` Earlier I wrote: "${earlier}"` : "";
    if (parts.length > 0 || said) lines.push(`${symbol}: ${parts.length > 0 ? `${parts.join("; ")}.` : ""}${said}`);
  }
  if (/\bwhy\b/i.test(parsed.userText)) {
    lines.push("I trade by that rule alone, once per bar; each bar's decision record shows the numbers I used.");
  }
  return textReply(lines.join("\n"));
}

function lastSentenceAbout(texts: readonly string[], symbol: string): string | undefined {
  const re = new RegExp(`\\b${symbol.replace(".", "\\.")}\\b`);
  for (let i = texts.length - 1; i >= 0; i--) {
    const sentences = texts[i]!.split(/(?<=[.!?])\s+|\n+/).filter((s) => re.test(s));
    const last = sentences[sentences.length - 1];
    if (last) return last.trim().slice(0, 300);
  }
  return undefined;
}
