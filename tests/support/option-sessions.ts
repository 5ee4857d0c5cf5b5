import type { Db } from "@/lib/db/client";
import { barStarts, tradingDays, type Bar } from "@/lib/market";
import { seedBars } from "./session-fixtures";

/**
 * The made-up underlying the option integration tests trade (option-orders, option-writing, option-greeks): OPT, 40
 * days of history around $50 (so the modelled chain has its realised volatility), then D0…D5 (2025-03-03 … 03-10)
 * opening at 50 and closing 50.5, 51, 51.5, 51.8, 52 (Friday D4 = 2025-03-07, the weekly expiry), 52.5.
 */
export const OPT = "OPT";
export const OPT_CLOSES = [50.5, 51, 51.5, 51.8, 52, 52.5] as const;

export function optBars(symbol = OPT): Bar[] {
  const history = tradingDays("2025-01-02", "2025-02-28");
  const session = tradingDays("2025-03-03", "2025-03-10");
  const bar = (day: string, open: number, close: number): Bar => ({
    symbol, interval: "day", start: barStarts(day, "day")[0]!, open, high: Math.max(open, close) + 0.5, low: Math.min(open, close) - 0.5, close, volume: 1_000_000, source: "test", derived: false,
  });
  return [
    ...history.map((d, i) => bar(d, 50, Math.round(50 * (1 + 0.012 * Math.sin(i * 1.7)) * 100) / 100)),
    ...session.map((d, i) => bar(d, i === 0 ? 50 : OPT_CLOSES[i - 1]!, OPT_CLOSES[i]!)),
  ];
}

/** Seeds OPT's bars (the default seed of an option test's runner). */
export async function seedOpt(db: Db): Promise<void> {
  await seedBars(db, optBars());
}
