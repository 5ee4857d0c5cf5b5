import { tool } from "ai";
import { type StrategyPreviewOutput, TOOL_DESCRIPTIONS, type ToolInputs } from "@/lib/agent/tool-contract";
import type { ToolRuntime } from "@/lib/agent/tool-runtime";
import {
  accountMargin,
  butterfly,
  calendar,
  DAYS_PER_YEAR,
  err,
  failure,
  ironButterfly,
  ironCondor,
  netPriceOf,
  parseLegs,
  priceToMoney,
  recognizeStrategy,
  straddle,
  strangle,
  strategyGreeks,
  strategyProfile,
  toDecimalString,
  underlyingOf,
  vertical,
  withLegs,
  type Money,
  type PositionIntent,
  type Result,
  type StrategyLeg,
} from "@/lib/engine";
import type { TradingContext } from "../context";
import { comboMarks, priceLegs } from "../place-combo-order";
import { asTool, ToolError } from "./errors";
import { normalizeSymbol } from "./format";
import { parseToolInput, toolSchemas } from "./schemas";

/**
 * preview_strategy (issue #24 item 4): what place_order with orderClass mleg and these legs would do now, placing
 * nothing: the legs priced as the order would fill them (place-combo-order.ts priceLegs), the engine's shape, net price
 * and profile (maximum profit and loss, breakevens), the strategy's Greeks from each leg's chain row, and the account's
 * margin requirement with the strategy added (engine accountMargin, spreads paired as the session's rules say).
 * Legs that are no strategy, or that cannot trade now, are a tool error in words.
 */
export function createPreviewStrategyTool(ctx: TradingContext, rt: ToolRuntime) {
  return tool({
    description: TOOL_DESCRIPTIONS.preview_strategy,
    inputSchema: toolSchemas.preview_strategy,
    execute: (input, { toolCallId }) =>
      rt.track("preview_strategy", toolCallId, input, () =>
        asTool("preview_strategy", async (): Promise<StrategyPreviewOutput> => {
          // The book as it stands when asked (the same step's orders may fill while this reads the market).
          const held = new Map(ctx.book.positions);
          const args = parseToolInput("preview_strategy", input);
          const units = args.quantity ?? 1;
          const asked = legsAsked(args);
          const parsed = parseLegs(asked.map(({ symbol, side, ratio }) => ({ symbol, side, ratio })));
          if (!parsed.ok) throw new ToolError("INVALID_LEGS", parsed.error.message);
          const legs = parsed.value;
          const underlying = underlyingOf(legs);
          if (!ctx.market.universe.includes(underlying)) throw new ToolError("NOT_IN_UNIVERSE", `the legs' underlying ${underlying} is not in this session's universe (${ctx.market.universe.join(", ")})`);
          // Opening legs unless said: a bought leg buy_to_open, a sold one sell_to_open.
          const intents = asked.map((l, i) => l.positionIntent ?? (legs[i]!.kind === "option" ? (l.side === "buy" ? "buy_to_open" : "sell_to_open") : undefined));
          const priced = await priceLegs({ positions: held, market: ctx.market }, legs, intents, units);
          if (!priced.ok) throw new ToolError(priced.error.code, priced.error.message);
          const net = netPriceOf(legs, (l) => priced.value.find((p) => p.leg === l)?.price);
          if (!net.ok) throw new ToolError(net.error.code, net.error.message);
          const shape = recognizeStrategy(legs);
          const profile = strategyProfile(legs, net.value);

          // Greeks from each contract's chain row the pricing read (per share), the strategy's by ratio and side.
          const rowOf = (symbol: string) => priced.value.find((p) => p.leg.symbol === symbol)?.row ?? null;
          const greeks = strategyGreeks(legs, (symbol) => {
            const row = rowOf(symbol);
            return row ? { delta: row.delta, gamma: row.gamma, thetaPerDay: row.theta, thetaPerYear: row.theta * DAYS_PER_YEAR, vegaPerPoint: row.vega, vegaPerUnit: row.vega * 100, rhoPerUnit: 0, rhoPerPoint: 0 } : undefined;
          });
          if (!greeks.ok) throw new ToolError(greeks.error.code, greeks.error.message);
          const scale = 100 * units;

          // The account's margin requirement now and with the strategy's legs added, every short at its mark.
          const marks = await comboMarks(ctx.market, held, priced.value);
          const settings = ctx.rules.settings;
          const now = accountMargin(held.values(), marks, settings);
          const then = accountMargin(withLegs(held, priced.value.map((p) => ({ symbol: p.leg.symbol, side: p.side, quantity: p.quantity }))), marks, settings);
          if (!now.ok) throw new ToolError(now.error.code, now.error.message);
          if (!then.ok) throw new ToolError(then.error.code, then.error.message);

          const dollars = (m: Money | null) => (m === null ? null : toDecimalString(m * BigInt(units)));
          return {
            strategy: { name: shape.name, label: shape.label },
            underlying,
            underlyingPrice: priced.value.find((p) => p.row)!.spot, // every strategy has an option leg (parseLegs)
            at: ctx.clock.now().toISOString(),
            quantity: units,
            legs: priced.value.map((p, i) => ({
              symbol: p.leg.symbol,
              side: p.leg.side,
              ratio: p.leg.ratio,
              ...(intents[i] ? { positionIntent: intents[i] } : {}),
              bid: toDecimalString(p.bid),
              ask: toDecimalString(p.ask),
              price: toDecimalString(p.price),
              source: p.row?.source ?? ("stock" as const),
            })),
            netPrice: toDecimalString(net.value),
            cash: toDecimalString(-net.value * BigInt(scale)),
            maxProfit: dollars(profile.maxProfit),
            maxLoss: dollars(profile.maxLoss),
            breakevens: profile.breakevens.map(toDecimalString),
            greeks: { delta: round(greeks.value.delta * scale, 2), gamma: round(greeks.value.gamma * scale, 4), theta: round(greeks.value.thetaPerDay * scale, 2), vega: round(greeks.value.vegaPerPoint * scale, 2) },
            margin: { requirement: toDecimalString(then.value.requirement), now: toDecimalString(now.value.requirement) },
            ...(profile.note ? { note: profile.note } : {}),
          };
        }),
      ),
  });
}

