const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

/** "$10,000.00" from a decimal string or number (display only; money math lives in lib/engine). */
export const formatUsd = (v: string | number) => usd.format(Number(v));

/** "1 symbol", "2 symbols", "1,000 bars": a count with its noun, plural unless exactly one. */
export const countOf = (n: number, noun: string) => `${n.toLocaleString("en-US")} ${noun}${n === 1 ? "" : "s"}`;
