const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

/** "$10,000.00" from a decimal string or number (display only; money math lives in lib/engine). */
export const formatUsd = (v: string | number) => usd.format(Number(v));