const round = (v: number, digits: number) => {
  const r = Math.round(v * 10 ** digits) / 10 ** digits;
  return r === 0 ? 0 : r;
};

type PreviewInput = ToolInputs["preview_strategy"];
type AskedLeg = { symbol: string; side: "buy" | "sell"; ratio: number; positionIntent?: PositionIntent };

/** The legs asked for: as given, or built by the engine from a named strategy's strikes (refused in words when its shape is wrong). */
function legsAsked(args: PreviewInput): AskedLeg[] {
  if ((args.legs === undefined) === (args.strategy === undefined)) {
    throw new ToolError("INVALID_ARGUMENTS", "preview_strategy takes either legs or a named strategy (with its underlying, expiry and strikes); nothing was done");
  }
  if (args.legs) return args.legs.map((l) => ({ ...l, symbol: normalizeSymbol(l.symbol) }));
  const built = buildNamed(args.strategy!);
  if (!built.ok) throw new ToolError(built.error.code, built.error.message);
  return built.value;
}

/** How many strikes each named strategy takes, in words. */
const STRIKES_OF: Record<NonNullable<PreviewInput["strategy"]>["name"], [number, string]> = {
  iron_condor: [4, "long put, short put, short call, long call"],
  iron_butterfly: [3, "long put, body, long call"],
  vertical: [2, "bought, sold"],
  straddle: [1, "the strike of both"],
  strangle: [2, "put, call"],
  butterfly: [3, "lower, middle, upper"],
  calendar: [1, "the strike of both"],
};
const NEEDS_RIGHT = new Set(["vertical", "butterfly", "calendar"]);

function buildNamed(s: NonNullable<PreviewInput["strategy"]>): Result<StrategyLeg[]> {
  const k = s.strikes.map((v) => priceToMoney(v));
  const [n, what] = STRIKES_OF[s.name];
  const label = `${/^[aeiou]/.test(s.name) ? "an" : "a"} ${s.name.replace("_", " ")}`;
  if (k.length !== n) return err(failure("INVALID_STRATEGY", `${label} takes ${n} strike${n === 1 ? "" : "s"} (${what}); got ${k.length}`));
  if (NEEDS_RIGHT.has(s.name) && !s.right) return err(failure("INVALID_STRATEGY", `${label} needs a right: call or put`));
  if (s.name === "calendar" && !s.farExpiry) return err(failure("INVALID_STRATEGY", "a calendar needs farExpiry, after its expiry"));
  const underlying = normalizeSymbol(s.underlying);
  const { expiry } = s;
  const right = s.right ?? "call";
  const side = s.side ?? "buy";
  switch (s.name) {
    case "iron_condor":
      return ironCondor({ underlying, expiry, longPut: k[0]!, shortPut: k[1]!, shortCall: k[2]!, longCall: k[3]! });
    case "iron_butterfly":
      return ironButterfly({ underlying, expiry, longPut: k[0]!, body: k[1]!, longCall: k[2]! });
    case "vertical":
      // A farExpiry puts the sold leg on another expiry, which the builder refuses in words (a vertical has one).
      return vertical({ underlying, right, long: { strike: k[0]!, expiry }, short: { strike: k[1]!, expiry: s.farExpiry ?? expiry } });
    case "straddle":
      return straddle({ underlying, expiry, strike: k[0]!, side });
    case "strangle":
      return strangle({ underlying, expiry, putStrike: k[0]!, callStrike: k[1]!, side });
    case "butterfly":
      return butterfly({ underlying, expiry, right, lower: k[0]!, middle: k[1]!, upper: k[2]!, side });
    case "calendar":
      return calendar({ underlying, right, strike: k[0]!, nearExpiry: expiry, farExpiry: s.farExpiry!, side });
  }
}
