import { describe, expect, it } from "vitest";
import { valuePosition } from "./derive";
import { applyFill } from "./fold";
import type { FillView } from "./types";

/** The viewer values a contract as the engine does: its price is per share of the 100 it stands for. */
const fill = (side: FillView["side"], quantity: number, price: number, quantityAfter: number, realizedPnl: number | null = null): FillView => ({
  id: `${side}${quantity}`, orderId: "o", symbol: "AAPL251017C00250000", side, quantity, price, fee: 0, cashAfter: 0, realizedPnl, quantityAfter, filledAt: "2025-10-01T13:30:00.000Z",
});

describe("option positions in the viewer", () => {
  it("cost basis and market value are 100 shares' worth a contract", () => {
    const bought = applyFill(undefined, fill("buy", 2, 1.5, 2));
    expect(bought.costBasis).toBe(300);
    expect(valuePosition(bought, 2)).toEqual({ marketValue: 400, unrealized: 100 });
    const half = applyFill(bought, fill("sell", 1, 2.5, 1, 100));
    expect([half.quantity, half.costBasis, half.realizedPnl]).toEqual([1, 150, 100]);
    const written = applyFill(undefined, fill("sell_short", 1, 3, -1));
    expect(valuePosition(written, 4)).toEqual({ marketValue: -400, unrealized: -100 });
  });

  it("a stock is 1 share a unit, as before", () => {
    const stock = applyFill(undefined, { ...fill("buy", 2, 1.5, 2), symbol: "AAPL" });
    expect(valuePosition(stock, 2)).toEqual({ marketValue: 4, unrealized: 1 });
  });
});
