import { z } from "zod";
import { ORDER_TYPES } from "@/lib/engine/order";
import { POSITION_INTENTS } from "@/lib/engine/options/position-intent";

/**
 * The option tools of the contract (issue #23 item 6, the read-only part): modelled chains and quotes at the
 * session's clock (docs/agent.md, "Options"). Split from tool-contract.ts, which merges them in. An expiry names a
 * contract (as an OCC symbol does), not a moment to read the market at: every answer is at the session's clock, and an
 * expiry before it is refused. Plain schemas, no unions, as the rest of the contract.
 */
/** The read-only option tools (the session chat offers them too). */
export const OPTION_READ_TOOL_NAMES = ["get_option_chain", "get_option_quote"] as const;
/** Orders on option contracts (they change the session's book). */
export const OPTION_ORDER_TOOL_NAMES = ["place_option_order"] as const;
export const OPTION_TOOL_NAMES = [...OPTION_READ_TOOL_NAMES, ...OPTION_ORDER_TOOL_NAMES] as const;
/** Added after the first option tools (an entry of TOOLS_ADDED_SINCE of its own): early exercise of contracts held long. */
export const EXERCISE_TOOL_NAMES = ["exercise_option"] as const;
/** Added after exercise_option (an entry of TOOL_HISTORY of its own): what a multi-leg strategy would do, before placing it. */
export const STRATEGY_TOOL_NAMES = ["preview_strategy", "close_strategy"] as const;
export type OptionToolName = (typeof OPTION_TOOL_NAMES)[number] | (typeof EXERCISE_TOOL_NAMES)[number] | (typeof STRATEGY_TOOL_NAMES)[number];

export const DEFAULT_OPTION_ROWS = 40;
export const MAX_OPTION_ROWS = 200;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const expiryDay = (what: string) => z.string().regex(DAY, 'an expiry is a day "YYYY-MM-DD", e.g. "2025-10-17"').describe(what);
const absDelta = (what: string) => z.number().min(0, "|delta| is from 0 to 1").max(1, "|delta| is from 0 to 1").describe(what);
const strike = (what: string) => z.number().gt(0, "a strike is a price above 0").max(99_999).describe(what);
const occSymbol = z
  .string()
  .min(1)
  .max(21)
  .describe('An OCC option symbol: underlying, expiry yymmdd, C or P, strike × 1000 in 8 digits, e.g. "AAPL251017C00250000" (AAPL, 2025-10-17, call, $250)');

/** The strategies preview_strategy builds from their strikes (engine options/strategies/strategy-builders.ts). */
export const NAMED_STRATEGIES = ["iron_condor", "iron_butterfly", "vertical", "straddle", "strangle", "butterfly", "calendar"] as const;

/** A multi-leg strategy's legs as place_order (orderClass mleg) and preview_strategy take them; the engine checks the rest in words. */
export const strategyLegsInput = z
  .array(
    z.object({
      symbol: z.string().min(1).max(21).describe("OCC option symbol, e.g. AAPL251017C00250000, or the underlying itself for a stock leg"),
      side: z.enum(["buy", "sell"]),
      ratio: z.number().describe("Contracts per strategy unit (a stock leg: shares per unit, a multiple of 100); whole, in lowest terms across the legs"),
      positionIntent: z
        .enum(POSITION_INTENTS)
        .optional()
        .describe("buy_to_open, buy_to_close, sell_to_open or sell_to_close (place_order needs it on option legs; preview_strategy opens when absent)"),
    }),
  )
  .max(8, "a strategy has 2 to 4 legs");

/** The most contracts one option order may ask for. */
export const MAX_OPTION_CONTRACTS = 10_000;

