import { DEFAULT_SHORT_MARGIN_BPS, type TradingDefaultsInput } from "@/lib/schemas/session";

/**
 * The trading fields as a person types them: the model form's defaults and the Start-session dialog's
 * overrides share labels, hints and the conversion into the API's `trading` / `settings` shape
 * (lib/schemas/session.ts tradingDefaultsSchema). Empty fields are left out; anything typed that is not a
 * number is passed on as typed, so that the schema says what is wrong with it.
 */
export interface TradingTexts {
  perShare: string;
  perOrder: string;
  minimum: string;
  notionalBps: string;
  slippageBps: string;
  participationBps: string;
  allowShort: boolean;
  borrowRateBps: string;
  shortMarginRequirementBps: string;
}

export const EMPTY_TRADING: TradingTexts = {
  perShare: "",
  perOrder: "",
  minimum: "",
  notionalBps: "",
  slippageBps: "",
  participationBps: "",
  allowShort: false,
  borrowRateBps: "",
  shortMarginRequirementBps: "",
};

export type TradingTextKey = "perShare" | "perOrder" | "minimum" | "notionalBps" | "slippageBps" | "participationBps";

/** `placeholder`: what an empty field means (default "0"). */
export const TRADING_TEXT_FIELDS: { key: TradingTextKey; label: string; hint: string; inputMode: "decimal" | "numeric"; placeholder?: string }[] = [
  { key: "perShare", label: "Commission per share (USD)", hint: "e.g. 0.005", inputMode: "decimal" },
  { key: "perOrder", label: "Commission per order (USD)", hint: "e.g. 1", inputMode: "decimal" },
  { key: "notionalBps", label: "Commission (basis points of value)", hint: "e.g. 5 = 0.05 % of the trade's value", inputMode: "numeric" },
  { key: "minimum", label: "Minimum commission per order (USD)", hint: "Every order pays at least this, e.g. 1", inputMode: "decimal" },
  { key: "slippageBps", label: "Slippage (basis points)", hint: "Against you on every fill; 0 to 9999", inputMode: "numeric" },
  {
    key: "participationBps",
    label: "Volume cap (basis points of a bar's volume)",
    hint: "Working orders fill at most this share of each bar's volume, the rest keeps working; e.g. 1000 = 10 %; empty: no cap",
    inputMode: "numeric",
    placeholder: "no cap",
  },
];

export const ALLOW_SHORT_LABEL = "Allow short selling";

/** The fields that apply only with short selling. */
export const SHORT_TEXT_FIELDS: { key: "borrowRateBps" | "shortMarginRequirementBps"; label: string; hint: string; placeholder: string }[] = [
  { key: "borrowRateBps", label: "Borrow rate (basis points a year)", hint: "Charged daily on shorts held overnight; e.g. 300 = 3 %", placeholder: "0" },
  {
    key: "shortMarginRequirementBps",
    label: "Short margin (basis points of short value)",
    hint: `Cash kept against open shorts; ${DEFAULT_SHORT_MARGIN_BPS} = ${DEFAULT_SHORT_MARGIN_BPS / 100} %, 10000 to 100000`,
    placeholder: String(DEFAULT_SHORT_MARGIN_BPS),
  },
];

/** The schema's error paths (under `trading.` or `settings.`) → these fields. */
export const TRADING_FIELD_OF: Record<string, keyof TradingTexts> = {
  "fees.perShare": "perShare",
  "fees.perOrder": "perOrder",
  "fees.minimum": "minimum",
  "fees.notionalBps": "notionalBps",
  slippageBps: "slippageBps",
  participationBps: "participationBps",
  allowShort: "allowShort",
  borrowRateBps: "borrowRateBps",
  shortMarginRequirementBps: "shortMarginRequirementBps",
};

/** A typed number → number; empty → undefined; anything else as typed, so that the schema says what is wrong with it. */
export const numberOr = (text: string) => {
  const t = text.trim();
  return t === "" ? undefined : /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : t;
};
const textOr = (text: string) => (text.trim() === "" ? undefined : text.trim());
export const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/**
 * The typed fields as the API's trading object. `allowShort` is sent only when true, unless
 * `allowShortAlways` (the dialog must be able to say "no shorting" over a model that allows it). The borrow
 * rate and the margin only with shorting.
 */
export function toTradingInput(v: TradingTexts, { allowShortAlways = false } = {}): Record<string, unknown> {
  const fees = defined({ perShare: textOr(v.perShare), perOrder: textOr(v.perOrder), minimum: textOr(v.minimum), notionalBps: numberOr(v.notionalBps) });
  return defined({
    fees: Object.keys(fees).length > 0 ? fees : undefined,
    slippageBps: numberOr(v.slippageBps),
    participationBps: numberOr(v.participationBps),
    allowShort: v.allowShort || allowShortAlways ? v.allowShort : undefined,
    borrowRateBps: v.allowShort ? numberOr(v.borrowRateBps) : undefined,
    shortMarginRequirementBps: v.allowShort ? numberOr(v.shortMarginRequirementBps) : undefined,
  });
}

/** A field's text for a value that may be left out: "" for none (the field's placeholder shows the default). */
export const fieldText = (v: string | number | undefined) => (v === undefined ? "" : String(v));

/**
 * A trading object, stored or as requested (dollars may be numbers there) → the fields' texts: the model
 * form's initial values, the dialog's placeholders, a session's rules to change and run again.
 */
export function tradingTextsOf(t: TradingDefaultsInput): TradingTexts {
  return {
    perShare: fieldText(t.fees?.perShare),
    perOrder: fieldText(t.fees?.perOrder),
    minimum: fieldText(t.fees?.minimum),
    notionalBps: fieldText(t.fees?.notionalBps),
    slippageBps: fieldText(t.slippageBps),
    participationBps: fieldText(t.participationBps),
    allowShort: t.allowShort ?? false,
    borrowRateBps: fieldText(t.borrowRateBps),
    shortMarginRequirementBps: fieldText(t.shortMarginRequirementBps),
  };
}
