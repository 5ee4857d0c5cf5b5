import { z } from "zod";
import { parseMoney, type FeeModel, type TradingSettings } from "@/lib/engine";
import { AppError } from "@/lib/errors";
import { DEFAULT_SHORT_MARGIN_BPS } from "@/lib/schemas/session";

/**
 * The trading settings of a session, stored in trading_sessions.settings (jsonb). Money amounts are
 * decimal strings (dollars, ≤ 6 decimals); rates are whole basis points. Every field has a default,
 * so `{}` is free trading, no slippage, no shorting.
 */
const dollars = z.string().regex(/^\d{1,14}(\.\d{1,6})?$/, "a dollar amount such as \"0.005\"");
const bps = z.number().int().min(0);

export const tradingSettingsSchema = z.object({
  fees: z
    .object({
      perShare: dollars.default("0"),
      perOrder: dollars.default("0"),
      minimum: dollars.default("0"),
      notionalBps: bps.max(10_000).default(0),
    })
    .prefault({}),
  slippageBps: bps.max(9_999).default(0),
  allowShort: z.boolean().default(false),
  /** Cash required after a short, in bps of total short value (15 000 = 150 %). */
  shortMarginRequirementBps: bps.min(10_000).default(DEFAULT_SHORT_MARGIN_BPS),
  /** Annual stock borrow rate for shorts, charged by the session runner. */
  borrowRateBps: bps.default(0),
  /** Working orders of a symbol fill at most this share of a bar's volume (the rest keeps working); absent: no cap. */
  participationBps: bps.min(1).max(10_000).optional(),
  /**
   * Written contracts margined as strategies with the contracts held beside them (a credit spread: its width; issue
   * #24). Not a request field: sessions created before it are stored with false (drizzle/0036) and keep margining each
   * written contract alone, so they replay as they ran.
   */
  strategyMargin: z.boolean().default(true),
});

export type TradingSettingsInput = z.input<typeof tradingSettingsSchema>;

export interface SessionTradingRules {
  fees: FeeModel;
  slippageBps: number;
  settings: TradingSettings;
  borrowRateBps: number;
  participationBps?: number;
}

const memo = new Map<string, SessionTradingRules>();

/**
 * Stored settings (the jsonb as text) → engine inputs, memoized by text: every order of a session reads
 * the same settings. Bad stored settings are our fault: halt, not reject.
 */
export function parseTradingSettings(storedJson: string): SessionTradingRules {
  const known = memo.get(storedJson);
  if (known) return known;
  const rules = parseSettingsValue(JSON.parse(storedJson) as unknown);
  if (memo.size >= 1_000) memo.clear();
  memo.set(storedJson, rules);
  return rules;
}

function parseSettingsValue(stored: unknown): SessionTradingRules {
  const parsed = tradingSettingsSchema.safeParse(stored ?? {});
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new AppError("halt", "INVALID_SETTINGS", `This session's trading settings are invalid (${where})`);
  }
  const { fees, slippageBps, allowShort, shortMarginRequirementBps, borrowRateBps, participationBps, strategyMargin } = parsed.data;
  return {
    fees: {
      perShare: parseMoney(fees.perShare),
      perOrder: parseMoney(fees.perOrder),
      minimum: parseMoney(fees.minimum),
      notionalBps: fees.notionalBps,
    },
    slippageBps,
    settings: { allowShort, shortMarginRequirementBps, strategyMargin },
    borrowRateBps,
    ...(participationBps === undefined ? {} : { participationBps }),
  };
}