export const optionToolInputSchemas = {
  get_option_chain: z
    .object({
      underlying: z
        .string()
        .min(1)
        .max(12)
        .regex(/^[A-Za-z0-9][A-Za-z0-9.-]*$/, "a ticker such as AAPL")
        .describe("The underlying's ticker, from the session's universe, e.g. AAPL"),
      expiry: expiryDay("One expiry, e.g. 2025-10-17 (instead of expiryFrom/expiryTo)").optional(),
      expiryFrom: expiryDay("The first expiry wanted (inclusive), e.g. 2025-10-01").optional(),
      expiryTo: expiryDay("The last expiry wanted (inclusive), e.g. 2025-11-30").optional(),
      right: z.enum(["call", "put"]).optional().describe("call or put; both when absent"),
      minStrike: strike("Lowest strike wanted, dollars").optional(),
      maxStrike: strike("Highest strike wanted, dollars").optional(),
      minDelta: absDelta("Lowest |delta| wanted (0-1), e.g. 0.25 for a 25-delta put or call").optional(),
      maxDelta: absDelta("Highest |delta| wanted (0-1), e.g. 0.35").optional(),
      limit: z
        .number()
        .int()
        .min(1)
        .max(MAX_OPTION_ROWS)
        .optional()
        .describe(`At most this many contracts (1-${MAX_OPTION_ROWS}, default ${DEFAULT_OPTION_ROWS}), the nearest expiry first`),
    })
    .superRefine((input, ctx) => {
      if (input.expiry !== undefined && (input.expiryFrom !== undefined || input.expiryTo !== undefined)) {
        ctx.addIssue({ code: "custom", path: ["expiry"], message: "give either expiry or expiryFrom/expiryTo, not both" });
      }
      if (input.expiryFrom !== undefined && input.expiryTo !== undefined && input.expiryFrom > input.expiryTo) {
        ctx.addIssue({ code: "custom", path: ["expiryFrom"], message: `expiryFrom ${input.expiryFrom} is after expiryTo ${input.expiryTo}` });
      }
      if (input.minStrike !== undefined && input.maxStrike !== undefined && input.minStrike > input.maxStrike) {
        ctx.addIssue({ code: "custom", path: ["minStrike"], message: `minStrike ${input.minStrike} is above maxStrike ${input.maxStrike}` });
      }
      if (input.minDelta !== undefined && input.maxDelta !== undefined && input.minDelta > input.maxDelta) {
        ctx.addIssue({ code: "custom", path: ["minDelta"], message: `minDelta ${input.minDelta} is above maxDelta ${input.maxDelta}` });
      }
    }),
  get_option_quote: z.object({ symbol: occSymbol }),
  place_option_order: z.object({
    symbol: occSymbol,
    side: z.enum(["buy", "sell"]).describe("buy or sell"),
    positionIntent: z
      .enum(POSITION_INTENTS)
      .describe("buy_to_open (buy contracts to hold), sell_to_close (sell contracts you hold), sell_to_open (write contracts: margined), buy_to_close (buy written contracts back); side buy goes with buy_to_*, sell with sell_to_*"),
    quantity: z.number().int().min(1).max(MAX_OPTION_CONTRACTS).describe(`Whole contracts (each stands for 100 shares), 1 to ${MAX_OPTION_CONTRACTS}`),
    type: z.enum(ORDER_TYPES).optional().describe("market (the default) or limit; options take no stop, stop-limit or trailing-stop orders (as at Alpaca)"),
    limitPrice: z.number().gt(0, "a premium is a price above 0").max(99_999).optional().describe("limit orders: the premium per share, whole cents (a buy pays at most this, a sale takes at least this)"),
    timeInForce: z.enum(["day", "gtc"]).optional().describe("limit orders: day (the default: ends with the trading day) or gtc (until filled, cancelled, or the contract expires)"),
  }),
  exercise_option: z.object({
    symbol: occSymbol,
    quantity: z.number().int().min(1).max(MAX_OPTION_CONTRACTS).describe(`Whole contracts held long to exercise, 1 to ${MAX_OPTION_CONTRACTS}`),
  }),
  preview_strategy: z.object({
    legs: strategyLegsInput
      .optional()
      .describe("2 to 4 legs on one underlying, as place_order's orderClass mleg takes them (or name a strategy instead)"),
    strategy: z
      .object({
        name: z.enum(NAMED_STRATEGIES).describe("The strategy to build from its strikes"),
        underlying: z.string().min(1).max(12).regex(/^[A-Za-z0-9][A-Za-z0-9.-]*$/, "a ticker such as AAPL").describe("The underlying's ticker"),
        expiry: expiryDay("The expiry (a calendar's near expiry)"),
        farExpiry: expiryDay("calendar: the far expiry").optional(),
        right: z.enum(["call", "put"]).optional().describe("vertical, butterfly, calendar: call or put"),
        strikes: z
          .array(strike("A strike, dollars"))
          .min(1)
          .max(4)
          .describe("iron_condor [long put, short put, short call, long call]; iron_butterfly [long put, body, long call]; vertical [bought, sold]; straddle [strike]; strangle [put, call]; butterfly [lower, middle, upper]; calendar [strike]"),
        side: z.enum(["buy", "sell"]).optional().describe("straddle, strangle, butterfly, calendar: buy the long form (a debit, the default) or sell the short one (a credit)"),
      })
      .optional()
      .describe("Instead of legs: a named strategy built from its strikes (its legs are in the answer, ready for place_order)"),
    quantity: z.number().int().min(1).max(MAX_OPTION_CONTRACTS).optional().describe("Strategy units (default 1)"),
  }),
  close_strategy: z.object({
    orderId: z.uuid("orderId must be the id place_order gave a multi-leg order").describe("The multi-leg order (orderClass mleg) whose legs to close"),
    quantity: z.number().int().min(1).max(MAX_OPTION_CONTRACTS).optional().describe("Strategy units to close (default: all of it still held)"),
  }),
} as const satisfies Record<OptionToolName, z.ZodObject>;

export type StrategyPreviewOutput = z.infer<typeof strategyPreviewOutputSchema>;
export type OptionOrderToolInput = z.infer<(typeof optionToolInputSchemas)["place_option_order"]>;

export const OPTION_TOOL_DESCRIPTIONS: Record<OptionToolName, string> = {
  get_option_chain:
    "Option chain of one underlying at the session clock. QUOTED (source \"quoted\") where the market data has a provider's quotes for its expiries at the clock: each contract's real bid and ask, the implied volatility of its mid and the Greeks at it. Otherwise MODELLED (source \"modelled\"): listed expiries (weekly Fridays up to 5 weeks, monthly third Fridays up to 9 months), strikes on the exchange's grid around the price (10 below and 10 at or above, or your strike range), each contract's bid, ask, mid, implied volatility and Greeks (delta, gamma, theta per calendar day, vega per volatility point) from a volatility surface built on the underlying's realised volatility (with skew and term structure). Contracts are listed by expiry, then strike, call before put; filter by expiry, right, strike or |delta|. Prices are per share: one contract is 100 shares. Buy and sell contracts with place_option_order.",
  get_option_quote:
    "One option contract by OCC symbol (e.g. AAPL251017C00250000) at the session clock, quoted or modelled as get_option_chain shows it (source says which): bid, ask, mid, implied volatility and Greeks. Prices are per share: one contract is 100 shares.",
  place_option_order:
    "An order on an option contract: a market order fills now, buy_to_open and buy_to_close at the ask, sell_to_close and sell_to_open at the bid (never the mid), for the whole quantity, plus the fee per contract. A limit order fills now at the quote if the quote reaches its limit, else works across bars and fills whole at the first bar whose ask (buys) or bid (sales) reaches it, at that quote (a write is checked for margin again then, and cancelled if the account cannot carry it); see and cancel it with get_orders and cancel_order. One contract is 100 × its price. Long premium is paid in full from free cash. Written contracts (sell_to_open) must leave cash at or above what your shorts then require: an uncovered contract the premium plus the greater of 20 % of the underlying less the out-of-the-money amount and 10 % of the underlying (calls) or strike (puts); a call covered by 100 shares you hold needs nothing (the shares then cannot be sold while it is written unless the call could be carried uncovered); without shorting, calls only covered and puts cash-secured (the strike × 100 in cash). Margin is re-marked each bar: a shortfall is a margin call, and if it is not met by the next decision the session buys your shorts back. Positions are marked at the mid each bar. At 16:00 New York on the expiry day a contract in the money by $0.01 or more is exercised or assigned (100 shares a contract at the strike; a delivery your cash or shares cannot take is closed at its intrinsic value instead); the others expire worthless.",
  preview_strategy:
    "What a multi-leg option strategy would do if placed now, without placing it; give its legs, or name one (iron_condor, iron_butterfly, vertical, straddle, strangle, butterfly, calendar) with its underlying, expiry and strikes: the shape recognised (vertical, iron condor, butterfly, straddle, strangle, calendar, covered call, collar…), each leg's bid and ask at the session clock and the price it would fill at (bought at the ask, sold at the bid), the net price per share of one unit (+ a debit you pay, − a credit you receive), its maximum profit, maximum loss and breakevens at expiry, the strategy's Greeks, and the margin your account would then require. Place it with place_order (orderClass mleg, the same legs).",
  close_strategy:
    "Close a multi-leg strategy you opened with place_order (orderClass mleg), all its legs at once as one multi-leg market order: each leg bought is sold (sell_to_close), each leg sold is bought back (buy_to_close), at their bids and asks now, all or none. All of it still held, or quantity units. The legs must still be held as the strategy was placed (a leg closed on its own leaves less to close).",
  exercise_option:
    "Exercise option contracts you hold long now, before expiry (American exercise): a call buys 100 shares a contract at the strike, a put sells them (shares you hold first, then short). Only contracts in the money by $0.01 or more at the underlying's price now; selling the contract is usually worth more than exercising it (it keeps its time value).",
};

// ---- Outputs ----

export const optionRowOutputSchema = z.object({
  /** OCC symbol. */
  symbol: z.string(),
  expiry: z.string(),
  right: z.enum(["call", "put"]),
  strike: z.number(),
  bid: z.number(),
  ask: z.number(),
  mid: z.number(),
  /** Per √year (0.25 = 25 %): modelled, the surface's volatility the contract is priced at; quoted, the one its mid implies. */
  iv: z.number(),
  delta: z.number(),
  gamma: z.number(),
  /** Per calendar day, per share. */
  theta: z.number(),
  /** Per volatility point (σ + 0.01), per share. */
  vega: z.number(),
  /** "modelled" by Bullpen's chain model, or "quoted" by a market-data provider (real bid and ask). */
  source: z.enum(["modelled", "quoted"]),
});

const chainModelOutputSchema = z.object({
  /** Realised volatility of the latest 20 daily returns and over up to 252, per √year (clamped to 5 %–200 %); null for a quoted chain of a symbol with too few closes. */
  realisedVolatility: z.number().nullable(),
  longRunVolatility: z.number().nullable(),
  /** The constant risk-free rate and dividend yield the contracts are priced at. */
  rate: z.number(),
  dividendYield: z.number(),
});

export const optionChainOutputSchema = z.object({
  underlying: z.string(),
  /** The underlying's price the chain is modelled at (get_quote's), and the clock. */
  underlyingPrice: z.number(),
  at: z.string(),
  source: z.enum(["modelled", "quoted"]),
  model: chainModelOutputSchema,
  /** Every listed expiry in the window asked for (shiftedFrom: the Friday a holiday moved it from). */
  expiries: z.array(z.object({ expiry: z.string(), kind: z.enum(["weekly", "monthly"]), shiftedFrom: z.string().optional() })),
  contracts: z.array(optionRowOutputSchema),
  /** How many contracts matched; more than contracts.length when the limit cut the list. */
  matched: z.number().int(),
  truncated: z.boolean(),
});

export const optionQuoteOutputSchema = optionRowOutputSchema.extend({
  underlying: z.string(),
  underlyingPrice: z.number(),
  at: z.string(),
  model: chainModelOutputSchema,
});

/**
 * get_portfolio's `options` (only while contracts are held): each contract's Greeks from its modelled row at the
 * clock, per share, and the position's (× quantity × 100, signed by quantity), then the book's totals.
 */
const greekTotalsOutputSchema = z.object({
  /** Share-equivalents. */
  delta: z.number(),
  /** Share-equivalents gained per $1 the underlying rises. */
  gamma: z.number(),
  /** Dollars a calendar day. */
  theta: z.number(),
  /** Dollars per volatility point. */
  vega: z.number(),
  /** Decimal dollars at the mark (the position's marketValue). */
  value: z.string(),
});

export const optionPositionGreeksOutputSchema = z.object({
  symbol: z.string(),
  underlying: z.string(),
  expiry: z.string(),
  right: z.enum(["call", "put"]),
  strike: z.number(),
  /** Contracts, signed: negative = written. */
  quantity: z.number().int(),
  underlyingPrice: z.number(),
  /** Calendar days to the expiry's close. */
  daysToExpiry: z.number(),
  iv: z.number(),
  /** The mid per share, what the position is marked at. */
  mark: z.number(),
  delta: z.number(),
  gamma: z.number(),
  /** Per calendar day, per share. */
  theta: z.number(),
  /** Per volatility point, per share. */
  vega: z.number(),
  /** Where its mark and Greeks come from (the chain row's source). */
  source: z.enum(["modelled", "quoted"]),
  /** The position's: × quantity × 100. */
  position: greekTotalsOutputSchema,
});

export const portfolioOptionsOutputSchema = z.object({
  at: z.string(),
  /** "mixed" when some contracts are quoted and others modelled (each position says which). */
  source: z.enum(["modelled", "quoted", "mixed"]),
  positions: z.array(optionPositionGreeksOutputSchema),
  /** Every contract held together. */
  totals: greekTotalsOutputSchema,
  /** Per underlying: the shares held, the options' delta and the net delta (share-equivalents). */
  underlyings: z.array(z.object({ underlying: z.string(), shares: z.number().int(), optionDelta: z.number(), netDelta: z.number() })),
});

/** preview_strategy: per whole order (× 100 × quantity) unless said; money as decimal dollars, negative = received or lost. */
export const strategyPreviewOutputSchema = z.object({
  strategy: z.object({ name: z.string(), label: z.string() }),
  underlying: z.string(),
  underlyingPrice: z.number(),
  at: z.string(),
  quantity: z.number().int(),
  legs: z.array(
    z.object({
      symbol: z.string(),
      side: z.enum(["buy", "sell"]),
      ratio: z.number().int(),
      positionIntent: z.enum(POSITION_INTENTS).optional(),
      bid: z.string(),
      ask: z.string(),
      /** What it would fill at: the ask when bought, the bid when sold. */
      price: z.string(),
      source: z.enum(["modelled", "quoted", "stock"]),
    }),
  ),
  /** Per share of one unit, signed: + a debit paid, − a credit received. */
  netPrice: z.string(),
  /** The whole order's cash: negative = paid, positive = received (before fees). */
  cash: z.string(),
  /** null: unlimited. */
  maxProfit: z.string().nullable(),
  maxLoss: z.string().nullable(),
  breakevens: z.array(z.string()),
  /** The whole order's: delta in shares, gamma in shares per $1, theta dollars a day, vega dollars per volatility point. */
  greeks: z.object({ delta: z.number(), gamma: z.number(), theta: z.number(), vega: z.number() }),
  /** What the account's shorts would require after it, and now (docs/trading.md, "Margin of written contracts"). */
  margin: z.object({ requirement: z.string(), now: z.string() }),
  note: z.string().optional(),
});

/** The read tools' outputs; place_option_order answers as place_order does, exercise_option with its orders (tool-contract.ts). */
export const optionToolOutputSchemas = {
  get_option_chain: optionChainOutputSchema,
  get_option_quote: optionQuoteOutputSchema,
  preview_strategy: strategyPreviewOutputSchema,
} as const satisfies Record<(typeof OPTION_READ_TOOL_NAMES)[number] | "preview_strategy", z.ZodType>;

export type OptionRowOutput = z.infer<typeof optionRowOutputSchema>;
export type OptionChainOutput = z.infer<typeof optionChainOutputSchema>;
export type OptionQuoteOutput = z.infer<typeof optionQuoteOutputSchema>;
export type PortfolioOptionsOutput = z.infer<typeof portfolioOptionsOutputSchema>;
